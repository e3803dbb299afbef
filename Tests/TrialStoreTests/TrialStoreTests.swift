import Basics
import Foundation
import GRDB
import Testing
import TestSupport
@testable import TrialDesign
@testable import TrialStore

/// The store: migrations, one transaction per run, refusal to repeat, and the hash chain's verification.
@Suite struct TrialStoreTests {
    let designPath = Fixtures.path("fixtures/designs/assign-rolling.yaml")

    func makeStore() throws -> TrialStore {
        let dir = try Fixtures.temporaryDirectory("trialstore")
        let design = try Design.load(path: designPath)
        return try TrialStore.create(path: dir.appendingPathComponent("t.sqlite").path, design: design,
                                     designFile: designPath, designData: try Data(contentsOf: URL(fileURLWithPath: designPath)))
    }

    func screening(_ id: String, eligible: Bool = true) -> ScreeningEntry {
        ScreeningEntry(unitID: id, linkKey: "P" + String(repeating: "0", count: 32), line: 2, attributes: ["single_parent": "1"],
                       eligible: eligible, rule: eligible ? nil : "consent", reason: eligible ? nil : "no informed consent")
    }

    func entry(_ id: String, arm: String = "control") -> AssignmentEntry {
        AssignmentEntry(unitID: id, linkKey: nil, line: 2, arm: arm, assignedOn: CalendarDate(year: 2017, month: 6, day: 1)!,
                        stratum: "3", block: "3#1", blockSize: 2, cluster: nil, probability: 0.5, procedure: "permuted_blocks",
                        seed: 20170401, generator: "mt19937", caseManager: nil, capacityStatus: "not_limited")
    }

    func seeded(_ n: Int) throws -> TrialStore {
        let store = try makeStore()
        let ids = (1...n).map { "U\($0)" }
        _ = try store.record(command: "test", screenings: ids.map { screening($0) } + [screening("X", eligible: false)],
                             assignments: ids.map { entry($0, arm: Int($0.dropFirst())! % 2 == 0 ? "control" : "intervention") })
        return store
    }

    func execute(_ store: TrialStore, _ sql: String) throws {
        let queue = try DatabaseQueue(path: store.path)
        try queue.writeWithoutTransaction { try $0.execute(sql: sql) }
    }

    @Test func migrationsAreNamedAndListed() throws {
        let store = try makeStore()
        let applied = try DatabaseQueue(path: store.path).read { try StoreMigrations.migrator.appliedIdentifiers($0) }
        #expect(applied == ["v1_trial", "v2_imports", "v3_assignment_import", "v4_set_aside", "v5_amendments", "v6_link_key", "v7_service", "v8_chain_coverage", "v9_key_rotation", "v10_registry_without_participant_index"])
    }

    @Test func anIntactChainVerifiesAndAssignedUnitsComeBack() throws {
        let store = try seeded(6)
        let report = try store.verify()
        #expect(report.isIntact)
        #expect(report.records == 6 && report.headSeq == 6)
        let units = try store.assignedUnits()
        #expect(units.map(\.id) == ["U1", "U2", "U3", "U4", "U5", "U6"])
        #expect(units[0].arm == "intervention" && units[0].probability == 0.5 && units[0].attributes["single_parent"] == "1")
        let counts = try store.screeningCounts()
        #expect(counts.screened == 7 && counts.eligible == 6)
        #expect(counts.excluded.map(\.reason) == ["no informed consent"] && counts.excluded[0].count == 1)
        #expect(counts.assignedByArm == ["control": 3, "intervention": 3])
        #expect(try store.verify(expectedHead: report.headHash).isIntact)
        #expect(!(try store.verify(expectedHead: String(repeating: "0", count: 64)).isIntact))
    }

    @Test func recordsAreAppendOnlyInTheDatabase() throws {
        let store = try seeded(2)
        #expect(throws: DatabaseError.self) { try execute(store, "UPDATE assignments SET arm = 'control' WHERE seq = 1") }
        #expect(throws: DatabaseError.self) { try execute(store, "DELETE FROM assignments WHERE seq = 1") }
    }

    @Test func anAlteredRecordIsNamed() throws {
        let store = try seeded(5)
        try execute(store, "DROP TRIGGER assignments_append_only_update; UPDATE assignments SET arm = 'control' WHERE seq = 3")
        let report = try store.verify()
        #expect(report.problems.first == .altered(seq: 3, unit: "U3"))
        #expect(report.problems.contains(.triggersMissing(["assignments_append_only_update"])))
    }

