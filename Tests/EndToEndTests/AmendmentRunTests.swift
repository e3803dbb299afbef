import Foundation
import GRDB
import Testing
import TestSupport

/// A trial lives for years (issue 21): after the bundled trial is randomised, an extract is renamed and
/// its path changed in the design with nothing to record; an outcome's window changed is refused until
/// `rct amend` records it; the amendment is then in the store, in `rct verify` and in the report.
@Suite struct AmendmentRunTests {
    static let design = "designs/mission-kortrijk.yaml"

    @Test func renameAnExtractThenAmendAWindow() throws {
        let root = try Fixtures.missionTrialCopy("rct-amend")
        let designURL = root.appendingPathComponent(Self.design)
        func edit(_ old: String, _ new: String) throws {
            let text = try String(contentsOf: designURL, encoding: .utf8)
            #expect(text.contains(old))
            try text.replacingOccurrences(of: old, with: new).write(to: designURL, atomically: true, encoding: .utf8)
        }
        let first = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root)
        #expect(first.status == 0, "\(first.stderr)")

        // Data logistics: the extract renamed, the design's path follows; no amendment.
        try FileManager.default.moveItem(at: root.appendingPathComponent("fixtures/mission/vdab_status.csv"),
                                         to: root.appendingPathComponent("fixtures/mission/vdab_2018.csv"))
        try edit("vdab_status.csv", "vdab_2018.csv")
        let moved = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root)
        #expect(moved.status == 0, "\(moved.stderr)")
        let nothing = try RCTBinary.run(["amend", Self.design, "--reason", "renamed file"], currentDirectory: root)
        #expect(nothing.status == 1 && nothing.stderr.contains("nothing to amend"), "\(nothing.stderr)")

        // The locked part: an outcome's window. Refused, naming the key, until it is amended.
        try edit("source: leefloon\n    rule: any\n    windows: { m6: [1, 6], m12: [7, 12] }", "source: leefloon\n    rule: any\n    windows: { m6: [1, 6], m12: [7, 13] }")
        for command in [["run", Self.design, "--out", "out"], ["report", Self.design, "--out", "out"], ["verify", Self.design]] {
            let refused = try RCTBinary.run(command, currentDirectory: root)
            #expect(refused.status == 1, "\(command)")
            #expect(refused.stderr.contains("outcomes[leefloon].windows.m12[1]: 12 → 13")
                && refused.stderr.contains("rct amend DESIGN --reason"), "\(command): \(refused.stderr)")
        }
        let emptyReason = try RCTBinary.run(["amend", Self.design, "--reason", " "], currentDirectory: root)
        #expect(emptyReason.status == 1 && emptyReason.stderr.contains("give the reason for the change"))
        let amended = try RCTBinary.run(["amend", Self.design, "--reason", "The registry reports by calendar month", "--by", "evaluator"],
                                        currentDirectory: root)
        #expect(amended.status == 0, "\(amended.stderr)")
        #expect(amended.stdout.contains("amendment 1 recorded (1 key changed, after 112 assignments, after outcome data were imported)"), "\(amended.stdout)")
        #expect(amended.stdout.contains("  outcomes[leefloon].windows.m12[1]: 12 → 13"))

        let verified = try RCTBinary.run(["verify", Self.design], currentDirectory: root)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("1 amendment of the design's locked part, each chained and in place"), "\(verified.stdout)")
        let run = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root)
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        #expect(html.contains("<h3>Changes to the pre-specified plan</h3>"))
        #expect(html.contains("outcomes[leefloon].windows.m12[1]: 12 → 13. Reason: The registry reports by calendar month (by evaluator; after 112 assignments, after outcome data were imported)"), "\(html)")
        let md = try String(contentsOf: root.appendingPathComponent("out/publish/effects.md"), encoding: .utf8)
        #expect(md.contains("## Changes to the pre-specified plan") && md.contains("- Amendment "))

        // In the store, chained; the arms cannot be amended.
        let store = try DatabaseQueue(path: root.appendingPathComponent("designs/mission-kortrijk.sqlite").path)
        let row = try store.read { try Row.fetchOne($0, sql: "SELECT author, reason, outcome_data, assignments, changes FROM amendments") }
        let author: String? = row?["author"], outcomeData: Int? = row?["outcome_data"], assignments: Int? = row?["assignments"]
        let changes: String? = row?["changes"]
        #expect(author == "evaluator")
        #expect(outcomeData == 1)
        #expect(assignments == 112)
        #expect(changes?.contains("outcomes[leefloon].windows.m12[1]") == true)
        try store.close()
        try edit("seed: 20170401", "seed: 1")
        let seed = try RCTBinary.run(["amend", Self.design, "--reason", "another draw"], currentDirectory: root)
        #expect(seed.status == 1)
        #expect(seed.stderr.contains("randomisation.seed: 20170401 → 1 cannot be amended: the seed fixes every draw already made. 112 families were already assigned"), "\(seed.stderr)")
    }
}
