import Foundation
import Testing
import TrialDesign
import TrialData
import TestSupport
@testable import Panel

/// The reference design driven from the JSON-lines files in fixtures/panel (see its README), through
/// the writers into a folder. Expected values derived by hand:
///
/// - F1 (control, 2018-01-31): m6 = 2018-01-31…2018-07-30, leefloon Feb–Apr 2018 → leefloon m6 1, m12 0;
///   June 2017 lies in [−12, −1] = 2017-01-31…2018-01-30 → leefloon_before 1.
/// - F2 (intervention, 2018-03-15): one-off aid of 250 on 2018-05-02 → m6 1 and 250; an open medical card
///   from 2018-03-20 → medical_card 1 at m6 and m12.
/// - F3 (intervention, 2018-04-30): m6 ends 2018-10-29, m12 starts 2018-10-30; a training status for
///   October 2018 overlaps both → employment_programme 1 and 1; job seeker (00) in Oct–Nov: m6 month 6
///   (09-30…10-29) → 1/6; m12 months 7 (10-30…11-29) and 8 (11-30…12-29) → 2/6. Its m6 interview
///   (2019-01-15) is after the window 2018-09-30…2018-12-29 → outside_window.
/// - F4 (control, 2018-06-01) moved on 2018-09-01, inside m6 (…2018-11-30) → registry censored at m6
///   and m12, but its pre-period covariate (…2018-05-31) is observed.
/// - F6 (intervention, 2018-07-12): structural aid from 2019-01-12, the first day of m12 → m6 0, m12 600.
/// - knows_rights (index_mean of 4 binary items): every control item has mean 1/2 and SD √(1/3), so each
///   z is ±√3/2; every control family answers two items yes and two no → index 0; F2 answers all yes →
///   √3/2.
@Suite struct EndToEndFromFilesTests {
    static func load() throws -> (Design, PanelData) {
        let design = try Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
        let dir = "fixtures/panel/"
        let panel = try Panel.derive(
            design: design,
            units: try JSONLines.units(path: Fixtures.path(dir + "units.jsonl")),
            records: try JSONLines.records(path: Fixtures.path(dir + "records.jsonl")),
            responses: try JSONLines.responses(path: Fixtures.path(dir + "responses.jsonl")),
            exits: try JSONLines.exits(path: Fixtures.path(dir + "exits.jsonl")),
            options: PanelOptions(screening: try JSONLines.screening(path: Fixtures.path(dir + "screening.json"))))
        return (design, panel)
    }