    @Test func aRehashedRecordBreaksTheNextLink() throws {
        let store = try seeded(5)
        var records = try store.assignmentRecords()
        records[1].entry.arm = "intervention"
        let forged = HashChain.hash(records[1])
        try execute(store, "DROP TRIGGER assignments_append_only_update; UPDATE assignments SET arm = 'intervention', hash = '\(forged)' WHERE seq = 2")
        #expect(try store.verify().problems.first == .brokenLink(seq: 3, unit: "U3"))
    }

    @Test func removedAndInsertedRecordsAreNamed() throws {
        let store = try seeded(5)
        try execute(store, "DROP TRIGGER assignments_append_only_delete; DELETE FROM assignments WHERE seq = 4")
        #expect(try store.verify().problems.first == .removed(seqs: 4...4))
        let tail = try seeded(5)
        try execute(tail, "DROP TRIGGER assignments_append_only_delete; DELETE FROM assignments WHERE seq = 5")
        #expect(try tail.verify().problems.first == .headMismatch(storedSeq: 5, foundSeq: 4))
        let inserted = try seeded(3)
        try execute(inserted, """
            INSERT INTO cohort (unit_id, line, attributes, run_id) VALUES ('Z', 9, '{}', 1);
            INSERT INTO assignments SELECT 4, 'Z', link_key, arm, assigned_on, recorded_at, stratum, block, block_size, cluster,
              probability, procedure, seed, generator, case_manager, capacity_status, run_id, hash, hash, source_sha256,
              screening_sha256, run_screening_sha256 FROM assignments WHERE seq = 3
            """)
        #expect(try inserted.verify().problems.first == .inserted(seq: 4, unit: "Z"))
    }

    @Test func aRunThatFailsHalfWayLeavesTheStoreAsItWas() throws {
        let store = try seeded(3)
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        // U2 is already assigned: the run fails after inserting N1 and N2.
        #expect(throws: StoreError.alreadyAssigned(unit: "U2", line: 2, arm: "control", assignedOn: "2017-06-01", record: 2)) {
            try store.record(command: "test", screenings: [screening("N1"), screening("N2"), screening("U2"), screening("N3")],
                             assignments: [entry("N1"), entry("N2"), entry("U2"), entry("N3")])
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
        #expect(try store.assignedUnits().count == 3)
        #expect(try store.screeningCounts().screened == 4)
        #expect(try store.verify().isIntact)
        // An excluded family cannot come back either.
        #expect(throws: StoreError.self) { try store.record(command: "test", screenings: [screening("X")], assignments: []) }
    }

