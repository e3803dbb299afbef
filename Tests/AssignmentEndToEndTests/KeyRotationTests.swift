import Foundation
import GRDB
import Testing
import TestSupport

/// Issue 20, item 1: `rct key rotate` on the bundled trial after `rct run`. The extracts imported again
/// under the new key link to the same families (the same effects), the old key is refused by name, a
/// refused rotation leaves the store's file as it was, and `rct verify` names a rotation or its map
/// changed behind the triggers' back. docs/security.md lists the attacks ("Attacks on a key rotation").
@Suite(.serialized) struct KeyRotationTests {
    static let design = "designs/mission-kortrijk.yaml"
    static let store = "designs/mission-kortrijk.sqlite"
    static let oldKey = "fixtures/mission/pseudonym.key"
    static let cohort = "fixtures/mission/cohort.csv"
    /// The design's key file (the demo key) rather than anything in the caller's environment.
    static let demoKey = ["RCT_PSEUDONYM_KEY": ""]

    /// A copy of the bundled trial after `rct run`, its key files readable by their owner only.
    func ranTrial(_ label: String) throws -> URL {
        let root = try Fixtures.missionTrialCopy(label)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root.appendingPathComponent(Self.oldKey).path)
        let run = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root, environment: Self.demoKey)
        #expect(run.status == 0, "\(run.stderr)")
        return root
    }

    /// Writes a key file (mode 600) and returns its text.
    @discardableResult
    func writeKey(_ root: URL, _ name: String, _ text: String) throws -> String {
        let path = root.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return text
    }

    func rotate(_ root: URL, old: String = oldKey, new: String = "new.key", cohort: String = cohort) throws -> RunResult {
        try RCTBinary.run(["key", "rotate", Self.design, "--old-key", old, "--new-key", new, "--cohort", cohort],
                          currentDirectory: root, environment: Self.demoKey)
    }

    /// The cohort's national numbers (its `insz` column).
    static let nationalNumbers: [String] = {
        let text = (try? Fixtures.contents(cohort)) ?? ""
        return text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").dropFirst()
            .compactMap { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst().first.map(String.init) }
            .filter { !$0.isEmpty }
    }()

    /// None of the cohort's national numbers is in `text`.
    func noNationalNumber(_ text: String) -> Bool {
        !Self.nationalNumbers.isEmpty && !Self.nationalNumbers.contains { text.contains($0) }
    }

    @Test func theExtractsImportedUnderTheNewKeyLinkTheSameFamilies() throws {
        let root = try ranTrial("rct-rotate")
        let newKey = try writeKey(root, "new.key", "a brand new key of the trial, 2019")
        let rotated = try rotate(root)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.contains("key rotation 1 recorded") && rotated.stdout.contains("160 families re-pseudonymised"),
                "\(rotated.stdout)")
        #expect(rotated.stdout.contains("after assignment record 112 and import 8"))
        #expect(rotated.stderr.isEmpty, "no warning for keys readable by their owner only: \(rotated.stderr)")
        #expect(noNationalNumber(rotated.stdout + rotated.stderr))

        let verify = try RCTBinary.run(["verify", Self.design], currentDirectory: root)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("1 rotation of the pseudonymisation key, each chained, in place and with its pseudonym map intact"))

        // The old key is refused, with the date of the rotation, and nothing is changed.
        let old = try RCTBinary.run(["import", Self.design, "--source", "leefloon", "--replace"], currentDirectory: root,
                                    environment: Self.demoKey)
        #expect(old.status == 1)
        #expect(old.stderr.contains("was rotated out of designs/mission-kortrijk.sqlite on ") && old.stderr.contains("(key rotation 1)")
            && old.stderr.contains("Use the new key file") && old.stderr.contains("nothing was changed"), "\(old.stderr)")
        let oldRun = try RCTBinary.run(["run", Self.design, "--out", "out-old"], currentDirectory: root, environment: Self.demoKey)
        #expect(oldRun.status == 1 && oldRun.stderr.contains("was rotated out of"), "\(oldRun.stderr)")

        // The same extracts under the new key: the same families, the same effects.
        let withNew = ["RCT_PSEUDONYM_KEY": newKey]
        let same = try RCTBinary.run(["import", Self.design, "--source", "leefloon"], currentDirectory: root, environment: withNew)
        #expect(same.status == 1 && same.stderr.contains("it was imported under the key rotated out on"), "\(same.stderr)")
        let again = try RCTBinary.run(["import", Self.design, "--replace"], currentDirectory: root, environment: withNew)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("leefloon: ../fixtures/mission/ocmw_leefloon.csv imported as import 9"), "\(again.stdout)")
        #expect(again.stdout.contains("merge: 98 of 112 families with records; 14 with none"), "\(again.stdout)")
        #expect(noNationalNumber(again.stdout + again.stderr))
        let after = try RCTBinary.run(["run", Self.design, "--out", "out-new"], currentDirectory: root, environment: withNew)
        #expect(after.status == 0, "\(after.stderr)")
        let before = try String(contentsOf: root.appendingPathComponent("out/publish/effects.csv"), encoding: .utf8)
        let now = try String(contentsOf: root.appendingPathComponent("out-new/publish/effects.csv"), encoding: .utf8)
        #expect(before == now, "the effects are those of the extracts imported under the first key")

        // Every registry import since the rotation carries the new key, and the rows link to the same families.
        let queue = try DatabaseQueue(path: root.appendingPathComponent(Self.store).path)
        defer { try? queue.close() }
        try queue.read { db in
            let keys = try String.fetchAll(db, sql: "SELECT DISTINCT key_fingerprint FROM imports WHERE id > 8 AND key_fingerprint IS NOT NULL")
            let first = try String.fetchOne(db, sql: "SELECT key_fingerprint FROM link_key")
            #expect(keys.count == 1 && keys.first != first)
            let linked = { (ids: String) in
                try String.fetchAll(db, sql: """
                    SELECT r.participant || '|' || COUNT(*) FROM registry_records r JOIN imports i ON i.id = r.import_id
                    WHERE i.source_id = 'leefloon' AND i.id \(ids) GROUP BY r.participant ORDER BY r.participant
                    """)
            }
            let before = try linked("<= 8"), after = try linked("> 8")
            #expect(!before.isEmpty && before == after)
        }
        let final = try RCTBinary.run(["verify", Self.design], currentDirectory: root)
        #expect(final.status == 0, "\(final.stderr)")
    }

    /// A family enrolled after the rotation (`rct enrol`, the bundled design being permuted_blocks) under the
    /// new key has its pseudonym under the new key as its link key, and the registry rows imported under the
    /// new key link to it; the old key is refused and writes nothing.
    @Test func aFamilyEnrolledAfterTheRotationLinksTheRowsImportedUnderTheNewKey() throws {
        let root = try ranTrial("rct-rotate-enrol")
        let newKey = try writeKey(root, "new.key", "a brand new key of the trial, 2019")
        #expect(try rotate(root).status == 0)
        // A synthetic national number (sequence 999: never issued), not in the cohort.
        let number = "90061599995"
        #expect(!Self.nationalNumbers.contains(number))
        let fields = ["family_id=F0161", "insz=\(number)", "birth_date=2019-01-10", "weak_income=1", "weak_education=1",
                      "weak_stimulation=1", "weak_employment=1", "weak_housing=0", "weak_health=0", "consent=yes",
                      "deprivation_band=4-6", "domains_weak=4", "single_parent=0"].flatMap { ["--field", $0] }
        let enrol = ["enrol", Self.design, "--date", "2019-03-01"] + fields

        let old = try RCTBinary.run(enrol, currentDirectory: root, environment: Self.demoKey)
        #expect(old.status == 1)
        #expect(old.stderr.contains("was rotated out of designs/mission-kortrijk.sqlite on ") && old.stderr.contains("(key rotation 1)")
                && old.stderr.contains("nothing was changed"), "\(old.stderr)")
        #expect(old.stdout.isEmpty && noNationalNumber(old.stderr) && !old.stderr.contains(number))
        let unchanged = try RCTBinary.run(["verify", Self.design], currentDirectory: root)
        #expect(unchanged.stdout.contains("112 assignment records, the chain is intact"), "\(unchanged.stdout)\(unchanged.stderr)")

        let withNew = ["RCT_PSEUDONYM_KEY": newKey]
        let enrolled = try RCTBinary.run(enrol, currentDirectory: root, environment: withNew)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(enrolled.stdout.hasPrefix("family F0161: ") && enrolled.stdout.contains("record 113 in "), "\(enrolled.stdout)")
        #expect(!(enrolled.stdout + enrolled.stderr).contains(number))

        // Two months of leefloon for the new family in the extract, imported again under the new key.
        let extract = root.appendingPathComponent("fixtures/mission/ocmw_leefloon.csv")
        let handle = try FileHandle(forWritingTo: extract)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\(number);2019-05;1284,14;3\r\n\(number);2019-06;1286,26;3\r\n".utf8))
        try handle.close()
        let imported = try RCTBinary.run(["import", Self.design, "--source", "leefloon", "--replace"], currentDirectory: root,
                                         environment: withNew)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("merge: 99 of 113 families with records; 14 with none"), "\(imported.stdout)")
        #expect(!(imported.stdout + imported.stderr).contains(number))

        let queue = try DatabaseQueue(path: root.appendingPathComponent(Self.store).path)
        defer { try? queue.close() }
        try queue.read { db in
            let link = try #require(try String.fetchOne(db, sql: "SELECT link_key FROM assignments WHERE unit_id = 'F0161'"))
            #expect(link.hasPrefix("P") && link.count == 33)
            #expect(try String.fetchOne(db, sql: "SELECT link_key FROM cohort WHERE unit_id = 'F0161'") == link)
            // Not a pseudonym the rotation mapped: the family's own pseudonym under the new key.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM link_key_map WHERE pseudonym = ? OR link_key = ?", arguments: [link, link]) == 0)
            let rows = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM registry_records r JOIN imports i ON i.id = r.import_id
                WHERE i.id = (SELECT MAX(id) FROM imports WHERE source_id = 'leefloon') AND r.participant = ?
                """, arguments: [link])
            #expect(rows == 2)
        }
        let verify = try RCTBinary.run(["verify", Self.design], currentDirectory: root)
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    /// The store's file, byte for byte, and every table's rows.
    func snapshot(_ root: URL) throws -> (Data, [String]) {
        let path = root.appendingPathComponent(Self.store).path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        let rows = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { "\(table): \($0)" }
            }
        }
        return (bytes, rows)
    }

    @Test func aRefusedRotationLeavesTheStoreAsItWas() throws {
        let root = try ranTrial("rct-rotate-refused")
        try writeKey(root, "new.key", "a brand new key of the trial, 2019")
        try writeKey(root, "colleague.key", "a colleague's key of another trial")
        let cohortText = try String(contentsOf: root.appendingPathComponent(Self.cohort), encoding: .utf8)
        let lines = cohortText.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
        try (lines.prefix(101).joined(separator: "\n") + "\n").write(to: root.appendingPathComponent("short.csv"), atomically: true, encoding: .utf8)
        let (bytes, rows) = try snapshot(root)
        let cases: [(name: String, result: RunResult, phrases: [String])] = [
            ("wrong old key", try rotate(root, old: "colleague.key"),
             ["the old key colleague.key", "is not the key in force in designs/mission-kortrijk.sqlite"]),
            ("cohort missing families", try rotate(root, cohort: "short.csv"),
             ["60 of the 160 families in designs/mission-kortrijk.sqlite are not found in short.csv under the old key"]),
            ("new key is the old key", try rotate(root, new: Self.oldKey), ["is the key in force in designs/mission-kortrijk.sqlite: nothing to rotate"]),
            ("no cohort file", try rotate(root, cohort: "missing.csv"), ["cannot read the cohort file missing.csv"]),
            ("no new key file", try rotate(root, new: "missing.key"), ["cannot read the pseudonymisation key file missing.key"]),
        ]
        for c in cases {
            #expect(c.result.status == 1, "\(c.name)")
            for phrase in c.phrases { #expect(c.result.stderr.contains(phrase), "\(c.name): \(c.result.stderr)") }
            #expect(noNationalNumber(c.result.stdout + c.result.stderr), "\(c.name)")
        }
        let (bytesAfter, rowsAfter) = try snapshot(root)
        #expect(rowsAfter == rows, "every table holds what it held")
        #expect(bytesAfter == bytes, "the store's file is byte for byte as it was")

        // A key file others can read is named (and the rotation still made).
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: root.appendingPathComponent("new.key").path)
        let open = try rotate(root)
        #expect(open.status == 0, "\(open.stderr)")
        #expect(open.stderr.contains("warning: the pseudonymisation key new.key can be read by other users (permissions 644)"), "\(open.stderr)")
    }

    // MARK: Attacks on a rotation

    struct Attack: Sendable, CustomTestStringConvertible {
        var name: String
        var sql: String
        var expected: [String]
        var keepTriggersDropped = false
        var testDescription: String { name }
    }

    static let attacks: [Attack] = [
        Attack(name: "the new key of a rotation changed", sql: "UPDATE key_rotations SET new_fingerprint = 'forged00' WHERE seq = 1",
               expected: ["key rotation 1 was altered"]),
        Attack(name: "the family count of a rotation changed", sql: "UPDATE key_rotations SET families = families - 1 WHERE seq = 1",
               expected: ["key rotation 1 was altered"]),
        Attack(name: "a pseudonym of the map linked to another family", sql: """
            UPDATE link_key_map SET link_key = (SELECT MAX(link_key) FROM link_key_map) WHERE rowid = (SELECT MIN(rowid) FROM link_key_map)
            """, expected: ["the pseudonym map of key rotation 1 was altered: a pseudonym or link key is not what was written"]),
        Attack(name: "a pseudonym removed from the map", sql: "DELETE FROM link_key_map WHERE rowid = (SELECT MIN(rowid) FROM link_key_map)",
               expected: ["the pseudonym map of key rotation 1 was altered: it mapped 160 pseudonyms, the store now holds 159"]),
        Attack(name: "a pseudonym slipped into the map", sql: "INSERT INTO link_key_map (rotation, pseudonym, link_key) VALUES (1, 'Pforged', 'Pfamily')",
               expected: ["it mapped 160 pseudonyms, the store now holds 161"]),
        Attack(name: "the rotation deleted with its map", sql: "DELETE FROM link_key_map; DELETE FROM key_rotations",
               expected: ["import 9 (leefloon) was pseudonymised with key", "a key rotation was removed or altered"]),
        Attack(name: "the rotation deleted, its map left", sql: "DELETE FROM key_rotations",
               expected: ["key rotation 1 was removed"]),
        Attack(name: "the first key changed", sql: "UPDATE link_key SET key_fingerprint = 'forged00'",
               expected: ["key rotation 1 rotates key", "but the key in force before it was forged00"]),
        Attack(name: "the rotation's triggers removed", sql: "SELECT 1",
               expected: ["the append-only triggers were removed (", "key_rotations_append_only_update"], keepTriggersDropped: true),
    ]

    /// The rotated store, made once: the bundled trial run, its key rotated, leefloon imported again under
    /// the new key (import 9).
    static let rotated: Result<URL, any Error> = Result {
        let suite = KeyRotationTests()
        let root = try suite.ranTrial("rct-rotate-attacks")
        let key = try suite.writeKey(root, "new.key", "a brand new key of the trial, 2019")
        let rotated = try suite.rotate(root)
        guard rotated.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: rotated.stderr]) }
        let imported = try RCTBinary.run(["import", design, "--source", "leefloon", "--replace"], currentDirectory: root,
                                         environment: ["RCT_PSEUDONYM_KEY": key])
        guard imported.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: imported.stderr]) }
        return root
    }

    @Test(arguments: attacks)
    func theDefaultVerifyNamesIt(_ attack: Attack) throws {
        let root = try Self.rotated.get()
        let copy = try Fixtures.temporaryDirectory("rct-rotate-attack").appendingPathComponent("t.sqlite").path
        try FileManager.default.copyItem(atPath: root.appendingPathComponent(Self.store).path, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            for t in triggers { try db.execute(sql: "DROP TRIGGER \(t["name"] as String)") }
            try db.execute(sql: attack.sql)
            if !attack.keepTriggersDropped { for t in triggers { try db.execute(sql: t["sql"]) } }
        }
        try queue.close()
        let verify = try RCTBinary.run(["verify", Self.design, "--store", copy], currentDirectory: root)
        #expect(verify.status == 1, "\(attack.name): \(verify.stdout)")
        for phrase in attack.expected {
            #expect(verify.stderr.contains(phrase), "\(attack.name): \(phrase) not in \(verify.stderr)")
        }
        let estimate = try RCTBinary.run(["estimate", Self.design, "--store", copy], currentDirectory: root)
        #expect(estimate.status != 0 && estimate.stderr.contains("fails verification"), "\(attack.name): \(estimate.stderr)")
    }

    @Test func theSecurityDocumentListsEveryAttackOnARotation() throws {
        let doc = try Fixtures.contents("docs/security.md")
        for attack in Self.attacks {
            #expect(doc.contains("| \(attack.name) |"), "docs/security.md does not list: \(attack.name)")
        }
    }
}
