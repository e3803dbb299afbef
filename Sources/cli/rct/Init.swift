import ArgumentParser
import Foundation
import Service
import TrialStore
import Workflow

/// `rct init DESIGN [--store PATH]`: creates the trial store for a design.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the trial store (SQLite) for a design.",
        discussion: """
            The store keeps the design's fingerprint (SHA-256 of the design file), the pseudonymised cohort, \
            screening outcomes and the hash-chained assignment records. By default it lies beside the design: \
            designs/NAME.yaml → designs/NAME.sqlite (*.sqlite files are ignored by git). With --database \
            postgres://USER@HOST:PORT/DB it creates the trial in that PostgreSQL database instead (the enrolment \
            side, for rct serve), bringing its schema up to date.
            """)

    @OptionGroup var trial: TrialOptions
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        try await reportingFailures {
            let file = try trial.loadDesign("init")
            if let url = database.database, TrialDatabase.isPostgres(url) {
                do {
                    let store = try await TrialDatabase.open(file, database: url)
                    defer { store.close() }
                    print("\(store.location): already the trial database of \"\(file.design.trial.id)\" (design SHA-256 \(try await store.trial().designSHA256.prefix(12))…); nothing to do")
                } catch StoreError.missing {
                    let store = try await TrialDatabase.createPostgres(file, url: url)
                    defer { store.close() }
                    print("\(store.location): created the trial database of \"\(file.design.trial.id)\" (design SHA-256 \(try await store.trial().designSHA256.prefix(12))…)")
                }
                return
            }
            let path = database.database ?? trial.store ?? file.defaultStorePath
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
