import Basics
import Foundation
import GRDB
import Testing
import TestSupport
@testable import TrialDesign
@testable import TrialStore

/// The screening check reads the rows in run order from SQLite and checks them one by one; the check of
/// rows already read (the PostgreSQL store's) groups and sorts them itself. Both must find the same
/// problems, in the same order, on an intact store and on altered ones: several runs, cohort lines shared
/// by several families (then the unit id orders them, byte by byte: U1, U10, U11, U2, …).
@Suite struct ScreeningDigestTests {
    let base = TrialStoreTests()

    /// Three runs: the first screens U1…U12 (all on cohort line 2) and an excluded X1, the second U13…U15
    /// and X2, the third U16 alone.
    func store() throws -> TrialStore {
        let store = try base.makeStore()
        let runs = [(1...12, "X1"), (13...15, "X2"), (16...16, nil)]
        for (range, excluded) in runs {
            let ids = range.map { "U\($0)" }
            _ = try store.record(command: "test", screenings: ids.map { base.screening($0) } + (excluded.map { [base.screening($0, eligible: false)] } ?? []),
                                 assignments: ids.map { base.entry($0) })
        }
        return store
    }

    /// The problems found by both checks, which must agree.
    func problems(_ store: TrialStore) throws -> [ChainProblem] {
        let records = try store.assignmentRecords()
        let (streamed, grouped) = try DatabaseQueue(path: store.path).read { db in
            var byRun: [Int: [ScreeningDigest.StoredRow]] = [:]
            for r in try Row.fetchAll(db, sql: ScreeningDigest.columns).map(ScreeningDigest.row) { byRun[r.runID, default: []].append(r) }
            return (try ScreeningDigest.problems(db, records: records), ScreeningDigest.problems(records: records, rows: byRun))
        }
        #expect(streamed == grouped)
        return streamed
    }

    /// The append-only triggers of the screening inputs, dropped to alter them.
    static let dropTriggers = ["cohort", "screening"].flatMap { ["\($0)_append_only_update", "\($0)_append_only_delete"] }
        .map { "DROP TRIGGER \($0);\n" }.joined()

    @Test func anIntactStoreHasNoProblems() throws {
        let store = try store()
        #expect(try problems(store) == [])
        #expect(try store.verify().isIntact)
    }

    @Test func alteredRowsAndRunsAreNamedInRecordAndRunOrder() throws {
        let store = try store()
        try base.execute(store, Self.dropTriggers + """
            UPDATE cohort SET attributes = '{"single_parent":"0"}' WHERE unit_id = 'U14';
            UPDATE screening SET reason = 'moved away' WHERE unit_id = 'X1';
            UPDATE cohort SET attributes = '{"single_parent":"0"}' WHERE unit_id = 'U2';
            """)
        let records = try store.assignmentRecords()
        let seq = Dictionary(uniqueKeysWithValues: records.map { ($0.entry.unitID, $0.seq) })
        let run = Dictionary(uniqueKeysWithValues: records.map { ($0.entry.unitID, $0.runID) })
        #expect(try problems(store) == [.screeningAltered(seq: seq["U2"]!, unit: "U2"), .screeningAltered(seq: seq["U14"]!, unit: "U14"),
                                        .runScreeningAltered(run: run["U1"]!, seq: seq["U1"]!),
                                        .runScreeningAltered(run: run["U13"]!, seq: seq["U13"]!)])
    }

    @Test func aFamilyWithoutItsRowAndARunWithAnAddedRowAreFound() throws {
        let store = try store()
        try base.execute(store, Self.dropTriggers + """
            DELETE FROM screening WHERE unit_id = 'U16';
            INSERT INTO cohort (unit_id, line, attributes, run_id) SELECT 'U99', 2, '{}', run_id FROM assignments WHERE unit_id = 'U13';
            INSERT INTO screening (unit_id, eligible, rule_id, reason, run_id)
                SELECT 'U99', 0, 'consent', 'no consent', run_id FROM assignments WHERE unit_id = 'U13';
            """)
        let records = try store.assignmentRecords()
        let seq = Dictionary(uniqueKeysWithValues: records.map { ($0.entry.unitID, $0.seq) })
        let run = Dictionary(uniqueKeysWithValues: records.map { ($0.entry.unitID, $0.runID) })
        #expect(try problems(store) == [.screeningAltered(seq: seq["U16"]!, unit: "U16"),
                                        .runScreeningAltered(run: run["U13"]!, seq: seq["U13"]!),
                                        .runScreeningAltered(run: run["U16"]!, seq: seq["U16"]!)])
    }
}
