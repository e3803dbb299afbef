import Foundation
import Testing
import TrialDesign
import TrialData
import TestSupport
@testable import Panel

/// Every registry and survey rule on five families whose expectations were computed by hand from a
/// calendar (the month boundaries are written out in each comment).
@Suite struct DerivationTests {
    typealias T = PanelTestDesign

    static let units: [AssignedUnit] = [
        T.unit("A", "control", "2019-01-31", ["age": "31", "single_parent": "ja", "mandate": ""]),
        T.unit("B", "treat", "2020-02-29", ["age": "25", "single_parent": "0", "mandate": "yes"]),
        T.unit("C", "control", "2018-08-31", ["age": "", "single_parent": "1", "mandate": "no"]),
        T.unit("D", "treat", "2019-03-15", ["age": "40", "single_parent": "nee", "mandate": "1"]),
        T.unit("E", "control", "2019-03-15", ["age": "33", "single_parent": "yes"]),
    ]

    static let records: [RegistryRecord] = {
        var r: [RegistryRecord] = [
            // A, assigned 2019-01-31: m6 = months 1–6 = 2019-01-31…2019-07-30, m12 = 2019-07-31…2020-01-30,
            // pre-period [−12, −1] = 2018-01-31…2019-01-30.
            T.aid("A", "2019-07-30", "2019-07-30", amount: 100),      // last day of m6
            T.aid("A", "2019-07-31", "2019-08-31", amount: 50),       // first day of m12
            T.aid("A", "2019-01-30", "2019-02-05", amount: 999),      // starts the day before assignment
            T.aid("A", "2019-03-01", nil, kind: "medical", amount: 5), // filtered out
            // B, assigned 2020-02-29 (leap day): m6 = 2020-02-29…2020-08-28, m12 = 2020-08-29…2021-02-27.
            T.aid("B", "2020-10-10", nil, amount: 20),                // open decision
            // C, assigned 2018-08-31: m6 = 2018-08-31…2019-02-27 (over the year end), m12 = 2019-02-28…2019-08-30.
            T.aid("C", "2019-02-27", "2019-02-27", amount: 10),
            T.aid("C", "2019-02-28", "2019-03-10", amount: 20),
            T.aid("C", "2019-03-05", "2019-03-05", line: 77),         // no amount
            // Records the panel cannot attach.
            T.aid("Z", "2019-03-05", "2019-03-05", amount: 1),
            RegistryRecord(source: "ksz", participant: "A", line: 1, start: T.date("2019-03-31"), end: T.date("2019-03-31")),
        ]
        r += T.vdabMonths("B", "2020-02", "2020-05", "00")
        r += T.vdabMonths("B", "2020-06", "2021-01", "11")
        r += T.vdabMonths("B", "2021-02", "2021-02", "00")
        r += T.vdabMonths("C", "2018-12", "2019-01", "00")
        return r
    }()

    static let exits = [
        ScopeExit(participant: "D", date: T.date("2019-09-15"), reason: "moved"),   // day after D's m6 ends
        ScopeExit(participant: "E", date: T.date("2019-09-14"), reason: "died"),    // last day of E's m6
        ScopeExit(participant: "E", date: T.date("2019-12-01"), reason: "moved"),   // later exit: the earliest counts
    ]

    static let responses: [SurveyResponse] = [
        T.response("A", "m6", "s6", "2019-09-29", ["fit": 4]),                  // target 2019-07-31 + 60 days: last day in
        T.response("B", "m6", "s6", "2020-10-29", ["fit": 5]),                  // target 2020-08-29 + 61 days: out
        T.response("C", "m6", "s6", "2019-01-28", ["fit": 1], line: 1),         // target 2019-02-28 − 31 days: out
        T.response("C", "m6", "s6", "2019-04-29", ["fit": 2], line: 2),         // target + 60 days: in, used
        T.response("E", "m6", "s6", "2019-09-20", [:]),                         // interviewed, item not answered
        T.response("A", "m12", "s12", nil, ["income": 900]),                    // undated, m12 keeps it (flagged)
        T.response("D", "m12", "s12", "2020-06-01", ["income": 1500]),          // target 2020-03-15: out, kept
        T.response("Z", "m12", "s12", "2020-06-01", ["income": 1]),             // unknown unit
    ]

