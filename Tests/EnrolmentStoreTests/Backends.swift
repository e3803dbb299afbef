import Foundation
import PostgresStore
import Service
import TestSupport
import Testing
import TrialStore
import Workflow

/// The two back ends of the enrolment store. Every test of this target runs on each one available:
/// SQLite always, PostgreSQL when `.ci/run` (or a developer) started a server (`RCT_TEST_DATABASE_URL`).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgresql

    var testDescription: String { rawValue }

    static var available: [Backend] { PostgresTestDatabase.isAvailable ? [.sqlite, .postgresql] : [.sqlite] }

    /// A new trial store for the design on this back end: a file in `folder`, or a new database.
    func makeStore(_ file: DesignFile, in folder: URL) async throws -> (store: any EnrolmentStore, database: String) {
        switch self {
        case .sqlite:
            let path = folder.appendingPathComponent("trial.sqlite").path
            let store = try TrialStore.create(path: path, design: file.design, designFile: file.path, designData: file.data)
            return (store, path)
        case .postgresql:
            let url = try await PostgresTestDatabase.fresh("store")
            return (try await TrialDatabase.createPostgres(file, url: url), url)
        }
    }
}

@Suite struct PostgresAvailability {
    @Test func ciStartsPostgreSQL() {
        // A developer's `make test` without a server skips the PostgreSQL cases (saying so once here);
        // CI never does.
        #expect(!PostgresTestDatabase.missingInCI,
                "CI is set but \(PostgresTestDatabase.variable) is not: .ci/run must start PostgreSQL for the tests")
        if let reason = PostgresTestDatabase.skipReason { print("note: \(reason)") }
    }
}
