import Foundation
import GRDB
import Testing
import TestSupport

/// Nothing wrong passes silently (issue 20, items 1 and 2): another pseudonymisation key, an extract whose
/// rows name no family, and a store whose record was altered are refused before anything is analysed
/// or replaced.
@Suite struct IntegrityRunTests {
    static let design = "designs/mission-kortrijk.yaml"

    func ranTrial(_ label: String) throws -> URL {
        let root = try Fixtures.missionTrialCopy(label)
        let run = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root)
        #expect(run.status == 0, "\(run.stderr)")
        return root
    }

    func counts(_ root: URL) throws -> [Int] {
        let queue = try DatabaseQueue(path: root.appendingPathComponent("designs/mission-kortrijk.sqlite").path)
        defer { try? queue.close() }
        return try queue.read { db in
            try ["imports", "registry_records", "survey_responses", "quarantine", "assignments"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            }
        }
    }

    @Test func anotherKeyIsRefusedBeforeAnythingIsReplaced() throws {
        let root = try ranTrial("rct-integrity-key")
        let before = try counts(root)
        let colleague = ["RCT_PSEUDONYM_KEY": "a-colleague's-key-of-another-trial"]
        let r = try RCTBinary.run(["import", Self.design, "--source", "leefloon", "--replace"], currentDirectory: root, environment: colleague)
        #expect(r.status == 1)
        #expect(r.stderr.contains("is not the one the families in designs/mission-kortrijk.sqlite were pseudonymised with")
            && r.stderr.contains("nothing was changed"), "\(r.stderr)")
        #expect(try counts(root) == before, "the store is as it was")
        let again = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root, environment: colleague)
        #expect(again.status == 1, "a run with another key is refused too")
        #expect(try counts(root) == before)
    }

    @Test func anExtractOfOtherPeopleIsRefusedNotImportedAsUnknown() throws {
        let root = try ranTrial("rct-integrity-unknown")
        let before = try counts(root)
        let survey = root.appendingPathComponent("fixtures/mission/survey_m12.csv")
        let text = try String(contentsOf: survey, encoding: .utf8)
        try text.replacingOccurrences(of: "F0", with: "X0").write(to: survey, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["import", Self.design, "--source", "survey_m12", "--replace"], currentDirectory: root)
        #expect(r.status == 1)
        #expect(r.stderr.contains("source survey_m12: 95 of 95 rows name no family of the trial (more than 50 %)")
            && r.stderr.contains("the store left as it was"), "\(r.stderr)")
        #expect(try counts(root) == before)
    }

    @Test func anAlteredStoreIsNotAnalysed() throws {
        let root = try ranTrial("rct-integrity-altered")
        let queue = try DatabaseQueue(path: root.appendingPathComponent("designs/mission-kortrijk.sqlite").path)
        try queue.write { db in
            try db.execute(sql: """
                DROP TRIGGER assignments_append_only_update;
                UPDATE assignments SET arm = CASE arm WHEN 'control' THEN 'intervention' ELSE 'control' END WHERE seq = 7
                """)
        }
        try queue.close()
        for command in [["run", Self.design, "--out", "out2"], ["report", Self.design, "--out", "out2"], ["panel", Self.design, "--out", "out2"],
                        ["estimate", Self.design]] {
            let r = try RCTBinary.run(command, currentDirectory: root)
            #expect(r.status == 1, "\(command)")
            #expect(r.stderr.contains("designs/mission-kortrijk.sqlite fails verification: record 7") && r.stderr.contains("was altered"),
                    "\(command): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out2/publish/report.html").path))
    }

    @Test func aHeaderOnlyExtractIsNamed() throws {
        let root = try ranTrial("rct-integrity-empty")
        let exits = root.appendingPathComponent("fixtures/mission/scope_exits.csv")
        let text = try String(contentsOf: exits, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        try (text.components(separatedBy: "\n")[0] + "\n").write(to: exits, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["import", Self.design, "--source", "exits", "--replace"], currentDirectory: root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("scope_exits.csv has a header and no rows; check that the extract is complete"), "\(r.stdout)")
    }

    @Test func anExtractOfAnotherPeriodIsWarnedAbout() throws {
        let root = try ranTrial("rct-integrity-period")
        let vdab = root.appendingPathComponent("fixtures/mission/vdab_status.csv")
        var text = try String(contentsOf: vdab, encoding: .utf8)
        for year in 2016...2022 { text = text.replacingOccurrences(of: "|\(year)", with: "|\(year + 20)") }
        try text.write(to: vdab, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["import", Self.design, "--source", "vdab", "--replace"], currentDirectory: root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("warning: every record of ../fixtures/mission/vdab_status.csv is dated 2036-04-01 to 2041-04-30"), "\(r.stdout)")
        #expect(r.stdout.contains("outside the days the design reads from vdab (20"))
        #expect(r.stdout.contains("check that this is the extract of the right period and region"))
        // The extracts of the right period say nothing of the kind.
        let again = try RCTBinary.run(["import", Self.design, "--source", "leefloon", "--replace"], currentDirectory: root)
        #expect(again.status == 0 && !again.stdout.contains("outside the days the design reads"), "\(again.stdout)")
    }

    @Test func aKeyFileOthersCanReadIsWarnedAbout() throws {
        let root = try Fixtures.missionTrialCopy("rct-integrity-keymode")
        let key = root.appendingPathComponent("fixtures/mission/pseudonym.key").path
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let open = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root)
        #expect(open.status == 0)
        #expect(open.stderr.contains("can be read by other users (permissions 644)") && open.stderr.contains("chmod 600"), "\(open.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let closed = try RCTBinary.run(["import", Self.design], currentDirectory: root)
        #expect(closed.status == 0 && !closed.stderr.contains("can be read by other users"), "\(closed.stderr)")
    }
}