    static func panel() throws -> PanelData {
        try Panel.derive(design: T.design(), units: units, records: records, responses: responses, exits: exits,
                         options: PanelOptions(screening: Screening(screened: 12, excluded: ["birth_in_window": 3, "no informed consent": 2])))
    }

    func value(_ p: PanelData, _ o: String, _ u: String, _ w: String) -> Double? { p.outcome(o, unit: u, wave: w)?.value }
    func status(_ p: PanelData, _ o: String, _ u: String, _ w: String) -> CellStatus? { p.outcome(o, unit: u, wave: w)?.status }

    @Test func anyCountSumFirstDateAtMonthBoundaries() throws {
        let p = try Self.panel()
        // A: 100 on the last day of m6, 50 on the first day of m12, 999 from the day before assignment.
        #expect(value(p, "aid_any", "A", "m6") == 1)
        #expect(value(p, "aid_count", "A", "m6") == 1)      // the 999 record starts before the window
        #expect(value(p, "aid_amount", "A", "m6") == 100)
        #expect(value(p, "aid_first", "A", "m6") == 0)      // covered on the assignment day itself
        #expect(value(p, "aid_any", "A", "m12") == 1)
        #expect(value(p, "aid_count", "A", "m12") == 1)
        #expect(value(p, "aid_amount", "A", "m12") == 50)
        #expect(value(p, "aid_first", "A", "m12") == 181)   // 2019-01-31 → 2019-07-31
        // B: nothing in m6, an open decision from 2020-10-10 in m12.
        #expect(value(p, "aid_any", "B", "m6") == 0)
        #expect(value(p, "aid_count", "B", "m6") == 0)
        #expect(value(p, "aid_amount", "B", "m6") == 0)
        #expect(status(p, "aid_first", "B", "m6") == .noEvent)
        #expect(value(p, "aid_first", "B", "m6") == nil)
        #expect(value(p, "aid_any", "B", "m12") == 1)
        #expect(value(p, "aid_amount", "B", "m12") == 20)
        #expect(value(p, "aid_first", "B", "m12") == 224)   // 2020-02-29 → 2020-10-10
        // C: 10 on the last day of m6 (2019-02-27), 20 on the first of m12, and one without amount.
        #expect(value(p, "aid_amount", "C", "m6") == 10)
        #expect(value(p, "aid_first", "C", "m6") == 180)    // 2018-08-31 → 2019-02-27
        #expect(value(p, "aid_count", "C", "m12") == 2)
        #expect(value(p, "aid_first", "C", "m12") == 181)
        let missing = p.outcome("aid_amount", unit: "C", wave: "m12")!
        #expect(missing.status == .valueMissing && missing.value == nil)
        #expect(missing.detail == "record on line 77 has no value")
    }

    @Test func shareOfMonthsAndStatusAt() throws {
        let p = try Self.panel()
        // B's months: 1 = 02-29…03-28, 2 = 03-29…04-28, 3 = 04-29…05-28, 4 = 05-29…06-28, 5 = 06-29…07-28,
        // 6 = 07-29…08-28; category 00 in Feb–May 2020 covers months 1–4.
        #expect(value(p, "js_share", "B", "m6") == 4.0 / 6.0)
        // Months 7–12 end 2021-02-27; only the February 2021 status (00) overlaps month 12.
        #expect(value(p, "js_share", "B", "m12") == 1.0 / 6.0)
        // Status on the last day: 2020-08-28 is in August (11); 2021-02-27 in February 2021 (00).
        #expect(value(p, "js_end", "B", "m6") == 0)
        #expect(value(p, "js_end", "B", "m12") == 1)
        // C across the year end: months 4 = 11-30…12-30, 5 = 12-31…01-30, 6 = 01-31…02-27; statuses in
        // December and January touch months 4, 5 and 6.
        #expect(value(p, "js_share", "C", "m6") == 0.5)
        #expect(value(p, "js_end", "C", "m6") == 0)
        // No records at all: 0, not missing.
        #expect(value(p, "js_share", "A", "m6") == 0)
        #expect(status(p, "js_share", "A", "m6") == .observed)
    }

