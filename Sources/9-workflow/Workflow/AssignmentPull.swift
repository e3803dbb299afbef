import Foundation
import TrialStore

/// Bringing the central service's assignment record into the analyst's local store (`rct pull`), so
/// that import, panel, estimation and report keep running offline, where the registry data are. The
/// chain is checked record by record before anything is written: each record's hash from its content,
/// its link to the record before (the first to the design's SHA-256), no gap; then the records are
/// appended as they are.
public enum AssignmentPull {
    public struct Outcome: Sendable {
        public var receipt: TrialStore.PullReceipt
        public var storePath: String
    }

    /// Why a pull was refused: the first record that does not hold, in words.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Checks `records` (in order) as a chain anchored to `designSHA256`; the first problem, or nil.
    public static func firstProblem(_ records: [AssignmentRecord], designSHA256: String) -> String? {
        var previous = designSHA256
        for (i, r) in records.enumerated() {
            if r.seq != i + 1 { return "record \(r.seq) comes where record \(i + 1) should: the chain has a gap" }
            if HashChain.hash(r) != r.hash { return "record \(r.seq) (family \(r.entry.unitID)) does not match its hash: it was altered" }
            if r.previousHash != previous { return "record \(r.seq) (family \(r.entry.unitID)) does not link to record \(r.seq - 1)" }
            previous = r.hash
        }
        return nil
    }

    /// Appends the pulled records to the store at `path` (created beside the design when missing).
    public static func pull(_ file: DesignFile, store path: String?, source: String, designSHA256: String, headHash: String,
                            records: [AssignmentRecord], screenings: [(runID: Int, entry: ScreeningEntry)]) throws -> Outcome {
        guard designSHA256 == file.fingerprint else {
            throw Refusal(description: "\(source) serves a trial whose design has SHA-256 \(designSHA256.prefix(12))…, but \(file.path) "
                + "has \(file.fingerprint.prefix(12))…: pull with the design the service runs")
        }
        if let problem = firstProblem(records, designSHA256: designSHA256) {
            throw Refusal(description: "\(source): \(problem); nothing was pulled")
        }
        guard (records.last?.hash ?? designSHA256) == headHash else {
            throw Refusal(description: "\(source): the last record is not the head the service names; nothing was pulled")
        }
        let path = path ?? file.defaultStorePath
        let store = FileManager.default.fileExists(atPath: path)
            ? try TrialStoreAccess.openExisting(file, store: path)
            : try TrialStore.create(path: path, design: file.design, designFile: file.path, designData: file.data)
        let receipt = try store.appendPulled(records: records, screenings: screenings, source: source)
        let check = try store.verify()
        guard check.isIntact else {
            throw Refusal(description: "\(path): the pulled chain does not verify: \(check.problems.map(\.description).joined(separator: "; "))")
        }
        return Outcome(receipt: receipt, storePath: path)
    }
}
