import Foundation
import GRDB

extension TrialStore {
    /// What `appendPulled` wrote.
    public struct PullReceipt: Sendable, Equatable {
        /// Records already in the store (the same, hash for hash).
        public var kept: Int
        /// Records appended now.
        public var appended: Int
        /// Screenings appended now.
        public var screened: Int
        public var headSeq: Int
        public var headHash: String
    }

    /// Appends records and screenings copied from the central service (`rct pull`), as they are (their
    /// sequence numbers, runs, instants and hashes), in ONE immediate transaction. The caller has checked the
    /// chain (`ChainCheck`); here the records already in the store must be the pulled chain's first records,
    /// hash for hash, or nothing is written.
    public func appendPulled(records: [AssignmentRecord], screenings: [(runID: Int, entry: ScreeningEntry)],
                             source: String) throws -> PullReceipt {
        try queue.writeWithoutTransaction { db in
            var receipt: PullReceipt?
            try db.inTransaction(.immediate) {
                let local = try Self.fetchRecords(db)
                for (l, r) in zip(local, records) where l.seq != r.seq || l.hash != r.hash {
                    throw StoreError.invalid("record \(l.seq) of this store (family \(l.entry.unitID)) is not record \(r.seq) of \(source): "
                        + "the local store holds assignments made elsewhere; pull into a new store")
                }
                if local.count > records.count {
                    throw StoreError.invalid("this store holds \(local.count) records, \(source) only \(records.count): the service's "
                        + "chain was cut short or this store is another trial's; nothing was pulled")
                }
                let screened = Set(try String.fetchAll(db, sql: "SELECT unit_id FROM screening"))
                let newScreenings = screenings.filter { !screened.contains($0.entry.unitID) }
                let newRecords = Array(records.dropFirst(local.count))
                let fingerprint = try String.fetchOne(db, sql: "SELECT design_sha256 FROM trial WHERE id = 1")!
                var runs: [Int: (screened: Int, assigned: Int, at: String)] = [:]
                for s in screenings { runs[s.runID, default: (0, 0, "")].screened += 1 }
                for r in records {
                    runs[r.runID, default: (0, 0, "")].assigned += 1
                    if runs[r.runID]!.at.isEmpty { runs[r.runID]!.at = r.recordedAt }
                }
                let knownRuns = Set(try Int.fetchAll(db, sql: "SELECT run_id FROM runs"))
                for (id, run) in runs.sorted(by: { $0.key < $1.key }) where !knownRuns.contains(id) {
                    try db.execute(sql: """
                        INSERT INTO runs (run_id, command, started_at, design_sha256, screened, assigned) VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [id, "pull", run.at.isEmpty ? Self.now() : run.at, fingerprint, run.screened, run.assigned])
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                for (runID, s) in newScreenings {
                    let attributes = String(decoding: try encoder.encode(s.attributes), as: UTF8.self)
                    try db.execute(sql: "INSERT INTO cohort (unit_id, link_key, line, attributes, run_id) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [s.unitID, s.linkKey, s.line, attributes, runID])
                    try db.execute(sql: "INSERT INTO screening (unit_id, eligible, rule_id, reason, run_id) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [s.unitID, s.eligible, s.rule, s.reason, runID])
                }
                for r in newRecords {
                    let e = r.entry
                    guard try Bool.fetchOne(db, sql: "SELECT eligible FROM screening WHERE unit_id = ?", arguments: [e.unitID]) == true else {
                        throw StoreError.invalid("record \(r.seq) (family \(e.unitID)) has no eligible screening in \(source)")
                    }
                    try db.execute(sql: """
                        INSERT INTO assignments (seq, unit_id, link_key, arm, assigned_on, recorded_at, stratum, block, block_size,
                            cluster, probability, procedure, seed, generator, case_manager, capacity_status, run_id, prev_hash, hash,
                            source_sha256, screening_sha256, run_screening_sha256)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [r.seq, e.unitID, e.linkKey, e.arm, e.assignedOn.description, r.recordedAt, e.stratum, e.block,
                                         e.blockSize, e.cluster, e.probability, e.procedure, Int64(e.seed), e.generator, e.caseManager,
                                         e.capacityStatus, r.runID, r.previousHash, r.hash, e.sourceSHA256,
                                         e.screeningSHA256, e.runScreeningSHA256])
                }
                let head = records.last
                try db.execute(sql: "UPDATE trial SET head_seq = ?, head_hash = ? WHERE id = 1",
                               arguments: [head?.seq ?? 0, head?.hash ?? fingerprint])
                receipt = PullReceipt(kept: local.count, appended: newRecords.count, screened: newScreenings.count,
                                      headSeq: head?.seq ?? 0, headHash: head?.hash ?? fingerprint)
                return .commit
            }
            return receipt!
        }
    }
}