    @Test func censoringByScopeExit() throws {
        let p = try Self.panel()
        // D left on 2019-09-15, the day after m6 (2019-03-15…2019-09-14) ends: m6 observed, m12 censored.
        #expect(status(p, "aid_any", "D", "m6") == .observed)
        let d12 = p.outcome("aid_any", unit: "D", wave: "m12")!
        #expect(d12.status == .censored && d12.value == nil && d12.detail == "moved 2019-09-15")
        #expect(status(p, "js_share", "D", "m12") == .censored)
        // E died on the last day of m6: censored at both waves (the earliest exit counts).
        #expect(p.outcome("aid_any", unit: "E", wave: "m6")?.detail == "died 2019-09-14")
        #expect(status(p, "aid_amount", "E", "m12") == .censored)
        // Survey outcomes are not censored by a registry exit.
        #expect(status(p, "fit", "E", "m6") == .itemMissing)
    }

    @Test func columnForAnEstimator() throws {
        let column = try Self.panel().column(outcome: "aid_amount", wave: "m6")
        #expect(column.map(\.row.unitID) == ["A", "B", "C", "D", "E"])
        #expect(column.map(\.cell.value) == [100, 0, 10, 0, nil])
        #expect(column.map(\.row.arm) == ["control", "treat", "control", "treat", "control"])
    }

    @Test func dataThroughMarksLaterWindowsMissing() throws {
        let p = try Panel.derive(design: T.design(), units: Self.units, records: Self.records, responses: [], exits: [],
                                 options: PanelOptions(dataThrough: ["aid": T.date("2019-12-31")]))
        // A's m6 ends 2019-07-30 (covered); m12 ends 2020-01-30 (after the extract).
        #expect(status(p, "aid_any", "A", "m6") == .observed)
        #expect(status(p, "aid_any", "A", "m12") == .beyondData)
        #expect(status(p, "js_share", "A", "m12") == .observed)   // another source
    }

    @Test func surveyWindowsInAndOut() throws {
        let p = try Self.panel()
        #expect(value(p, "fit", "A", "m6") == 4)
        #expect(p.row(unit: "A", wave: "m6")?.interview == .interviewed)
        // B: one day after the window, m6 says outside_window: missing.
        #expect(status(p, "fit", "B", "m6") == .outsideWindow)
        #expect(p.outcome("fit", unit: "B", wave: "m6")?.detail == "interviewed 2020-10-29")
        #expect(p.row(unit: "B", wave: "m6")?.interview == .outsideWindowMissing)
        // C: of two interviews the one inside the window counts.
        #expect(value(p, "fit", "C", "m6") == 2)
        #expect(p.row(unit: "C", wave: "m6")?.interviewDate == T.date("2019-04-29"))
        #expect(status(p, "fit", "D", "m6") == .noInterview)
        #expect(p.row(unit: "D", wave: "m6")?.interview == .noResponse)
        // m12 keeps interviews outside the window (flagged), including an undated one.
        #expect(value(p, "income", "D", "m12") == 1500)
        #expect(p.row(unit: "D", wave: "m12")?.interview == .outsideWindowKept)
        #expect(value(p, "income", "A", "m12") == 900)
        #expect(p.row(unit: "A", wave: "m12")?.interview == .outsideWindowKept)
        // No survey at baseline; outcomes without a window at a wave are not measured.
        #expect(p.row(unit: "A", wave: "baseline")?.interview == .noSurvey)
        #expect(status(p, "fit", "A", "m12") == .notMeasured)
        #expect(status(p, "aid_any", "A", "baseline") == .notMeasured)
    }

    @Test func surveyWindowEdges() throws {
        let wave = try T.design().waves[1]   // m6: −30 / +60 days
        let w = WaveWindow(wave: wave, assignedOn: T.date("2018-08-31"))
        #expect(w.target == T.date("2019-02-28"))
        #expect(w.first == T.date("2019-01-29") && w.last == T.date("2019-04-29"))
        #expect(w.contains(T.date("2019-01-29")) && !w.contains(T.date("2019-01-28")))
        #expect(w.contains(T.date("2019-04-29")) && !w.contains(T.date("2019-04-30")))
    }

    @Test func covariatesFromCohortAndPrePeriod() throws {
        let p = try Self.panel()
        #expect(p.covariate("age", unit: "A")?.value == 31)
        #expect(p.covariate("age", unit: "C")?.status == .cohortMissing)
        #expect(p.covariate("single", unit: "A")?.value == 1)    // ja
        #expect(p.covariate("single", unit: "D")?.value == 0)    // nee
        // A's 999 record starts 2019-01-30, the last day of month −1.
        #expect(p.covariate("aid_before", unit: "A")?.value == 1)
        #expect(p.covariate("aid_before", unit: "B")?.value == 0)
        // Take-up read as 1/0, empty or absent is unknown.
        #expect(p.row(unit: "A", wave: "m6")?.takeUp == nil)
        #expect(p.row(unit: "B", wave: "m6")?.takeUp == 1)
        #expect(p.row(unit: "C", wave: "m6")?.takeUp == 0)
        #expect(p.row(unit: "E", wave: "m6")?.takeUp == nil)
    }

