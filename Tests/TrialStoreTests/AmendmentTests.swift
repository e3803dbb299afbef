import Basics
import Foundation
import GRDB
import Testing
import TestSupport
@testable import TrialDesign
@testable import TrialStore

/// Amendments of the design's locked part in the store (issue 21, item 2).
@Suite struct AmendmentTests {
    let base = TrialStoreTests()
    let designPath = Fixtures.path("fixtures/designs/assign-rolling.yaml")

    var text: String { get throws { try String(contentsOfFile: designPath, encoding: .utf8) } }

    func data(_ old: String? = nil, _ new: String = "") throws -> Data {
        let t = try text
        guard let old else { return Data(t.utf8) }
        #expect(t.contains(old), "the design has \(old)")
        return Data(t.replacingOccurrences(of: old, with: new).utf8)
    }

    @Test func logisticsChangeFreelyTheLockedPartOnlyByAmendment() throws {
        let store = try base.seeded(3)
        try store.checkDesign(try data())
        // A moved key file and a comment: nothing to record.
        try store.checkDesign(try data("seed: 20170401", "seed: 20170401  # fixed in 2017"))
        let window = try data("windows: { m6: [1, 6]", "windows: { m6: [1, 7]")
        #expect {
            try store.checkDesign(window)
        } throws: { error in
            guard case let StoreError.unrecordedChange(_, changes) = error else { return false }
            return changes.map(\.path) == ["outcomes[aid].windows.m6[1]"]
                && (error as! StoreError).description.contains("Record the change with `rct amend DESIGN --reason")
        }
        let a = try store.amend(designData: window, author: "analyst", reason: "the protocol's window")
        #expect(a.seq == 1 && a.assignments == 3 && !a.outcomeData)
        #expect(a.changes == [DesignChange(path: "outcomes[aid].windows.m6[1]", before: "6", after: "7")])
        try store.checkDesign(window)
        #expect(throws: StoreError.self) { try store.checkDesign(try data()) }
        #expect(throws: StoreError.nothingToAmend(path: store.path)) { try store.amend(designData: window, author: "a", reason: "r") }
        let report = try store.verify()
        #expect(report.isIntact && report.amendments == 1, "\(report.problems)")
        #expect(try store.amendments() == [a])
    }

    @Test func changesThatWouldInvalidateTheRandomisationAreRefused() throws {
        let store = try base.seeded(2)
        #expect {
            try store.amend(designData: try data("seed: 20170401", "seed: 7"), author: "a", reason: "r")
        } throws: { error in
            (error as? StoreError)?.description.contains("randomisation.seed: 20170401 → 7 cannot be amended: the seed fixes every draw already made") == true
        }
        #expect(try store.amendments().isEmpty)
    }

    @Test func beforeTheFirstAssignmentTheStoreTakesTheChangedDesign() throws {
        let store = try base.makeStore()
        let changed = try data("seed: 20170401", "seed: 7")
        try store.checkDesign(changed)
        #expect(try store.trial().designSHA256 == Fingerprint.sha256(changed))
        _ = try store.record(command: "test", screenings: [base.screening("A")], assignments: [base.entry("A")])
        #expect(try store.verify().isIntact)
        #expect(throws: StoreError.self) { try store.checkDesign(try data()) }
    }

    @Test func anAlteredOrRemovedAmendmentIsNamed() throws {
        let store = try base.seeded(2)
        _ = try store.amend(designData: try data("windows: { m6: [1, 6]", "windows: { m6: [1, 7]"), author: "a", reason: "first")
        _ = try store.amend(designData: try data("windows: { m6: [1, 6]", "windows: { m6: [1, 8]"), author: "a", reason: "second")
        #expect(throws: DatabaseError.self) { try base.execute(store, "UPDATE amendments SET reason = 'x' WHERE seq = 1") }
        try base.execute(store, "DROP TRIGGER amendments_append_only_update; UPDATE amendments SET reason = 'quietly' WHERE seq = 1")
        #expect(try store.verify().problems.contains(.amendmentAltered(seq: 1)))
        let other = try base.seeded(2)
        _ = try other.amend(designData: try data("windows: { m6: [1, 6]", "windows: { m6: [1, 7]"), author: "a", reason: "first")
        try base.execute(other, "DROP TRIGGER amendments_append_only_update; UPDATE amendments SET design_text = replace(design_text, '[1, 7]', '[1, 9]')")
        #expect(try other.verify().problems.contains(.amendmentAltered(seq: 1)), "the amended design's text is covered by its hash")
        let third = try base.seeded(2)
        _ = try third.amend(designData: try data("windows: { m6: [1, 6]", "windows: { m6: [1, 7]"), author: "a", reason: "first")
        _ = try third.amend(designData: try data("windows: { m6: [1, 6]", "windows: { m6: [1, 8]"), author: "a", reason: "second")
        try base.execute(third, "DROP TRIGGER amendments_append_only_delete; DELETE FROM amendments WHERE seq = 1")
        let problems = try third.verify().problems
        #expect(problems.contains(.amendmentsRemoved(from: 1, to: 1)), "\(problems)")
        let fourth = try base.seeded(2)
        try base.execute(fourth, "UPDATE trial_design SET design_text = replace(design_text, '[1, 6]', '[1, 9]')")
        #expect(try fourth.verify().problems == [.designTextAltered], "a forged design cannot hide a change of the locked part")
    }

    @Test func aStoreMadeBeforeDesignsWereKeptLearnsItsDesignFromTheSameBytes() throws {
        let store = try base.seeded(2)
        try base.execute(store, "DELETE FROM trial_design")
        #expect(throws: StoreError.self) { try store.checkDesign(try data("windows: { m6: [1, 6]", "windows: { m6: [1, 7]")) }
        try store.checkDesign(try data())
        try store.checkDesign(try data("windows: { m6: [1, 6]", "windows: { m6: [1, 6]") + Data("\n# comment\n".utf8))
    }
}
