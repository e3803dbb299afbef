import Basics
import Testing
import TrialData
import TrialDesign
@testable import Panel

/// The outcome rules a protocol states — windows in days or calendar months, reference days, the
/// registry rules over spells, payments and events, filter expressions, scales — on families whose every
/// expected value was worked out by hand from a calendar. The month boundaries are written out in the
/// comments; 2020 is a leap year.
@Suite struct OutcomeRuleTests {
    static let yaml = """
    trial: { id: rules, title: Outcome rules, id_column: family_id }
    arms: [{ id: control, control: true }, { id: treat }]
    randomisation: { method: complete, seed: 1 }
    waves:
      - { id: m6, offset_months: 6 }
      - { id: m4, offset_months: 4, days_after_assignment: [121, 274] }
    sources:
      - { id: spells, kind: spells, file: s.csv, identifier: { column: code, type: code }, dialect: { format: delimited }, extract_date: 2020-12-31, vocabulary: { type: [training, work] } }
      - { id: pay, kind: payments, file: p.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
      - { id: ev, kind: events, file: e.csv, identifier: { column: code, type: code }, dialect: { format: delimited }, vocabulary: { type: [visit, call] } }
      - { id: aid, kind: ocmw_aid, file: a.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
      - { id: survey, kind: survey, wave: m6, file: q.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
      - { id: survey4, kind: survey, wave: m4, file: q4.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
    families: [{ id: main }]
    outcomes:
      - { id: t_overlaps, family: main, type: binary, source: spells, rule: overlaps, filter: { field: type, in: [training] }, windows: { m6: [1, 6] } }
      - { id: t_starts, family: main, type: binary, source: spells, rule: starts_in, filter: { equals: { field: type, value: training } }, windows: { m6: [1, 6] } }
      - { id: t_count, family: main, type: count, source: spells, rule: count_starts, filter: { field: type, in: [training] }, windows: { m6: [1, 6] } }
      - { id: t_days, family: main, type: count, source: spells, rule: days_covered, filter: { field: type, in: [training] }, windows: { m6: [1, 6] } }
      - { id: t_days_cal, family: main, type: count, source: spells, rule: days_covered, filter: { field: type, in: [training] }, from: assignment_month, windows: { m6: [1, 6] } }
      - { id: t_months, family: main, type: count, source: spells, rule: months_with_any, filter: { field: type, in: [training] }, windows: { m6: [1, 6] } }
      - { id: t_months_cal, family: main, type: count, source: spells, rule: months_with_any, filter: { field: type, in: [training] }, windows: { m6: { months: [1, 6], from: assignment_month } } }
      - { id: t_share, family: main, type: continuous, source: spells, rule: share_of_months, filter: { field: type, in: [training] }, windows: { m6: [1, 6] } }
      - { id: t_first, family: main, type: continuous, source: spells, rule: first_start, filter: { field: type, in: [training] }, windows: { m6: [1, 6] } }
      - { id: t_start_only, family: main, type: count, source: spells, rule: days_covered, date: start, filter: { field: type, in: [training] }, windows: { m6: [1, 6] } }
      - { id: w_end6, family: main, type: binary, source: spells, rule: active_on, filter: { field: type, in: [work] }, windows: { m6: { on: end_of_month 6 } } }
      - { id: w_day200, family: main, type: binary, source: spells, rule: active_on, filter: { field: type, in: [work] }, windows: { m6: { on: day 200 } } }
      - { id: pay_sum, family: main, type: continuous, source: pay, rule: sum, value: amount, windows: { m6: [1, 6] } }
      - { id: pay_period, family: main, type: continuous, source: pay, rule: sum, value: amount, date: period, windows: { m6: [1, 6] } }
      - { id: pay_prorated, family: main, type: continuous, source: pay, rule: sum, value: amount, date: period, prorate: days, windows: { m6: [1, 6] } }
      - { id: ev_count, family: main, type: count, source: ev, rule: count_starts, windows: { m6: [1, 6] } }
      - { id: ev_month0, family: main, type: count, source: ev, rule: count_starts, from: assignment_month, windows: { m6: [0, 0] } }
      - { id: ev_day182, family: main, type: binary, source: ev, rule: active_on, windows: { m6: { on: day 182 } } }
      - { id: aid_or, family: main, type: count, source: aid, rule: count_starts, windows: { m6: [1, 6] },
          filter: { any_of: [{ all_of: [{ in: { field: kind, values: [supplementary_one_off, rental_deposit] } }, { between: { field: amount, max: 700 } }] },
                             { not: { in: { field: kind, values: [supplementary_one_off, rental_deposit, medical_card] } } }] } }
      - { id: scale_mean, family: main, type: continuous, source: survey, rule: scale, items: [q1, q2, q3, q4], wave: m6,
          scale: { score: mean, reverse: [q2], range: [1, 5], min_valid: 3 } }
      - { id: scale_sum, family: main, type: continuous, source: survey, rule: scale, items: [q1, q2, q3, q4], wave: m6,
          scale: { score: sum, reverse: [q2], range: [1, 5], min_valid: 3 } }
      - { id: q_m4, family: main, type: continuous, source: survey4, rule: survey_item, value: q1, wave: m4 }
    """

