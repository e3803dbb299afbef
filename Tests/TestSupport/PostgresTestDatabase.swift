import Foundation
import PostgresNIO

/// The PostgreSQL server of the tests: `.ci/run` starts one on loopback in a temporary folder and exports
/// its URL (a superuser, database `postgres`) as `RCT_TEST_DATABASE_URL`. Each test makes a database of its
/// own from it. Without the variable (a developer's `make test`), the PostgreSQL cases are skipped with a
/// message; under CI (`CI` set) its absence is a failure, never a silent skip.
public enum PostgresTestDatabase {
    public static let variable = "RCT_TEST_DATABASE_URL"

    /// The server's URL, when one was started for the tests.
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var isAvailable: Bool { serverURL != nil }

    /// Why the PostgreSQL cases do not run, or nil when they do.
    public static var skipReason: String? {
        isAvailable ? nil : "PostgreSQL cases skipped: \(variable) is not set (.ci/run starts a server and sets it)"
    }

    /// Whether CI runs without the server it should have started.
    public static var missingInCI: Bool {
        !isAvailable && ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } == true
    }

    /// A new empty database on the test server; returns its URL.
    public static func fresh(_ label: String = "t") async throws -> String {
        guard let server = serverURL, let c = URLComponents(string: server), let host = c.host, let user = c.user else {
            throw TestDatabaseError.noServer
        }
        let name = "rct_\(label)_\(UUID().uuidString.prefix(8).lowercased())"
        let configuration = PostgresClient.Configuration(host: host, port: c.port ?? 5432, username: user, password: c.password,
                                                         database: String(c.path.dropFirst()), tls: .disable)
        let client = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
            group.cancelAll()
        }
        var out = c
        out.path = "/" + name
        return out.string!
    }

    /// Runs SQL statements on the database at `url` (to tamper with a store, say).
    public static func execute(_ url: String, _ statements: [String]) async throws {
        guard let c = URLComponents(string: url), let host = c.host, let user = c.user else { throw TestDatabaseError.noServer }
        let configuration = PostgresClient.Configuration(host: host, port: c.port ?? 5432, username: user, password: c.password,
                                                         database: String(c.path.dropFirst()), tls: .disable)
        let client = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            for s in statements { try await client.query(PostgresQuery(unsafeSQL: s)) }
            group.cancelAll()
        }
    }

    public enum TestDatabaseError: Error { case noServer }
}
