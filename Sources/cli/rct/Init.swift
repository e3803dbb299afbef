import ArgumentParser
import Foundation
import TrialStore
import Workflow

/// `rct init DESIGN [--store PATH]`: creates the trial store for a design.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the trial store (SQLite) for a design.",
        discussion: """
            The store keeps the design's fingerprint (SHA-256 of the design file), the pseudonymised cohort, \
            screening outcomes and the hash-chained assignment records. By default it lies beside the design: \
            designs/NAME.yaml → designs/NAME.sqlite (*.sqlite files are ignored by git).
            """)

    @OptionGroup var trial: TrialOptions

    func run() throws {
        try reportingFailures {
            let file = try trial.loadDesign("init")
            let path = trial.store ?? file.defaultStorePath
            if FileManager.default.fileExists(atPath: path) {
                let existing = try TrialStoreAccess.openExisting(file, store: path)
                print("\(path): already the trial store of \"\(file.design.trial.id)\" (design SHA-256 \(try existing.trial().designSHA256.prefix(12))…); nothing to do")
                return
            }
            let created = try TrialStore.create(path: path, design: file.design, designFile: file.path, designData: file.data)
            print("\(path): created the trial store of \"\(file.design.trial.id)\" (design SHA-256 \(try created.trial().designSHA256.prefix(12))…)")
        }
    }
}
