import ArgumentParser
import Foundation
import TrialStore

/// `rct init DESIGN [--store PATH]`: creates the trial store for a design.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the trial store (SQLite) for a design.",
        discussion: """
            The store keeps the design's fingerprint (SHA-256 of the design file), the pseudonymised cohort, \
            screening outcomes and the hash-chained assignment records. By default it lies beside the design: \
            designs/NAME.yaml → designs/NAME.sqlite (*.sqlite files are ignored by git).
            """)

    @Argument(help: "The design file, e.g. designs/mission-kortrijk.yaml.")
    var design: String

    @Option(help: "Where to create the store (default: beside the design, NAME.sqlite).")
    var store: String?

    func run() throws {
        try StoreSupport.reporting {
            let (d, data) = try StoreSupport.loadDesign(design)
            let path = store ?? StoreSupport.defaultStorePath(design: design)
            if FileManager.default.fileExists(atPath: path) {
                let existing = try TrialStore.open(path: path)
                try existing.checkDesign(data)
                print("\(path): already the trial store of \"\(d.trial.id)\" (design SHA-256 \(try existing.trial().designSHA256.prefix(12))…); nothing to do")
                return
            }
            let created = try TrialStore.create(path: path, design: d, designFile: design, designData: data)
            print("\(path): created the trial store of \"\(d.trial.id)\" (design SHA-256 \(try created.trial().designSHA256.prefix(12))…)")
        }
    }
}
