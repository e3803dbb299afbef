import Foundation
import PostgresStore
import Service
import TestSupport
import Testing
import TrialStore
import Workflow

/// Users, tokens, logins and the audit log on both back ends.
@Suite struct ServiceStoreTests {
    static func design() throws -> DesignFile {
        try DesignFile.load(Fixtures.path("designs/mission-kortrijk.yaml"))
    }

    static func store(_ backend: Backend, _ label: String) async throws -> any ServiceStore {
        let (store, _) = try await backend.makeStore(try design(), in: try Fixtures.temporaryDirectory(label))
        return store as! any ServiceStore
    }

    @Test("users: roles and sites checked, names unique, tokens shown once and kept hashed, disabled users locked out",
          arguments: Backend.available)
    func users(_ backend: Backend) async throws {
        let file = try Self.design()
        let store = try await Self.store(backend, "users")
        defer { store.close() }
        let site = try #require(file.design.sites.first?.id)
        let anna = try await Accounts.add(store, design: file.design, name: "anna", role: .enroller, site: site, password: nil, actor: "test")
        #expect(anna.role == .enroller && anna.site == site && anna.passwordHash == nil)
        await #expect(throws: Accounts.AccountError.siteNeeded(user: "bert")) {
            _ = try await Accounts.add(store, design: file.design, name: "bert", role: .enroller, site: nil, password: nil, actor: "test")
        }
        await #expect(throws: Accounts.AccountError.self) {
            _ = try await Accounts.add(store, design: file.design, name: "bert", role: .enroller, site: "nowhere", password: nil, actor: "test")
        }
        await #expect(throws: Accounts.AccountError.siteNotForRole(user: "mia", role: .manager)) {
            _ = try await Accounts.add(store, design: file.design, name: "mia", role: .manager, site: site, password: nil, actor: "test")
        }
        await #expect(throws: StoreError.self) {
            _ = try await Accounts.add(store, design: file.design, name: "anna", role: .auditor, site: nil, password: nil, actor: "test")
        }
        await #expect(throws: Accounts.AccountError.weakPassword(minimum: 12)) {
            _ = try await Accounts.add(store, design: file.design, name: "kort", role: .auditor, site: nil, password: "short", actor: "test")
        }
        let token = try await Accounts.issueToken(store, name: "anna", actor: "test")
        #expect(token.hasPrefix("rct_") && token.count == 47)
        #expect(try await Accounts.user(token: token, in: store)?.name == "anna")
        #expect(try await Accounts.user(token: token + "x", in: store) == nil)
        #expect(try await Accounts.user(token: "rct_' OR '1'='1", in: store) == nil)
        try await Accounts.disable(store, name: "anna", actor: "test")
        #expect(try await Accounts.user(token: token, in: store) == nil)
        await #expect(throws: Accounts.AccountError.noSuchUser("nobody")) { try await Accounts.disable(store, name: "nobody", actor: "test") }
        #expect(try await store.users().map(\.name) == ["anna"])
    }

    @Test("logins: a wrong password is refused, five in a row lock the user, even the right password then waits",
          arguments: Backend.available)
    func logins(_ backend: Backend) async throws {
        let file = try Self.design()
        let store = try await Self.store(backend, "logins")
        defer { store.close() }
        _ = try await Accounts.add(store, design: file.design, name: "mia", role: .manager, site: nil,
                                   password: "correct horse battery", actor: "test")
        guard case .success = try await Accounts.login(store, name: "mia", password: "correct horse battery") else {
            Issue.record("the right password was refused"); return
        }
        #expect(try await Accounts.login(store, name: "nobody", password: "correct horse battery") == .refused)
        var results: [Accounts.LoginResult] = []
        for i in 0..<10 { results.append(try await Accounts.login(store, name: "mia", password: "wrong \(i) password")) }
        #expect(results.prefix(4).allSatisfy { $0 == .refused })
        #expect(results.dropFirst(4).allSatisfy { if case .locked = $0 { true } else { false } })
        guard case .locked = try await Accounts.login(store, name: "mia", password: "correct horse battery") else {
            Issue.record("a locked user logged in"); return
        }
        // Once the lock has passed, the right password works again and resets the count.
        guard case .success = try await Accounts.login(store, name: "mia", password: "correct horse battery",
                                                       now: Date().addingTimeInterval(Accounts.lockout + 60)) else {
            Issue.record("the lock did not end"); return
        }
    }

    @Test("the audit log is hash-chained, append-only, serialised under concurrency, and checked by verify",
          arguments: Backend.available)
    func auditChain(_ backend: Backend) async throws {
        let file = try Self.design()
        let (plain, database) = try await backend.makeStore(file, in: try Fixtures.temporaryDirectory("audit"))
        let store = plain as! any ServiceStore
        defer { store.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<30 {
                group.addTask {
                    _ = try await store.appendAudit(AuditEvent(actor: "user\(i % 3)", action: "read enrolment", target: "F\(i)",
                                                               remote: "127.0.0.1", outcome: "200"))
                }
            }
            try await group.waitForAll()
        }
        let entries = try await store.auditEntries(after: 0, limit: 1000)
        #expect(entries.map(\.seq) == Array(1...30))
        #expect(entries.first?.previousHash == (try await store.trial().designSHA256))
        #expect(try await store.verifyAudit().isIntact)
        let outcome = try await Verification.run(store: store, design: file, expectedHead: nil)
        #expect(outcome.problems.isEmpty && outcome.audit?.entries == 30)
        // Behind the triggers' back, an entry changed: the chain check finds it.
        switch backend {
        case .sqlite:
            try TrialStoreTestAccess.execute(database, [
                "DROP TRIGGER audit_log_append_only_update",
                "UPDATE audit_log SET actor = 'someone else' WHERE seq = 7",
            ])
        case .postgresql:
            await #expect(throws: (any Error).self) {
                try await PostgresTestDatabase.execute(database, ["DELETE FROM audit_log WHERE seq = 3"])
            }
            try await PostgresTestDatabase.execute(database, [
                "DROP TRIGGER audit_log_append_only_update ON audit_log",
                "UPDATE audit_log SET actor = 'someone else' WHERE seq = 7",
            ])
        }
        let report = try await store.verifyAudit()
        #expect(report.problems.contains { $0.hasPrefix("audit entry 7 ") && $0.contains("altered") })
        #expect(report.problems.contains { $0.contains("append-only triggers were removed") })
    }
}
