import Foundation
import PostgresStore
import TrialStore
import Workflow

/// Where the enrolment side of a trial lives, as the commands and the service name it: `--database URL`
/// for PostgreSQL (`postgres://USER@HOST:PORT/DATABASE`), or a file for SQLite (`--database PATH`, the
/// older `--store PATH`, or by default the store beside the design).
///
/// It lives beside the service rather than in Workflow so that Workflow, and the library product built on
/// it (the benchmarks' package among its users), stay free of PostgreSQL's client and its TLS stack.
public enum TrialDatabase {
    /// Whether `database` names a PostgreSQL database.
    public static func isPostgres(_ database: String?) -> Bool { database.map(DatabaseURL.isPostgres) ?? false }

    /// Opens the trial's enrolment store and, with a design, checks that it belongs to it.
    /// - Throws: `WorkflowError.noStore` for a missing SQLite file; `StoreError.missing` for a PostgreSQL
    ///   database without a trial (`rct init DESIGN --database URL` creates it); `StoreError.designChanged`.
    /// Both back ends are service stores too (users, sessions, audit log beside the records).
    public static func open(_ file: DesignFile?, database: String?, store: String? = nil) async throws -> any ServiceStore {
        if let database, DatabaseURL.isPostgres(database) {
            let s = try await PostgresTrialStore.open(url: database)
            if let file {
                do { try await s.checkDesign(file.data) } catch {
                    s.close()
                    throw error
                }
            }
            return s
        }
        guard let path = database ?? store ?? file?.defaultStorePath else {
            throw StoreError.invalid("say which store: a design, --database URL or --store PATH")
        }
        if let file {
            guard FileManager.default.fileExists(atPath: path) else { throw WorkflowError.noStore(path: path, design: file.path) }
        }
        let s = try TrialStore.open(path: path)
        if let file { try s.checkDesign(file.data) }
        return s
    }

    /// Opens the trial's store, creating it first when it does not exist yet (the SQLite file beside the
    /// design, or the trial in an empty PostgreSQL database); `note` hears what was created.
    public static func openOrCreate(_ file: DesignFile, database: String?, store: String? = nil,
                                    note: (String) -> Void) async throws -> any ServiceStore {
        if let database, DatabaseURL.isPostgres(database) {
            do { return try await open(file, database: database) } catch StoreError.missing {
                let created = try await createPostgres(file, url: database)
                note("\(created.location): created the trial database of \"\(file.design.trial.id)\"")
                return created
            }
        }
        let path = database ?? store ?? file.defaultStorePath
        if !FileManager.default.fileExists(atPath: path) {
            _ = try TrialStore.create(path: path, design: file.design, designFile: file.path, designData: file.data)
            note("\(path): created the trial store of \"\(file.design.trial.id)\"")
        }
        return try await open(file, database: path)
    }

    /// Creates the trial in an empty PostgreSQL database (the SQLite counterpart is `TrialStore.create`).
    public static func createPostgres(_ file: DesignFile, url: String) async throws -> PostgresTrialStore {
        try await PostgresTrialStore.create(url: url, design: file.design, designFile: file.path, designData: file.data)
    }
}
