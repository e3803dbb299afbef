import Basics
import Foundation
import GRDB
import Testing
import TestSupport
@testable import TrialDesign
@testable import TrialStore

/// Issue 20, item 1: a key rotation is one chained record and a map; the key in force follows it, the
/// rotated key is refused by name, and a refused rotation writes nothing.
@Suite struct KeyRotationStoreTests {
    let designPath = Fixtures.path("fixtures/designs/assign-rolling.yaml")

    /// A store with three families whose link keys are `L1`…`L3`, pseudonymised with key `old00000`.
    func store() throws -> TrialStore {
        let dir = try Fixtures.temporaryDirectory("keyrotation")
        let design = try Design.load(path: designPath)
        let store = try TrialStore.create(path: dir.appendingPathComponent("t.sqlite").path, design: design, designFile: designPath,
                                          designData: try Data(contentsOf: URL(fileURLWithPath: designPath)))
        let ids = ["A", "B", "C"]
        _ = try store.record(command: "test", screenings: ids.enumerated().map { i, id in
            ScreeningEntry(unitID: id, linkKey: "L\(i + 1)", line: i + 2, attributes: [:], eligible: true)
        }, assignments: ids.enumerated().map { i, id in
            AssignmentEntry(unitID: id, linkKey: "L\(i + 1)", line: i + 2, arm: "control", assignedOn: CalendarDate(year: 2017, month: 6, day: 1)!,
                            stratum: nil, block: nil, blockSize: nil, cluster: nil, probability: 0.5, procedure: "simple",
                            seed: 1, generator: "mt19937", caseManager: nil, capacityStatus: "not_limited")
        })
        try store.recordLinkKey("old00000")
        return store
    }

    let map = ["N1": "L1", "N2": "L2", "N3": "L3"]

    @Test func aRotationIsChainedAndTheNewKeyIsInForce() throws {
        let store = try store()
        let r = try store.rotateLinkKey(oldFingerprint: "old00000", newFingerprint: "new00000") { stored in
            #expect(stored.families.map(\.linkKey) == ["L1", "L2", "L3"])
            return (3, map)
        }
        #expect(r.seq == 1 && r.families == 3 && r.pseudonyms == 3 && r.assignmentSeq == 3)
        #expect(r.mapSHA256 == KeyRotationChain.mapDigest(map))
        #expect(try store.currentLinkKey()?.fingerprint == "new00000")
        #expect(try store.linkKeyFingerprint() == "old00000", "the first key's row stays")
        #expect(try store.linkKeyAliases() == map)
        try store.checkLinkKey("new00000")
        #expect(throws: StoreError.rotatedKey(path: store.path, given: "old00000", rotation: 1, day: r.day, inForce: "new00000")) {
            try store.checkLinkKey("old00000")
        }
        #expect(throws: StoreError.wrongKey(path: store.path, kept: "new00000", given: "other000")) { try store.checkLinkKey("other000") }
        let report = try store.verify()
        #expect(report.isIntact, "\(report.problems)")
        #expect(report.keyRotations == 1)
        // A second rotation follows the first, and maps from the key in force.
        let second = try store.rotateLinkKey(oldFingerprint: "new00000", newFingerprint: "third000") { _ in (3, ["M1": "L1", "M2": "L2", "M3": "L3"]) }
        #expect(second.previousHash == r.hash)
        #expect(try store.linkKeyAliases() == ["M1": "L1", "M2": "L2", "M3": "L3"])
        #expect(try store.verify().isIntact)
    }

    @Test func aRefusedRotationWritesNothing() throws {
        let store = try store()
        #expect(throws: StoreError.wrongKey(path: store.path, kept: "old00000", given: "other000")) {
            try store.rotateLinkKey(oldFingerprint: "other000", newFingerprint: "new00000") { _ in (3, map) }
        }
        #expect(throws: StoreError.keyReused(path: store.path, fingerprint: "old00000", inForce: true)) {
            try store.rotateLinkKey(oldFingerprint: "old00000", newFingerprint: "old00000") { _ in (3, map) }
        }
        #expect(throws: StoreError.invalid("refused")) {
            try store.rotateLinkKey(oldFingerprint: "old00000", newFingerprint: "new00000") { _ in throw StoreError.invalid("refused") }
        }
        #expect(try store.keyRotations().isEmpty)
        #expect(try store.currentLinkKey()?.fingerprint == "old00000")
        // A key rotated out is never rotated in again.
        try store.rotateLinkKey(oldFingerprint: "old00000", newFingerprint: "new00000") { _ in (3, map) }
        #expect(throws: StoreError.keyReused(path: store.path, fingerprint: "old00000", inForce: false)) {
            try store.rotateLinkKey(oldFingerprint: "new00000", newFingerprint: "old00000") { _ in (3, map) }
        }
    }

    @Test func aChangedMapOrRotationIsNamed() throws {
        let store = try store()
        try store.rotateLinkKey(oldFingerprint: "old00000", newFingerprint: "new00000") { _ in (3, map) }
        let queue = try DatabaseQueue(path: store.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TRIGGER link_key_map_append_only_update;
                UPDATE link_key_map SET link_key = 'L3' WHERE pseudonym = 'N1';
                CREATE TRIGGER link_key_map_append_only_update BEFORE UPDATE ON link_key_map
                    BEGIN SELECT RAISE(ABORT, 'the pseudonym map is append-only'); END;
                """)
        }
        #expect(try store.verify().problems == [.rotationMapAltered(seq: 1, recorded: 3, found: 3)])
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TRIGGER key_rotations_append_only_update;
                UPDATE key_rotations SET families = 2;
                CREATE TRIGGER key_rotations_append_only_update BEFORE UPDATE ON key_rotations
                    BEGIN SELECT RAISE(ABORT, 'key rotations are append-only'); END;
                """)
        }
        #expect(try store.verify().problems.contains(.rotationAltered(seq: 1)))
    }

    @Test func aTranslatingKeyGivesTheCanonicalLinkKey() throws {
        let key = try Pseudonymizer(key: Array("a new key of sixteen bytes or more".utf8))
        let number = try NationalNumber("93051822361")
        let own = key.pseudonym(for: number)
        let translating = key.translating([own: "Pcanonical"])
        #expect(translating.pseudonym(for: number) == "Pcanonical")
        #expect(translating.plainPseudonym(for: number) == own)
        #expect(translating.keyFingerprint == key.keyFingerprint)
        let other = try NationalNumber("85073003328")
        #expect(translating.pseudonym(for: other) == key.pseudonym(for: other), "a number the map does not hold keeps its pseudonym")
    }
}