    @Test func attritionPerWaveAndArm() throws {
        let p = try Self.panel()
        func a(_ w: String, _ arm: String) -> WaveAttrition { p.attrition.first { $0.wave == w && $0.arm == arm }! }
        #expect(a("m6", "control").interviewed == 3)
        #expect(a("m6", "control").censoredByReason == ["died": 1])
        #expect(a("m6", "treat").outsideWindowMissing == 1)
        #expect(a("m6", "treat").noResponse == 1)
        #expect(a("m6", "treat").censoredByReason == [:])
        #expect(a("m12", "control").outsideWindowKept == 1 && a("m12", "control").noResponse == 2)
        #expect(a("m12", "treat").outsideWindowKept == 1 && a("m12", "treat").noResponse == 1)
        #expect(a("m12", "treat").censoredByReason == ["moved": 1])
        #expect(a("m12", "treat").followedUp == 1)
    }

    @Test func consortCounts() throws {
        let c = try Self.panel().consort
        #expect(c.screened == 12 && c.eligible == 7 && c.eligibleNotRandomised == 2 && c.randomised == 5)
        #expect(c.excluded.map(\.count) == [3, 2])
        #expect(c.excluded.map(\.reason) == ["birth outside the window", "no informed consent"])
        #expect(c.allocated == ["control": 3, "treat": 2])
        #expect(c.takeUp?["control"] == .init(received: 0, notReceived: 1, unknown: 2))
        #expect(c.takeUp?["treat"] == .init(received: 2, notReceived: 0, unknown: 0))
        let m6 = c.waves.first { $0.wave == "m6" }!
        let control = m6.arms.first { $0.arm == "control" }!, treat = m6.arms.first { $0.arm == "treat" }!
        #expect(control.followedUp == 3 && control.registryCensored == 1 && control.analysed == 2)
        #expect(control.analysedByOutcome["fit"] == 2 && control.analysedByOutcome["aid_any"] == 2)
        #expect(control.analysedByOutcome["income"] == nil)   // not measured at m6
        #expect(treat.followedUp == 0 && treat.lostNoResponse == 1 && treat.lostOutsideWindow == 1)
        #expect(treat.analysed == 2 && treat.analysedByOutcome["fit"] == 0)
    }

    @Test func diagnosticsCountWhatCouldNotBeAttached() throws {
        let d = try Self.panel().diagnostics
        #expect(d.unlinkedRecords == 1 && d.unusedRecords == 1)
        #expect(d.unlinkedResponses == 1 && d.duplicateInterviews == 1 && d.unlinkedExits == 0)
    }

    @Test func badInputIsNamed() throws {
        let design = try T.design()
        var units = Self.units
        units[3].attributes["age"] = "forty"
        #expect(throws: PanelError.unreadableCovariate(unit: "D", column: "age", value: "forty")) {
            try Panel.derive(design: design, units: units, records: [], responses: [], exits: [])
        }
        units = Self.units
        units[1].attributes["mandate"] = "maybe"
        #expect(throws: PanelError.unreadableTakeUp(unit: "B", column: "mandate", value: "maybe")) {
            try Panel.derive(design: design, units: units, records: [], responses: [], exits: [])
        }
        #expect(throws: PanelError.duplicateUnit("A")) {
            try Panel.derive(design: design, units: Self.units + [Self.units[0]], records: [], responses: [], exits: [])
        }
        units = Self.units
        units[0].arm = "placebo"
        #expect(throws: PanelError.unknownArm(unit: "A", arm: "placebo", known: ["control", "treat"])) {
            try Panel.derive(design: design, units: units, records: [], responses: [], exits: [])
        }
        #expect(throws: PanelError.unknownExclusionReason("too old", known: ["birth_in_window", "consent"])) {
            try Panel.derive(design: design, units: Self.units, records: [], responses: [], exits: [],
                             options: PanelOptions(screening: Screening(screened: 10, excluded: ["too old": 1])))
        }
        #expect(throws: PanelError.self) {
            try Panel.derive(design: design, units: Self.units, records: [], responses: [], exits: [],
                             options: PanelOptions(screening: Screening(screened: 6, excluded: ["consent": 2])))
        }
        let swapped = RegistryRecord(source: "aid", participant: "A", line: 9, start: T.date("2019-03-10"), end: T.date("2019-03-01"))
        #expect(throws: PanelError.recordEndsBeforeStart(source: "aid", line: 9, start: T.date("2019-03-10"), end: T.date("2019-03-01"))) {
            try Panel.derive(design: design, units: Self.units, records: [swapped], responses: [], exits: [])
        }
        let message = PanelError.unreadableCovariate(unit: "D", column: "age", value: "forty").description
        #expect(message.contains("\"age\"") && message.contains("recode"))
    }
}

