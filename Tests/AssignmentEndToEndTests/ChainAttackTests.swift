import Foundation
import GRDB
import Testing
import TestSupport
@testable import TrialStore

/// Issue 20, item 3: an analyst with write access to the store's file tries to change what the analysis
/// rests on, and plain `rct verify DESIGN` names every attempt. Each attack starts from a copy of one
/// honest store (the bundled trial after `rct run`: 160 families screened, 112 assigned, eight imports),
/// edits it with SQL behind the append-only triggers' back (dropping them and putting them back, as an
/// attacker would), and, where it says so, recomputes the hashes an honest store would hold: of the one
/// record changed, or of the whole assignment chain with its head and every screening digest (a forger
/// who knows the algorithm). docs/security.md lists the same attacks by name.
@Suite(.serialized) struct ChainAttackTests {
    static let design = "designs/mission-kortrijk.yaml"

    /// What the forger recomputes after the edit.
    enum Rehash: Sendable { case none, record(Int), chain }

    struct Attack: Sendable, CustomTestStringConvertible {
        var name: String
        var sql: String
        var rehash: Rehash = .none
        /// Phrases `rct verify` must print (on standard error), in any order.
        var expected: [String]
        var keepTriggersDropped = false
        /// Whether the commands that open the store (here `rct estimate`) refuse it too: they count the
        /// imported rows but do not read them back (only `rct verify` does).
        var refusedOnOpen = true
        var testDescription: String { name }
    }

    static let flipArm = "UPDATE assignments SET arm = CASE arm WHEN 'control' THEN 'intervention' ELSE 'control' END WHERE seq = 40"
    static let firstControl = "(SELECT MIN(seq) FROM assignments WHERE arm = 'control')"
    static let firstIntervention = "(SELECT MIN(seq) FROM assignments WHERE arm = 'intervention')"
    static let swapUnits = """
        CREATE TEMP TABLE pair AS SELECT \(firstControl) AS a, \(firstIntervention) AS b,
            (SELECT unit_id FROM assignments WHERE seq = \(firstControl)) AS ua, (SELECT unit_id FROM assignments WHERE seq = \(firstIntervention)) AS ub;
        UPDATE assignments SET unit_id = 'tmp' WHERE seq = (SELECT a FROM pair);
        UPDATE assignments SET unit_id = (SELECT ua FROM pair) WHERE seq = (SELECT b FROM pair);
        UPDATE assignments SET unit_id = (SELECT ub FROM pair) WHERE seq = (SELECT a FROM pair);
        """
    static let excluded = "(SELECT unit_id FROM screening WHERE eligible = 0 ORDER BY rowid LIMIT 1)"