    @Test func handComputedCells() throws {
        let (_, p) = try Self.load()
        func v(_ o: String, _ u: String, _ w: String) -> Double? { p.outcome(o, unit: u, wave: w)?.value }
        func s(_ o: String, _ u: String, _ w: String) -> CellStatus? { p.outcome(o, unit: u, wave: w)?.status }
        #expect(p.rows.count == 8 * 3)
        #expect(v("leefloon", "F1", "m6") == 1 && v("leefloon", "F1", "m12") == 0)
        #expect(p.covariate("leefloon_before", unit: "F1")?.value == 1)
        #expect(v("supplementary_aid", "F2", "m6") == 1 && v("supplementary_one_off", "F2", "m6") == 1)
        #expect(v("supplementary_structural", "F2", "m6") == 0 && v("supplementary_amount", "F2", "m6") == 250)
        #expect(v("medical_card", "F2", "m6") == 1 && v("medical_card", "F2", "m12") == 1)
        #expect(v("employment_programme", "F3", "m6") == 1 && v("employment_programme", "F3", "m12") == 1)
        #expect(v("job_seeker_months", "F3", "m6") == 1.0 / 6.0 && v("job_seeker_months", "F3", "m12") == 2.0 / 6.0)
        #expect(s("leefloon", "F4", "m6") == .censored && s("leefloon", "F4", "m12") == .censored)
        #expect(p.covariate("leefloon_before", unit: "F4")?.status == .observed)
        #expect(v("supplementary_amount", "F6", "m6") == 0 && v("supplementary_amount", "F6", "m12") == 600)
        #expect(v("services_fit", "F1", "m6") == 3 && v("household_income", "F2", "m12") == 1800.5)
        #expect(s("services_fit", "F3", "m6") == .outsideWindow && s("services_fit", "F6", "m6") == .noInterview)
        for control in ["F1", "F4", "F5", "F7"] { #expect(abs(v("knows_rights", control, "m6")!) < 1e-12) }
        #expect(isClose(v("knows_rights", "F2", "m6")!, 3.0.squareRoot() / 2, relative: 1e-12))
        #expect(p.covariate("domains_weak", unit: "F3")?.value == 5 && p.covariate("single_parent", unit: "F1")?.value == 1)
        #expect(p.diagnostics.unlinkedRecords == 1)
    }

    @Test func consortFromScreeningFile() throws {
        let c = try Self.load().1.consort
        #expect(c.screened == 20 && c.eligible == 9 && c.eligibleNotRandomised == 1 && c.randomised == 8)
        #expect(c.excluded.map(\.rule) == ["birth_in_window", "deprived", "consent"] && c.excluded.map(\.count) == [2, 6, 3])
        #expect(c.allocated == ["control": 4, "intervention": 4])
        #expect(c.takeUp?["intervention"] == .init(received: 3, notReceived: 0, unknown: 1))
        #expect(c.takeUp?["control"] == .init(received: 0, notReceived: 4, unknown: 0))
        let m6 = c.waves.first { $0.wave == "m6" }!.arms.first { $0.arm == "intervention" }!
        #expect(m6.followedUp == 1 && m6.lostOutsideWindow == 2 && m6.lostNoResponse == 1)
    }

    @Test func writesEveryFile() throws {
        let (design, panel) = try Self.load()
        let out = try Fixtures.temporaryDirectory("panel-e2e")
        defer { try? FileManager.default.removeItem(at: out) }
        let urls = try PanelWriter.write(panel, design: design, to: out)
        #expect(urls.map(\.lastPathComponent) == PanelWriter.fileNames)
        let wide = try String(contentsOf: out.appendingPathComponent("panel_wide.csv"), encoding: .utf8)
        let lines = wide.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 1 + 24 + 1)   // header, 24 rows, final newline
        let header = lines[0].split(separator: ",").map(String.init)
        // The subgroup column single_parent collides with the covariate of the same name.
        #expect(header.contains("cohort_single_parent") && header.contains("single_parent") && header.contains("take_up"))
        #expect(Set(header).count == header.count)
        #expect(lines.allSatisfy { $0.isEmpty || $0.split(separator: ",", omittingEmptySubsequences: false).count == header.count })
        // The dictionary documents every wide column, in order.
        let dictionary = try String(contentsOf: out.appendingPathComponent("data_dictionary.csv"), encoding: .utf8)
        let documented = dictionary.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        #expect(documented == header)
        let markdown = try String(contentsOf: out.appendingPathComponent("data_dictionary.md"), encoding: .utf8)
        #expect(markdown.contains("| `knows_rights` | Knowledge of one's rights (index of four items) | outcome | continuous | survey_m6 |"))
        #expect(markdown.contains("at least one of the records of ocmw_aid with kind in {supplementary_one_off, supplementary_structural, supplementary_price_reduction}"))
        let json = try Data(contentsOf: out.appendingPathComponent("consort.json"))
        let report = try JSONDecoder().decode(ConsortReport.self, from: json)
        #expect(report == ConsortReport(panel))
        let long = try String(contentsOf: out.appendingPathComponent("panel_long.csv"), encoding: .utf8)
        #expect(long.contains("\nF4,m6,leefloon,,censored,moved 2018-09-01\n"))
        #expect(long.contains("\nF2,m6,supplementary_amount,250,observed,\n"))
    }

    @Test func readerErrorsNameFileAndLine() throws {
        let dir = try Fixtures.temporaryDirectory("panel-jsonl")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("records.jsonl")
        try Data("""
        {"source": "aid", "participant": "P1", "start": "2018-01-01"}

        {"source": "aid", "participant": "P1", "start": "2018-02-30"}
        """.utf8).write(to: file)
        #expect(throws: JSONLines.ReadError(file: file.path, line: 3, message: "start \"2018-02-30\" is not a date; write YYYY-MM-DD")) {
            try JSONLines.records(path: file.path)
        }
        try Data("{\"source\": \"aid\", \"start\": \"2018-01-01\"}\n".utf8).write(to: file)
        #expect(throws: JSONLines.ReadError(file: file.path, line: 1, message: "key \"participant\" is missing")) {
            try JSONLines.records(path: file.path)
        }
        try Data("not json\n".utf8).write(to: file)
        #expect(throws: JSONLines.ReadError(file: file.path, line: 1, message: "not a JSON object (one object per line)")) {
            try JSONLines.records(path: file.path)
        }
    }
}
