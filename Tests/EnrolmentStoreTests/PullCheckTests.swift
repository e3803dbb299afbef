import Foundation
import TestSupport
import Testing
import TrialStore
import Workflow

/// The record-by-record check of a pulled chain, before anything is written.
@Suite struct PullCheckTests {
    @Test func aPulledChainIsCheckedRecordByRecord() async throws {
        let (file, families) = try EnrolmentStoreTests.mission()
        let folder = try Fixtures.temporaryDirectory("pull-check")
        let source = try TrialStore.create(path: folder.appendingPathComponent("service.sqlite").path, design: file.design,
                                           designFile: file.path, designData: file.data)
        for f in EnrolmentStoreTests.eligible(families).prefix(6) { _ = try await EnrolmentStoreTests.enrol(file, f, into: source) }
        let records = try source.assignmentRecords()
        #expect(AssignmentPull.firstProblem(records, designSHA256: file.fingerprint) == nil)
        var altered = records
        altered[3].entry.arm = altered[3].entry.arm == "control" ? "intervention" : "control"
        #expect(AssignmentPull.firstProblem(altered, designSHA256: file.fingerprint)?.hasPrefix("record 4 ") == true)
        var rehashed = altered
        rehashed[3].hash = HashChain.hash(rehashed[3])
        #expect(AssignmentPull.firstProblem(rehashed, designSHA256: file.fingerprint)?.contains("record 5 ") == true)
        #expect(AssignmentPull.firstProblem(Array(records.dropFirst()), designSHA256: file.fingerprint)?.contains("gap") == true)
        let screenings = try source.screenedUnits()
        let target = folder.appendingPathComponent("local.sqlite").path
        #expect(throws: AssignmentPull.Refusal.self) {
            _ = try AssignmentPull.pull(file, store: target, source: "test", designSHA256: file.fingerprint, headHash: altered.last!.hash,
                                        records: altered, screenings: screenings)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        let outcome = try AssignmentPull.pull(file, store: target, source: "test", designSHA256: file.fingerprint,
                                              headHash: records.last!.hash, records: records, screenings: screenings)
        #expect(outcome.receipt.appended == 6 && outcome.receipt.kept == 0)
        #expect(try TrialStore.open(path: target).assignmentRecords() == records)
    }
}