    static let attacks: [Attack] = [
        // The assignment records.
        Attack(name: "arm of a record changed", sql: flipArm, expected: ["record 40 (family", "was altered"]),
        Attack(name: "arm changed, the record re-hashed", sql: flipArm, rehash: .record(40),
               expected: ["record 41 (family", "does not link to record 40"]),
        Attack(name: "arm changed, the whole chain and its head re-hashed", sql: flipArm, rehash: .chain,
               expected: ["record 40 (family", "but the design's seed gives", "the assignment chain was rewritten or cut short"]),
        Attack(name: "two families' records swapped (arms exchanged)", sql: swapUnits, expected: ["was altered"]),
        // Within a stratum the draw gives arms by position, not by family: the imports made after the
        // assignment name it.
        Attack(name: "two families' records swapped, the chain re-hashed", sql: swapUnits, rehash: .chain,
               expected: ["the assignment chain was rewritten or cut short"]),
        Attack(name: "link key of a record changed", sql: "UPDATE assignments SET link_key = 'forged' WHERE seq = 7",
               expected: ["record 7 (family", "was altered"]),
        Attack(name: "link key changed in the record and the cohort, the chain re-hashed", sql: """
            UPDATE cohort SET link_key = 'forged' WHERE unit_id = (SELECT unit_id FROM assignments WHERE seq = 7);
            UPDATE assignments SET link_key = 'forged' WHERE seq = 7
            """, rehash: .chain, expected: ["import 1 (leefloon) was made after assignment record 112"]),
        Attack(name: "assignment date changed", sql: "UPDATE assignments SET assigned_on = '2019-01-01' WHERE seq = 12",
               expected: ["record 12 (family", "was altered"]),
        Attack(name: "assignment date changed, the chain re-hashed",
               sql: "UPDATE assignments SET assigned_on = '2019-01-01' WHERE seq = 12", rehash: .chain,
               expected: ["the assignment chain was rewritten or cut short"]),
        Attack(name: "assignment probability changed, the chain re-hashed",
               sql: "UPDATE assignments SET probability = 0.6 WHERE seq = 3", rehash: .chain,
               expected: ["record 3 (family", "holds probability 0.6"]),
        Attack(name: "stratum of a record changed, the chain re-hashed",
               sql: "UPDATE assignments SET stratum = CASE stratum WHEN '3' THEN '4-6' ELSE '3' END WHERE seq = 5", rehash: .chain,
               expected: ["record 5 (family", "holds stratum"]),
        Attack(name: "time a record was written changed", sql: "UPDATE assignments SET recorded_at = '2019-01-01T00:00:00Z' WHERE seq = 2",
               expected: ["record 2 (family", "was altered"]),
        Attack(name: "a record in the middle deleted", sql: "DELETE FROM assignments WHERE seq = 50",
               expected: ["record 50 was removed"]),
        Attack(name: "the last record deleted", sql: "DELETE FROM assignments WHERE seq = 112",
               expected: ["record 112 was removed"]),
        Attack(name: "the last record deleted, the head moved back", sql: """
            DELETE FROM assignments WHERE seq = 112;
            UPDATE trial SET head_seq = 111, head_hash = (SELECT hash FROM assignments WHERE seq = 111)
            """, expected: ["import 1 (leefloon) was made after assignment record 112", "has no assignment record: it was removed"]),
        Attack(name: "a record inserted after the head", sql: """
            INSERT INTO cohort (unit_id, line, attributes, run_id) VALUES ('X999', 999, '{}', 1);
            INSERT INTO assignments (seq, unit_id, link_key, arm, assigned_on, recorded_at, stratum, block, block_size, cluster,
                probability, procedure, seed, generator, case_manager, capacity_status, run_id, prev_hash, hash)
              SELECT 113, 'X999', link_key, arm, assigned_on, recorded_at, stratum, block, block_size, cluster, probability,
                procedure, seed, generator, case_manager, capacity_status, run_id, hash, hash FROM assignments WHERE seq = 112
            """, expected: ["record 113 (family X999) was inserted"]),
        Attack(name: "two records' places exchanged", sql: """
            UPDATE assignments SET seq = 1000 WHERE seq = 20;
            UPDATE assignments SET seq = 20 WHERE seq = 21;
            UPDATE assignments SET seq = 21 WHERE seq = 1000
            """, expected: ["record 20 (family", "was altered"]),
        Attack(name: "the design kept in the store changed", sql: "UPDATE trial_design SET design_text = design_text || '# edited'",
               expected: ["the design kept in the store was altered"]),
        Attack(name: "the append-only triggers removed", sql: "SELECT 1", expected: ["the append-only triggers were removed"],
               keepTriggersDropped: true),
        // The screening inputs.
        Attack(name: "an assigned family's cohort attribute changed", sql: """
            UPDATE cohort SET attributes = replace(attributes, '"single_parent":"0"', '"single_parent":"1"')
            WHERE unit_id = (SELECT unit_id FROM assignments WHERE seq = 9)
            """, expected: ["the cohort or screening row of family", "(record 9) was altered"]),
        Attack(name: "an excluded family made eligible", sql: "UPDATE screening SET eligible = 1, reason = NULL, rule_id = NULL WHERE unit_id = \(excluded)",
               expected: ["the families screened in run 1", "has no assignment record: it was removed"]),
        Attack(name: "an excluded family deleted", sql: """
            CREATE TEMP TABLE gone AS SELECT \(excluded) AS unit;
            DELETE FROM screening WHERE unit_id = (SELECT unit FROM gone);
            DELETE FROM cohort WHERE unit_id = (SELECT unit FROM gone)
            """, expected: ["the families screened in run 1"]),
        Attack(name: "a screened-out family added", sql: """
            INSERT INTO cohort (unit_id, line, attributes, run_id) VALUES ('X998', 998, '{}', 1);
            INSERT INTO screening (unit_id, eligible, rule_id, reason, run_id) VALUES ('X998', 0, 'consent', 'no consent', 1)
            """, expected: ["the families screened in run 1"]),
        Attack(name: "the reason of an exclusion changed", sql: "UPDATE screening SET reason = 'moved away' WHERE unit_id = \(excluded)",
               expected: ["the families screened in run 1"]),
        Attack(name: "a cohort attribute changed, the chain and its digests re-hashed", sql: """
            UPDATE cohort SET attributes = replace(attributes, '"single_parent":"0"', '"single_parent":"1"')
            WHERE unit_id = (SELECT unit_id FROM assignments WHERE seq = 9)
            """, rehash: .chain, expected: ["the assignment chain was rewritten or cut short"]),
        // The imports.
        Attack(name: "the counts of an import changed", sql: "UPDATE imports SET rows_read = rows_read + 1, rows_accepted = rows_accepted + 1 WHERE id = 2",
               expected: ["import 2 (ocmw_aid) was altered"]),
        Attack(name: "the file fingerprint of an import changed", sql: "UPDATE imports SET fingerprint = 'forged' WHERE id = 4",
               expected: ["import 4 (vdab) was altered"]),
        Attack(name: "the key fingerprint of an import changed", sql: "UPDATE imports SET key_fingerprint = 'forged' WHERE id = 1",
               expected: ["import 1 (leefloon) was altered"]),
        Attack(name: "a registry record deleted", sql: "DELETE FROM registry_records WHERE rowid = (SELECT MIN(rowid) FROM registry_records WHERE import_id = 4)",
               expected: ["import 4 (vdab) wrote 3774 rows into registry_records, the store now holds 3773: rows were deleted"]),
        Attack(name: "a registry record slipped in", sql: """
            INSERT INTO registry_records SELECT * FROM registry_records WHERE import_id = 3 LIMIT 1
            """, expected: ["import 3 (statements) wrote 1669 rows into registry_records, the store now holds 1670: rows were inserted"]),
        Attack(name: "an amount in a registry record changed", sql: """
            UPDATE registry_records SET numbers = replace(numbers, ':', ':1') WHERE rowid = (SELECT MIN(rowid) FROM registry_records WHERE import_id = 3)
            """, expected: ["a row kept for import 3 (statements) was changed after the import"], refusedOnOpen: false),
        Attack(name: "an interview date in a survey response changed", sql: """
            UPDATE survey_responses SET interview_date = '2020-01-01' WHERE rowid = (SELECT MIN(rowid) FROM survey_responses WHERE import_id = 6)
            """, expected: ["a row kept for import 6 (survey_m6) was changed after the import"], refusedOnOpen: false),
        Attack(name: "a rejected row removed from the quarantine", sql: "DELETE FROM quarantine WHERE import_id = 1 AND rowid = (SELECT MIN(rowid) FROM quarantine WHERE import_id = 1)",
               expected: ["import 1 (leefloon) wrote 2 rows into quarantine, the store now holds 1: rows were deleted"]),
        Attack(name: "an import deleted with its rows", sql: """
            DELETE FROM registry_records WHERE import_id = 3; DELETE FROM imports WHERE id = 3
            """, expected: ["import 3 was removed"]),
    ]

