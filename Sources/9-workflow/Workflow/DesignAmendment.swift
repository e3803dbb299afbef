import Foundation
import TrialDesign
import TrialStore

/// Recording a change of the design's locked part (`rct amend DESIGN --reason "…"`): the store keeps
/// the amended design, the changed keys with their old and new values, who, when, why and whether
/// outcome data had been imported, hash-chained; `rct verify` checks it and the report lists it.
public enum DesignAmendment {
    /// Records the amendment of `file` in its store (default: beside the design).
    /// - Throws: `WorkflowError.noStore`, `StoreError.nothingToAmend` / `.amendmentRefused`, or a
    ///   usage problem (`WorkflowError.amendment`) when the reason is empty.
    public static func amend(_ file: DesignFile, store path: String?, reason: String, author: String?) throws -> (Amendment, String) {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw WorkflowError.amendment("give the reason for the change: --reason \"…\" (it is reported)") }
        let path = path ?? file.defaultStorePath
        guard FileManager.default.fileExists(atPath: path) else { throw WorkflowError.noStore(path: path, design: file.path) }
        let store = try TrialStore.open(path: path)
        let trial = try store.trial()
        guard trial.trialID == file.design.trial.id else {
            throw WorkflowError.amendment("\(path) is the store of trial \"\(trial.trialID)\", not of \"\(file.design.trial.id)\"")
        }
        let who = author ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "unknown"
        return (try store.amend(designData: file.data, author: who, reason: reason), path)
    }
}
