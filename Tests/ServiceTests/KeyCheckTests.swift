import Foundation
import TestSupport
import Testing

/// Issue 20, item 1, for the central service on its SQLite store: `rct serve` compares its
/// pseudonymisation key with the store's key in force when it starts, and again inside the write lock of
/// every enrolment, so that a key rotated while it runs (`rct key rotate`) refuses the next enrolment and
/// writes nothing. (The PostgreSQL store keeps no key fingerprint: nothing is compared there.)
@Suite(.serialized) struct KeyCheckTests {
    static let oldKey = "fixtures/mission/pseudonym.key"
    static let cohort = "fixtures/mission/cohort.csv"
    static let newKey = "a new key of the trial, rotated while the service ran"

    /// `rct serve DESIGN` with `environment`, waited for at most 60 seconds: its exit status and output when
    /// it stops by itself, nil (and stopped) when it starts listening.
    func refusedStart(_ trial: ServedTrial, environment: [String: String]) throws -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = RCTBinary.url
        process.arguments = ["serve", trial.design, "--listen", "127.0.0.1:0"]
        process.environment = ProcessInfo.processInfo.environment.merging(ServedTrial.environment.merging(environment) { $1 }) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, output)
    }

    func rotate(_ trial: ServedTrial) throws -> RunResult {
        let key = trial.folder.appendingPathComponent("new.key").path
        try Self.newKey.write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        return try RCTBinary.run(["key", "rotate", trial.design, "--old-key", Self.oldKey, "--new-key", "new.key", "--cohort", Self.cohort],
                                 currentDirectory: trial.folder, environment: ["RCT_PSEUDONYM_KEY": ""])
    }

    func families(_ trial: ServedTrial, _ server: ServerProcess) async throws -> Int {
        let list = try await TestHTTP.send("GET", server.baseURL + "/api/v1/enrolments",
                                           headers: ["Authorization": "Bearer \(trial.tokens["manager"]!)"])
        #expect(list.status == 200, "\(list.body)")
        return (list.json["enrolments"] as? [Any])?.count ?? -1
    }

    @Test func aServiceStartedWithAnotherKeyOrARotatedOutKeyIsRefused() async throws {
        let trial = try await ServedTrial(.sqlite, label: "serve-key-start")
        let index = try APITests.eligible(1)[0]
        let first = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: try APITests.enrolment(index))
        #expect(first.status == 201, "\(first.body)")
        trial.stop()

        // A colleague's key: refused before listening, naming both fingerprints and where the key came from.
        let colleague = try #require(try refusedStart(trial, environment: ["RCT_PSEUDONYM_KEY": "a colleague's key of another trial"]),
                                     "rct serve started with another key")
        #expect(colleague.status == 1)
        #expect(colleague.output.contains("error: the pseudonymisation key of the environment variable RCT_PSEUDONYM_KEY (fingerprint "),
                "\(colleague.output)")
        #expect(colleague.output.contains("is not the key in force in ") && colleague.output.contains("mission-kortrijk.sqlite (fingerprint "))
        #expect(colleague.output.contains("it is not the key the store's families were pseudonymised with"))
        #expect(colleague.output.contains("Start the service with the key in force") && colleague.output.contains("The service did not start"))
        #expect(!colleague.output.contains("listening on"))

        // After a rotation, the design's key file (the old key) is refused by the rotation's date.
        let rotated = try rotate(trial)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let old = try #require(try refusedStart(trial, environment: ["RCT_PSEUDONYM_KEY": ""]), "rct serve started with the old key")
        #expect(old.status == 1)
        #expect(old.output.contains("the pseudonymisation key of the key file ") && old.output.contains("fixtures/mission/pseudonym.key (fingerprint "),
                "\(old.output)")
        #expect(old.output.contains("it was rotated out on ") && old.output.contains("(key rotation 1)"))
        #expect(old.output.contains("where the design's pseudonymisation.key_file points, or its text in RCT_PSEUDONYM_KEY"))

        // The key in force: the service starts, and the family enrolled before is recognised under it.
        let server = try ServerProcess([trial.design], environment: ServedTrial.environment.merging(["RCT_PSEUDONYM_KEY": Self.newKey]) { $1 })
        defer { server.stop() }
        let again = try await TestHTTP.send("POST", server.baseURL + "/api/v1/enrolments",
                                            headers: ["Content-Type": "application/json", "Authorization": "Bearer \(trial.tokens["enroller1"]!)"],
                                            body: TestHTTP.json(try APITests.enrolment(index)))
        #expect(again.status == 200 && again.json["record_hash"] as? String == first.json["record_hash"] as? String, "\(again.body)")
        for n in try ServedTrial.nationalNumbers() { #expect(!(colleague.output + old.output + server.printed).contains(n)) }
    }

    @Test func aKeyRotatedWhileTheServiceRunsRefusesTheNextEnrolmentAndWritesNothing() async throws {
        let trial = try await ServedTrial(.sqlite, label: "serve-key-rotated")
        defer { trial.stop() }
        let eligible = try APITests.eligible(2)
        let first = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: try APITests.enrolment(eligible[0]))
        #expect(first.status == 201, "\(first.body)")
        let rotated = try rotate(trial)
        #expect(rotated.status == 0, "\(rotated.stderr)")

        // The service still reads the old key file: the next enrolment is refused, in JSON, and nothing is written.
        let before = try await families(trial, trial.server)
        let refused = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: try APITests.enrolment(eligible[1]))
        #expect(refused.status == 503, "\(refused.body)")
        let error = refused.json["error"] as? String ?? ""
        #expect(error.contains("the service's pseudonymisation key (fingerprint ") && error.contains("is not the key in force"), "\(error)")
        #expect(error.contains("it was rotated out on ") && error.contains("(key rotation 1)"))
        #expect(error.contains("Nothing was written") && error.contains("A manager must restart rct serve with the key in force"))
        #expect(!error.contains(trial.folder.path), "no path of the server's files in an answer")
        #expect(try await families(trial, trial.server) == before)
        #expect(before == 1)
        let verify = try RCTBinary.run(["verify", trial.design], currentDirectory: trial.folder)
        #expect(verify.status == 0 && verify.stdout.contains("1 assignment records, the chain is intact"), "\(verify.stdout)\(verify.stderr)")
        // The server's log names the key file; the audit log keeps the refusal.
        let deadline = Date().addingTimeInterval(10)
        while !trial.server.printed.contains("enrolment refused") && Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(trial.server.printed.contains("rct serve: enrolment refused: the pseudonymisation key of the key file "), "\(trial.server.printed)")
        for n in try ServedTrial.nationalNumbers() { #expect(!(trial.server.printed + refused.body).contains(n)) }
    }
}
