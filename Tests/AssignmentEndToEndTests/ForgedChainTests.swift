import Foundation
import GRDB
import Testing
import TestSupport
import TrialStore

/// A forger who changes an arm and recomputes every later hash and the head leaves a consistent chain
/// (the hash has no secret). Two defences catch it: a head kept outside the store (`--expect-head`), and
/// drawing every arm again from the design's seed (`rct verify --design`).
@Suite struct ForgedChainTests {
    func forge(store path: String, seq target: Int) throws {
        let store = try TrialStore.open(path: path)
        var records = try store.assignmentRecords()
        let trial = try store.trial()
        var previous = trial.designSHA256
        for i in records.indices {
            if records[i].seq == target {
                records[i].entry.arm = records[i].entry.arm == "control" ? "intervention" : "control"
            }
            records[i].previousHash = previous
            records[i].hash = HashChain.hash(records[i])
            previous = records[i].hash
        }
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER assignments_append_only_update")
            for r in records where r.seq >= target {
                try db.execute(sql: "UPDATE assignments SET arm = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                               arguments: [r.entry.arm, r.previousHash, r.hash, r.seq])
            }
            try db.execute(sql: "UPDATE trial SET head_hash = ? WHERE id = 1", arguments: [previous])
            try db.execute(sql: """
                CREATE TRIGGER assignments_append_only_update BEFORE UPDATE ON assignments
                    BEGIN SELECT RAISE(ABORT, 'assignment records are append-only'); END
                """)
        }
        try queue.close()
    }

    @Test(arguments: ["assign-rolling", "assign-complete"])
    func aRewrittenChainIsCaughtByTheExternalHeadAndByRedrawing(design name: String) throws {
        let design = "fixtures/designs/\(name).yaml"
        let path = try Fixtures.temporaryDirectory("forged").appendingPathComponent("t.sqlite").path
        #expect(try RCTBinary.run(["init", design, "--store", path]).status == 0)
        #expect(try RCTBinary.run(["assign", design, "--cohort", "fixtures/assignment/cohort-112.csv", "--store", path]).status == 0)
        let honest = try RCTBinary.run(["verify", design, "--store", path])
        #expect(honest.status == 0, "\(honest.stderr)")
        #expect(honest.stdout.contains("112 assignment records, the chain is intact and every arm comes out of the design's seed again"))
        let head = try TrialStore.open(path: path).trial().headHash

        try forge(store: path, seq: 40)
        // The chain alone cannot tell.
        #expect(try RCTBinary.run(["verify", "--store", path]).status == 0)
        // The head kept outside can.
        let external = try RCTBinary.run(["verify", "--store", path, "--expect-head", head])
        #expect(external.status == 1)
        #expect(external.stderr.contains("not the expected \(head): the chain was rewritten or extended"))
        // Redrawing from the design's seed names the record.
        let redrawn = try RCTBinary.run(["verify", design, "--store", path])
        #expect(redrawn.status == 1)
        #expect(redrawn.stderr.contains("error: \(path): record 40 (family F040) holds "), "\(redrawn.stderr)")
        #expect(redrawn.stderr.contains("but the design's seed gives"))
    }
}
