import Foundation
import Testing
import TestSupport

/// Cohort rows whose identifier or date cannot be used are left out with their line and reason, counted
/// in the CONSORT flow, and the rest of the trial goes on; nothing is drawn for them.
@Suite struct UnusableCohortRowsRunTests {
    @Test func runLeavesOutUnusableIntakeRecordsAndCountsThem() throws {
        let root = try Fixtures.caseworkersTrialCopy("rct-unusable-rows")
        let cohort = root.appendingPathComponent("fixtures/caseworkers/cohort.csv")
        var lines = try String(contentsOf: cohort, encoding: .utf8).components(separatedBy: "\r\n")
        func set(_ line: Int, _ column: Int, _ value: String) {
            var cells = lines[line - 1].components(separatedBy: ",")
            cells[column] = value
            lines[line - 1] = cells.joined(separator: ",")
        }
        // Line 4 (F0003): the parent's national number with a wrong check digit; line 5 (F0004): 30 February
        // as enrolment date; line 7 (F0006): no identifier. All three families were eligible.
        let original = lines[3].components(separatedBy: ",")[1]
        let corrupted = String(original.dropLast()) + String((Int(String(original.last!))! + 1) % 10)
        set(4, 1, corrupted)
        set(5, 3, "2018-02-30")
        set(7, 0, "")
        try lines.joined(separator: "\r\n").write(to: cohort, atomically: true, encoding: .utf8)

        let run = try RCTBinary.run(["run", "designs/caseworkers-cluster.yaml", "--out", "out"], currentDirectory: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("left out 3 rows of fixtures/caseworkers/cohort.csv whose identifier or date cannot be used "
            + "(unusable intake record, counted in the CONSORT flow): line 4 (column insz: not a valid national number); "
            + "line 5 (column enrolled_on: \"2018-02-30\" is not a date in the form YYYY-MM-DD (or the day does not exist)); "
            + "line 7 (column family_id: missing identifier)"), "\(run.stdout)")
        #expect(run.stdout.contains("screened 317 families: 197 eligible, 120 excluded (and 3 unusable intake records left out before the screening)"))
        #expect(run.stdout.contains("assigned 197 families"))
        // No national number is printed, the corrupted one included.
        #expect(!run.stdout.contains(corrupted) && !run.stderr.contains(corrupted))
        // CONSORT: 320 assessed, the three among the exclusions (a small cell: shown as < 5).
        let svg = try String(contentsOf: root.appendingPathComponent("out/publish/consort.svg"), encoding: .utf8)
        #expect(svg.contains("Assessed for eligibility (n\u{00A0}=\u{00A0}320)") && svg.contains("Excluded (n\u{00A0}=\u{00A0}123)"))
        #expect(svg.contains("not analysable: unusable intake record"))
        #expect(svg.contains("Randomised (n\u{00A0}=\u{00A0}197)"))
        let panel = try RunCommandTests.csv(root.appendingPathComponent("out/internal/panel/panel_wide.csv"))
        #expect(!panel.contains { ["F0003", "F0004", "F0006"].contains($0["family_id"]!) })
        #expect(Set(panel.map { $0["family_id"]! }).count == 197)
    }
}