    static let design = try! Design.parse(yaml: yaml)
    static func day(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

    static let units = [
        // A, assigned 2020-01-31. From the assignment day: B(1) = 2020-02-29 (Jan 31 + 1 month, clamped
        // to February's last day), … B(6) = 2020-07-31, so months 1–6 are 2020-01-31…2020-07-30; month 1 is
        // 01-31…02-28, month 2 is 02-29…03-30. In calendar months, months 1–6 are 2020-02-01…2020-07-31.
        AssignedUnit(id: "A", arm: "control", assignedOn: day("2020-01-31"), probability: 0.5),
        // B, assigned 2019-02-28: months 1–6 are 2019-02-28…2019-08-27.
        AssignedUnit(id: "B", arm: "treat", assignedOn: day("2019-02-28"), probability: 0.5),
        // C, assigned 2020-02-29 (a leap day): months 1–6 are 2020-02-29…2020-08-28.
        AssignedUnit(id: "C", arm: "control", assignedOn: day("2020-02-29"), probability: 0.5),
        // D, assigned 2019-12-15: months 1–6 are 2019-12-15…2020-06-14; day 182 is 2020-06-14.
        AssignedUnit(id: "D", arm: "treat", assignedOn: day("2019-12-15"), probability: 0.5),
        // E, assigned 2020-03-10, for the filter expressions; F and G for scales.
        AssignedUnit(id: "E", arm: "control", assignedOn: day("2020-03-10"), probability: 0.5),
        AssignedUnit(id: "F", arm: "treat", assignedOn: day("2020-03-10"), probability: 0.5),
        AssignedUnit(id: "G", arm: "control", assignedOn: day("2020-03-10"), probability: 0.5),
    ]

    static func spell(_ who: String, _ type: String, _ start: String, _ end: String?, line: Int) -> RegistryRecord {
        RegistryRecord(source: "spells", participant: who, line: line, start: day(start), end: end.map(day), attributes: ["type": type])
    }

    static func payment(_ who: String, month: String, _ amount: Double, period: (String, String)? = nil, line: Int) -> RegistryRecord {
        let start = day(month + "-01")
        var attributes = ["payment_month": month]
        if let (a, b) = period { attributes["period_start"] = a; attributes["period_end"] = b }
        return RegistryRecord(source: "pay", participant: who, line: line, start: start, end: start.endOfMonth,
                              attributes: attributes, numbers: ["amount": amount])
    }

    static func event(_ who: String, _ on: String, line: Int) -> RegistryRecord {
        RegistryRecord(source: "ev", participant: who, line: line, start: day(on), end: day(on), attributes: ["type": "visit"])
    }

    static func aid(_ who: String, _ kind: String, _ start: String, amount: Double?, line: Int) -> RegistryRecord {
        RegistryRecord(source: "aid", participant: who, line: line, start: day(start), end: day(start),
                       attributes: ["kind": kind, "decision_date": start], numbers: amount.map { ["amount": $0] } ?? [:])
    }

    static let records: [RegistryRecord] = [
        // A: two training spells that overlap, one starting before the window; a work spell still running
        // at the extract date (the reader set its end to 2020-12-31).
        spell("A", "training", "2019-12-01", "2020-02-10", line: 1),
        spell("A", "training", "2020-02-05", "2020-03-05", line: 2),
        spell("A", "work", "2020-07-30", "2020-12-31", line: 3),
        // B: work only, ending the day before month 6 ends.
        spell("B", "work", "2019-03-01", "2019-08-26", line: 4),
        // C: a payment in March (for February's period), a recovery in April, a payment in September.
        payment("C", month: "2020-03", 100, period: ("2020-02-01", "2020-02-29"), line: 5),
        payment("C", month: "2020-04", -30, line: 6),
        payment("C", month: "2020-09", 50, line: 7),
        // D: events on the assignment day, on the last day of month 6 and on the first day of month 7.
        event("D", "2019-12-15", line: 8),
        event("D", "2020-06-14", line: 9),
        event("D", "2020-06-15", line: 10),
        // E, window 2020-03-10…2020-09-09: decisions for the filter expressions.
        aid("E", "supplementary_one_off", "2020-04-01", amount: 600, line: 11),   // in {one-off, deposit} and ≤ 700: passes
        aid("E", "rental_deposit", "2020-05-01", amount: 900, line: 12),          // over 700, and in the excluded list: fails
        aid("E", "medical_card", "2020-06-01", amount: nil, line: 13),            // excluded kind, no amount: fails
        aid("E", "emergency_aid", "2020-07-01", amount: 2000, line: 14),          // not in the list: passes the not
    ]

    static let responses = [
        // F: q2 = 2 reversed on [1, 5] is 4; q4 unanswered: 3 valid items ≥ 3; mean (4 + 4 + 5) / 3, sum 13.
        SurveyResponse(source: "survey", wave: "m6", participant: "F", line: 1, interviewDate: day("2020-09-10"),
                       answers: ["q1": 4, "q2": 2, "q3": 5]),
        // G: q3 = 9 lies outside [1, 5] and is not valid; q2 unanswered: 2 valid items < 3.
        SurveyResponse(source: "survey", wave: "m6", participant: "G", line: 2, interviewDate: day("2020-09-10"),
                       answers: ["q1": 1, "q3": 9, "q4": 2]),
        // m4 counts interviews 121 to 274 days after assignment (2020-03-10 + 121 = 2020-07-09): F on day
        // 121 is interviewed, G on day 120 (2020-07-08) falls outside (outside_window: missing).
        SurveyResponse(source: "survey4", wave: "m4", participant: "F", line: 3, interviewDate: day("2020-07-09"), answers: ["q1": 3]),
        SurveyResponse(source: "survey4", wave: "m4", participant: "G", line: 4, interviewDate: day("2020-07-08"), answers: ["q1": 3]),
    ]

    static let panel = try! Panel.derive(design: design, units: units, records: records, responses: responses, exits: [])

    func value(_ outcome: String, _ unit: String, wave: String = "m6") -> Double? {
        Self.panel.outcome(outcome, unit: unit, wave: wave)?.value
    }

    @Test func spellsInDaysAndInCalendarMonths() {
        #expect(value("t_overlaps", "A") == 1 && value("t_overlaps", "B") == 0)
        // Only the second training spell starts in the window (02-05); the first started on 2019-12-01.
        #expect(value("t_starts", "A") == 1 && value("t_count", "A") == 1)
        // Union of 01-31…02-10 and 02-05…03-05, clipped to 01-31…07-30: 01-31…03-05 = 1 + 29 + 5 days.
        #expect(value("t_days", "A") == 35)
        // In calendar months the window starts on 02-01: 02-01…03-05 = 29 + 5 days.
        #expect(value("t_days_cal", "A") == 34)
        // Month 1 (01-31…02-28) and month 2 (02-29…03-30) are touched; from the calendar, February and March.
        #expect(value("t_months", "A") == 2 && value("t_months_cal", "A") == 2)
        #expect(value("t_share", "A") == 2.0 / 6.0)
        // Reading only each spell's start day: 02-05 lies in the window, 2019-12-01 does not: 1 day.
        #expect(value("t_start_only", "A") == 1)
    }

    @Test func firstStartIsCensoredAtTheWindowsEnd() {
        // A: the first start in the window is 02-05, 5 days after 01-31; not censored.
        #expect(value("t_first", "A") == 5)
        #expect(Self.panel.outcome("t_first_censored", unit: "A", wave: "m6")?.value == 0)
        // B: no training spell: the days to the window's last day, 2019-08-27, are 1 + 31 + 30 + 31 + 30 + 31 + 26
        // = 180 from 02-28; censored.
        #expect(value("t_first", "B") == 180)
        #expect(Self.panel.outcome("t_first_censored", unit: "B", wave: "m6")?.value == 1)
        #expect(Self.panel.outcomeIDs.last == "t_first_censored")
    }

    @Test func referenceDays() {
        // A's month 6 ends on 2020-07-30, the day its work spell starts: active.
        #expect(value("w_end6", "A") == 1)
        // B's month 6 ends on 2019-08-27; its work spell ended on 08-26: not active.
        #expect(value("w_end6", "B") == 0)
        // Day 200 after 2020-01-31 is 2020-08-18 (A's running spell covers it); after 2019-02-28 it is
        // 2019-09-16 (B's spell has ended).
        #expect(value("w_day200", "A") == 1 && value("w_day200", "B") == 0)
        // D: day 182 after 2019-12-15 is 2020-06-14, the day of an event.
        #expect(value("ev_day182", "D") == 1)
    }

    @Test func paymentsBySignedAmountPaymentMonthPeriodAndProration() {
        // C's window is 2020-02-29…2020-08-28. By payment month: March +100 and April −30 start in it,
        // September does not: 70.
        #expect(value("pay_sum", "C") == 70)
        // By the period it relates to: March's payment is for February, which starts before the window;
        // April's has no period and is read by its payment month: −30.
        #expect(value("pay_period", "C") == -30)
        // Prorated by days: February's period overlaps the window on 1 of its 29 days (02-29), April wholly.
        let prorated = try! #require(value("pay_prorated", "C"))
        #expect(abs(prorated - (100.0 / 29.0 - 30)) < 1e-12)
    }

    @Test func eventsAtTheWindowsEdges() {
        // D's months 1–6 are 2019-12-15…2020-06-14: the events on 12-15 and 06-14 count, 06-15 does not.
        #expect(value("ev_count", "D") == 2)
        // Calendar month 0 is the month of assignment, December 2019: one event.
        #expect(value("ev_month0", "D") == 1)
    }

    @Test func windowsPastTheExtractsLastMonthAreReported() throws {
        // By their own dates the extracts cover: aid up to its latest decision's month (2020-07-01 → 07-31),
        // events up to 2020-06-30 (latest 06-15), payments up to 2020-09-30, spells to their extract date.
        let past = Self.panel.diagnostics.windowsPastData ?? []
        let found = past.map { "\($0.target) \($0.wave ?? "-") \($0.source) \($0.extractEnds) \($0.units) \($0.latestWindowEnd)" }
        #expect(found.sorted() == [
            // Months 1–6 of C (to 08-28) and of E, F, G (to 09-09) end after July.
            "aid_or m6 aid 2020-07-31 4 2020-09-09",
            // Months 1–6 of A (to 07-30), C and E, F, G end after June; D's (to 06-14) and B's do not.
            "ev_count m6 ev 2020-06-30 5 2020-09-09",
            // Day 182 of A (07-31), C (08-29), E, F, G (09-08); month 0 of every family lies before.
            "ev_day182 m6 ev 2020-06-30 5 2020-09-08",
        ])
        // A warning, not a missing value: D's events still count, and A's window counts what there is.
        #expect(value("ev_count", "D") == 2 && value("ev_count", "A") == 0)