    /// The honest store, made once: the bundled trial run from its design.
    static let honest: Result<URL, any Error> = Result {
        let root = try Fixtures.missionTrialCopy("rct-attacks")
        let run = try RCTBinary.run(["run", design, "--out", "out"], currentDirectory: root)
        guard run.status == 0 else { throw StoreError.invalid("rct run failed: \(run.stderr)") }
        return root
    }

    func attacked(_ attack: Attack, root: URL) throws -> String {
        let store = root.appendingPathComponent("designs/mission-kortrijk.sqlite").path
        let copy = try Fixtures.temporaryDirectory("rct-attack").appendingPathComponent("t.sqlite").path
        try FileManager.default.copyItem(atPath: store, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            for t in triggers { try db.execute(sql: "DROP TRIGGER \(t["name"] as String)") }
            try db.execute(sql: attack.sql)
            switch attack.rehash {
            case .none: break
            case let .record(seq):
                var r = try TrialStore.fetchRecords(db).first { $0.seq == seq }!
                r.hash = HashChain.hash(r)
                try db.execute(sql: "UPDATE assignments SET hash = ? WHERE seq = ?", arguments: [r.hash, seq])
            case .chain:
                var previous: String = try String.fetchOne(db, sql: "SELECT design_sha256 FROM trial")!
                for var r in try TrialStore.fetchRecords(db) {
                    r.entry.screeningSHA256 = try ScreeningDigest.unit(db, r.entry.unitID)
                    r.entry.runScreeningSHA256 = try ScreeningDigest.run(db, r.runID)
                    r.previousHash = previous
                    r.hash = HashChain.hash(r)
                    try db.execute(sql: "UPDATE assignments SET screening_sha256 = ?, run_screening_sha256 = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                                   arguments: [r.entry.screeningSHA256, r.entry.runScreeningSHA256, previous, r.hash, r.seq])
                    previous = r.hash
                }
                try db.execute(sql: "UPDATE trial SET head_seq = (SELECT MAX(seq) FROM assignments), head_hash = ?", arguments: [previous])
            }
            if !attack.keepTriggersDropped {
                for t in triggers { try db.execute(sql: t["sql"]) }
            }
        }
        try queue.close()
        return copy
    }

    @Test(arguments: attacks)
    func theDefaultVerifyNamesIt(_ attack: Attack) throws {
        let root = try Self.honest.get()
        let copy = try attacked(attack, root: root)
        let verify = try RCTBinary.run(["verify", Self.design, "--store", copy], currentDirectory: root)
        #expect(verify.status == 1, "\(attack.name): \(verify.stdout)")
        for phrase in attack.expected {
            #expect(verify.stderr.contains(phrase), "\(attack.name): \(phrase) not in \(verify.stderr)")
        }
        #expect(verify.stderr.contains("do not analyse this store"))
        // And nothing is analysed from it.
        let run = try RCTBinary.run(["estimate", Self.design, "--store", copy], currentDirectory: root)
        if attack.refusedOnOpen {
            #expect(run.status != 0, "\(attack.name): rct estimate analysed a store that fails verification")
            #expect(run.stderr.contains("fails verification"), "\(attack.name): \(run.stderr)")
        }
    }

    @Test func theHonestStoreVerifies() throws {
        let root = try Self.honest.get()
        let verify = try RCTBinary.run(["verify", Self.design], currentDirectory: root)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("112 assignment records, the chain is intact and every arm comes out of the design's seed again"))
    }

    @Test func theSecurityDocumentListsEveryAttack() throws {
        let doc = try Fixtures.contents("docs/security.md")
        for attack in Self.attacks {
            #expect(doc.contains("| \(attack.name) |"), "docs/security.md does not list: \(attack.name)")
        }
        #expect(Self.attacks.count >= 31)
    }
}