/// The exact text of the wide and long files for the five hand-computed families.
@Suite struct WriterTests {
    @Test func wideHeaderAndRow() throws {
        let p = try DerivationTests.panel()
        let lines = PanelCSV.wide(p).split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 5 * 3)
        #expect(lines[0] == "family_id,arm,assigned_on,stratum,block,cluster,probability,wave,wave_target,interview_status,"
            + "interview_date,take_up,mandate,single_parent,age,age_status,single,single_status,aid_before,aid_before_status,"
            + "aid_any,aid_any_status,aid_count,aid_count_status,aid_amount,aid_amount_status,aid_first,aid_first_status,"
            + "js_share,js_share_status,js_end,js_end_status,fit,fit_status,income,income_status")
        // A at m6: take-up unknown (empty mandate), every registry rule observed, fit 4, income not measured.
        #expect(lines[2] == "A,control,2019-01-31,,,,0.5,m6,2019-07-31,interviewed,2019-09-29,,,ja,31,observed,1,observed,1,observed,"
            + "1,observed,1,observed,100,observed,0,observed,0,observed,0,observed,4,observed,,")
        // B at m12 (row 1 + 3 + 2): share 1/6 written in full.
        #expect(lines[6].contains(",0.16666666666666666,observed,1,observed,"))
    }

    @Test func longRowsAndQuoting() throws {
        var exits = DerivationTests.exits
        exits[0].reason = "moved, abroad"
        let p = try Panel.derive(design: PanelTestDesign.design(), units: DerivationTests.units, records: DerivationTests.records,
                                 responses: DerivationTests.responses, exits: exits)
        let long = PanelCSV.long(p)
        #expect(long.hasPrefix("family_id,wave,outcome,value,status,detail\n"))
        #expect(long.contains("\nC,m12,aid_amount,,value_missing,record on line 77 has no value\n"))
        #expect(long.contains("\nD,m12,aid_any,,censored,\"moved, abroad 2019-09-15\"\n"))
        #expect(!long.contains(",not_measured,"))
        // 6 registry outcomes × 2 waves + fit at m6 + income at m12, for 5 families.
        #expect(long.split(separator: "\n").count == 1 + 5 * (6 * 2 + 1 + 1))
        #expect(PanelCSV.formatNumber(-12) == "-12" && PanelCSV.formatNumber(1214.13) == "1214.13")
    }

    @Test func surveyOutcomeAtTheWrongWaveIsNamed() throws {
        // The design's validator refuses it, naming the key …
        let yaml = PanelTestDesign.yaml.replacingOccurrences(of: "value: fit, windows: { m6: [6, 6] }", with: "value: fit, windows: { m12: [6, 6] }")
        #expect(throws: DesignError.self) { try Design.parse(yaml: yaml) }
        do { _ = try Design.parse(yaml: yaml) } catch let e as DesignError {
            #expect(e.issues.contains { $0.path.hasSuffix(".windows.m12") && $0.message.contains("holds the answers of wave m6, not m12") })
        }
        // … and the panel, given such a design value built in code, names it too.
        var design = try Design.parse(yaml: PanelTestDesign.yaml)
        let fit = try #require(design.outcomes.firstIndex { $0.id == "fit" })
        design.outcomes[fit].windows = ["m12": OutcomeWindow(months: MonthWindow(fromMonth: 6, toMonth: 6))]
        #expect(throws: PanelError.surveyWaveMismatch(outcome: "fit", source: "s6", sourceWave: "m6", wave: "m12")) {
            try Panel.derive(design: design, units: [], records: [], responses: [], exits: [])
        }
    }
}