        // With data_through: declared, such windows are missing instead.
        let declared = try Design.parse(yaml: Self.yaml.replacingOccurrences(
            of: "vocabulary: { type: [visit, call] } }", with: "vocabulary: { type: [visit, call] }, data_through: 2020-06-30 }"))
        #expect(declared.sources.first { $0.id == "ev" }?.dataThrough == Self.day("2020-06-30"))
        let through = try Panel.derive(design: declared, units: Self.units, records: Self.records, responses: Self.responses, exits: [],
                                       options: PanelOptions(dataThrough: ["ev": Self.day("2020-06-30")]))
        #expect(through.outcome("ev_count", unit: "A", wave: "m6")?.status == .beyondData)
        #expect(through.outcome("ev_count", unit: "D", wave: "m6")?.value == 2)
        #expect(!(through.diagnostics.windowsPastData ?? []).contains { $0.source == "ev" })
    }

    @Test func filterExpressions() {
        // (kind in {one-off, deposit} and amount ≤ 700) or not kind in {one-off, deposit, card}:
        // line 11 passes the first part, line 14 the second: 2.
        #expect(value("aid_or", "E") == 2)
        let f = Self.design.outcomes.first { $0.id == "aid_or" }!.filter!
        #expect(f.fields.sorted() == ["amount", "kind", "kind"])
    }

    @Test func scalesScoredAsTheProtocolSays() {
        #expect(abs(value("scale_mean", "F")! - 13.0 / 3.0) < 1e-12)
        #expect(value("scale_sum", "F") == 13)
        let g = Self.panel.outcome("scale_mean", unit: "G", wave: "m6")
        #expect(g?.value == nil && g?.status == .tooFewItems)
        #expect(g?.detail == "2 of 4 items valid, 3 needed")
        // Attrition counts the scale missing for too few items apart from interviews: G (control) at m6.
        let control = Self.panel.attrition.first { $0.wave == "m6" && $0.arm == "control" }!
        #expect(control.tooFewItemsByOutcome?["scale_mean"] == 1)
    }

    @Test func aWaveWindowInDaysAfterAssignment() {
        #expect(value("q_m4", "F", wave: "m4") == 3)
        let g = Self.panel.outcome("q_m4", unit: "G", wave: "m4")
        #expect(g?.value == nil && g?.status == .outsideWindow)
    }

    @Test func theValidatorRefusesRulesThatCannotBeApplied() {
        func problems(_ outcome: String) -> [String] {
            let yaml = Self.yaml.replacingOccurrences(of: "families: [{ id: main }]\noutcomes:\n", with: "families: [{ id: main }]\noutcomes:\n" + outcome + "\n")
            do { _ = try Design.parse(yaml: yaml); return [] } catch let e as DesignError { return e.issues.map(\.message) } catch { return ["\(error)"] }
        }
        #expect(problems("  - { id: x, family: main, type: count, source: spells, rule: days_covered, windows: { m6: { on: day 10 } } }")
            .contains { $0.contains("a reference day (on:) is read by active_on") })
        #expect(problems("  - { id: x, family: main, type: binary, source: spells, rule: days_covered, windows: { m6: [1, 6] } }")
            .contains { $0.contains("does not give a 0/1 value") })
        #expect(problems("  - { id: x, family: main, type: count, source: spells, rule: count_starts, date: period, windows: { m6: [1, 6] } }")
            .contains { $0.contains("period is a date of payments") })
        #expect(problems("  - { id: x, family: main, type: continuous, source: survey, rule: scale, items: [q1, q2], wave: m6, scale: { reverse: [q9], range: [1, 5] } }")
            .contains { $0.contains("\"q9\" is not one of the outcome's items") })
        #expect(problems("  - { id: x, family: main, type: count, source: spells, rule: count_starts, filter: { any_of: [] }, windows: { m6: [1, 6] } }")
            .contains { $0.contains("all_of") || $0.contains("any_of takes a list") })
    }
}