    @Test func theDesignFingerprintIsChecked() throws {
        let store = try makeStore()
        try store.checkDesign(try Data(contentsOf: URL(fileURLWithPath: designPath)))
        #expect(throws: StoreError.self) { try store.checkDesign(Data("changed".utf8)) }
        #expect(throws: StoreError.alreadyExists(path: store.path)) {
            try TrialStore.create(path: store.path, design: try Design.load(path: designPath), designFile: designPath, designData: Data())
        }
        #expect(throws: StoreError.missing(path: "/nonexistent/x.sqlite")) { try TrialStore.open(path: "/nonexistent/x.sqlite") }
    }

    @Test func canonicalContentIsStableAndEscaped() {
        var e = entry("A\nB")
        e.stratum = "x\\y"
        let text = HashChain.canonicalContent(seq: 1, entry: e, recordedAt: "2026-01-01T00:00:00Z", runID: 1, previousHash: "abc")
        #expect(text.hasPrefix("rct-assignment-v1\nseq=1\nunit=A\\nB\nlink\narm=control\n"))
        #expect(text.contains("stratum=x\\\\y\n"))
        #expect(text.hasSuffix("run=1\nprev=abc\n"))
        #expect(Fingerprint.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    // MARK: Imported assignments (v3_assignment_import)

    func imported(_ id: String, arm: String = "control", fingerprint: String = "f1") -> AssignmentEntry {
        var e = entry(id, arm: arm)
        e.procedure = "imported"
        e.seed = 0
        e.generator = "none"
        e.block = nil
        e.blockSize = nil
        e.sourceSHA256 = fingerprint
        return e
    }

    /// The file's fingerprint is one more line of the canonical content; records drawn here have none,
    /// so their hashes did not change when imports were added.
    @Test func theSourceFingerprintIsHashedOnlyForImportedRecords() {
        let local = HashChain.canonicalContent(seq: 1, entry: entry("A"), recordedAt: "t", runID: 1, previousHash: "abc")
        #expect(local.hasSuffix("run=1\nprev=abc\n"))
        let outside = HashChain.canonicalContent(seq: 1, entry: imported("A"), recordedAt: "t", runID: 1, previousHash: "abc")
        #expect(outside.hasSuffix("procedure=imported\nseed=0\ngenerator=none\ncase_manager\ncapacity=not_limited\nrun=1\nprev=abc\nsource_sha256=f1\n"))
        var other = imported("A")
        other.sourceSHA256 = "f2"
        #expect(HashChain.hash(seq: 1, entry: other, recordedAt: "t", runID: 1, previousHash: "abc")
            != HashChain.hash(seq: 1, entry: imported("A"), recordedAt: "t", runID: 1, previousHash: "abc"))
    }

    @Test func anImportIsOneTransactionAndIsRecordedOnce() throws {
        let store = try makeStore()
        let receipt = try store.importRun(file: "lijst.csv", fingerprint: "f1", probabilitiesDerived: true) { records in
            #expect(records.isEmpty)
            return ([screening("A"), screening("B"), screening("X", eligible: false)], [imported("A"), imported("B", arm: "intervention")])
        }
        #expect(receipt.assigned == 2 && receipt.headSeq == 2 && receipt.screened == 3)
        #expect(try store.importedFiles() == [.init(runID: 1, file: "lijst.csv", sha256: "f1", assigned: 2, probabilitiesDerived: true)])
        let records = try store.assignmentRecords()
        // The store adds the digests of each family's screening row and of the run's screened set.
        #expect(records.allSatisfy { $0.entry.screeningSHA256 != nil && $0.entry.runScreeningSHA256 == records[0].entry.runScreeningSHA256 })
        #expect(records[0].entry.screeningSHA256 != records[1].entry.screeningSHA256)
        #expect(records.map { var e = $0.entry; (e.screeningSHA256, e.runScreeningSHA256) = (nil, nil); return e }
            == [imported("A"), imported("B", arm: "intervention")].map { var e = $0; e.line = 2; return e })
        #expect(try store.verify().isIntact)
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        // The same bytes again; an entry not marked imported; a family already assigned: each refused, nothing written.
        #expect(throws: StoreError.self) {
            try store.importRun(file: "again.csv", fingerprint: "f1", probabilitiesDerived: true) { _ in ([], [imported("C")]) }
        }
        #expect(throws: StoreError.self) {
            try store.importRun(file: "b.csv", fingerprint: "f2", probabilitiesDerived: false) { _ in
                ([screening("C")], [entry("C")])
            }
        }
        #expect(throws: StoreError.alreadyAssigned(unit: "A", line: 2, arm: "control", assignedOn: "2017-06-01", record: 1)) {
            try store.importRun(file: "b.csv", fingerprint: "f2", probabilitiesDerived: false) { _ in ([], [imported("A", fingerprint: "f2")]) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
        // Altering the stored fingerprint is caught by the chain.
        try execute(store, "DROP TRIGGER assignments_append_only_update; UPDATE assignments SET source_sha256 = 'f9' WHERE seq = 2")
        #expect(try store.verify().problems.first == .altered(seq: 2, unit: "B"))
    }

    /// A store created before v3 is brought up to date on open; its records still verify.
    @Test func aVersionOneStoreIsMigratedOnOpen() throws {
        let dir = try Fixtures.temporaryDirectory("trialstore-v1")
        let path = dir.appendingPathComponent("old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        var v1 = DatabaseMigrator()
        v1.registerMigration("v1_trial", migrate: StoreMigrations.v1Trial)
        try v1.migrate(queue)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO trial (id, trial_id, design_file, design_sha256, created_at, head_seq, head_hash)
                VALUES (1, 't', 'd.yaml', 'abc', '2026-01-01T00:00:00Z', 0, 'abc')
                """)
        }
        try queue.close()
        let store = try TrialStore.open(path: path)
        _ = try store.record(command: "test", screenings: [screening("A")], assignments: [entry("A")])
        let applied = try DatabaseQueue(path: path).read { try StoreMigrations.migrator.appliedIdentifiers($0) }
        #expect(applied == ["v1_trial", "v2_imports", "v3_assignment_import", "v4_set_aside", "v5_amendments", "v6_link_key", "v7_service", "v8_chain_coverage", "v9_key_rotation", "v10_registry_without_participant_index"])
        #expect(try store.verify().isIntact)
        #expect(try store.assignmentRecords().first?.entry.sourceSHA256 == nil)
    }
}
