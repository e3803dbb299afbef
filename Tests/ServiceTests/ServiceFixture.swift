import Foundation
import TestSupport
import Testing

/// A trial served for a test: a copy of the bundled MISSION design in a temporary folder, its store on one
/// of the two back ends, users of every role with tokens (made with `rct users`), and `rct serve` running.
final class ServedTrial: @unchecked Sendable {
    enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite, postgresql
        var testDescription: String { rawValue }
        static var available: [Backend] { PostgresTestDatabase.isAvailable ? [.sqlite, .postgresql] : [.sqlite] }
    }

    let folder: URL
    let design: String
    let database: [String]
    let server: ServerProcess
    var tokens: [String: String] = [:]
    static let environment = ["RCT_BCRYPT_COST": "4"]
    static let password = "a long test password"

    /// The users every test has: `name: (role, site)`.
    static let users: [(String, String, String?)] = [
        ("enroller1", "enroller", "sociaal_huis"), ("enroller2", "enroller", "kind_en_gezin"),
        ("manager", "manager", nil), ("statistician", "statistician", nil), ("auditor", "auditor", nil),
    ]

    init(_ backend: Backend, label: String, edit: (String) -> String = { $0 }) async throws {
        folder = try Fixtures.missionTrialCopy(label, edit: edit)
        design = folder.appendingPathComponent("designs/mission-kortrijk.yaml").path
        switch backend {
        case .sqlite: database = []
        case .postgresql: database = ["--database", try await PostgresTestDatabase.fresh("serve")]
        }
        for (name, role, site) in Self.users {
            let r = try RCTBinary.run(["users", "add", name, "--role", role] + (site.map { ["--site", $0] } ?? [])
                                      + ["--design", design, "--password-stdin"] + database,
                                      environment: Self.environment, stdin: Self.password + "\n")
            #expect(r.status == 0, "\(r.stderr)")
            let t = try RCTBinary.run(["users", "token", name, "--design", design] + database, environment: Self.environment)
            #expect(t.status == 0, "\(t.stderr)")
            tokens[name] = t.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        server = try ServerProcess([design] + database, environment: Self.environment)
    }

    func url(_ path: String) -> String { server.baseURL + path }

    func call(_ method: String, _ path: String, as user: String?, body: [String: Any]? = nil, raw: String? = nil) async throws -> HTTPAnswer {
        var headers = ["Content-Type": "application/json"]
        if let user, let token = tokens[user] { headers["Authorization"] = "Bearer \(token)" }
        return try await TestHTTP.send(method, url(path), headers: headers, body: raw ?? body.map(TestHTTP.json))
    }

    /// A family of the bundled cohort as the enrolment's fields (without the enrolment date, which the
    /// service sets).
    static func family(_ index: Int) throws -> (id: String, fields: [String: String]) {
        let lines = try Fixtures.contents("fixtures/mission/cohort.csv").split(whereSeparator: \.isNewline).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let cells = lines[index + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var fields = Dictionary(uniqueKeysWithValues: zip(header, cells))
        let id = fields.removeValue(forKey: "family_id")!
        fields["enrolled_on"] = nil
        return (id, fields)
    }

    /// The national numbers of the bundled cohort: none may ever appear in an answer, a log or the store.
    static func nationalNumbers() throws -> [String] {
        let lines = try Fixtures.contents("fixtures/mission/cohort.csv").split(whereSeparator: \.isNewline).dropFirst()
        return lines.map { String($0.split(separator: ",")[1]) }
    }

    func stop() { server.stop() }
}
