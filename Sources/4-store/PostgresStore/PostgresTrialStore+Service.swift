import Foundation
import PostgresNIO
import TrialStore

/// The central service's users, tokens, sessions and audit log in PostgreSQL (migration `v2_service`):
/// the same tables as the SQLite store's `v5_service`; the audit log's head row is locked (`FOR UPDATE`)
/// while an entry is appended, so the processes of one service write one chain.
extension PostgresTrialStore: ServiceStore {
    func user(_ r: PostgresRandomAccessRow) throws -> ServiceUser {
        ServiceUser(id: try r["id"].decode(Int.self), name: try r["name"].decode(String.self),
                    role: Role(rawValue: try r["role"].decode(String.self)) ?? .auditor, site: try r["site"].decode(String?.self),
                    passwordHash: try r["password_hash"].decode(String?.self), disabled: try r["disabled"].decode(Bool.self),
                    createdAt: try r["created_at"].decode(String.self), failedLogins: try r["failed_logins"].decode(Int.self),
                    lockedUntil: try r["locked_until"].decode(String?.self))
    }

    public func addUser(name: String, role: Role, site: String?, passwordHash: String?) async throws -> ServiceUser {
        do {
            return try await transaction { c in
                if try await !rows("SELECT id FROM users WHERE name = \(name)", on: c).isEmpty {
                    throw StoreError.invalid("a user \(name) already exists; names are unique (disable the old one and choose another name)")
                }
                let r = try await rows("""
                    INSERT INTO users (name, role, site, password_hash, disabled, created_at, failed_logins)
                    VALUES (\(name), \(role.rawValue), \(site), \(passwordHash), false, \(TrialStore.now()), 0) RETURNING *
                    """, on: c)
                return try user(r[0])
            }
        } catch { throw wrap(error) }
    }

    public func user(named name: String) async throws -> ServiceUser? {
        try await rows("SELECT * FROM users WHERE name = \(name)").first.map(user)
    }

    public func user(id: Int) async throws -> ServiceUser? {
        try await rows("SELECT * FROM users WHERE id = \(id)").first.map(user)
    }

    public func users() async throws -> [ServiceUser] {
        try await rows("SELECT * FROM users ORDER BY id").map(user)
    }

    public func setPassword(userID: Int, hash: String) async throws {
        _ = try await rows("UPDATE users SET password_hash = \(hash) WHERE id = \(userID)")
    }

    public func disableUser(named name: String) async throws -> Bool {
        do {
            return try await transaction { c in
                guard let r = try await rows("SELECT id FROM users WHERE name = \(name) FOR UPDATE", on: c).first else { return false }
                let id = try r["id"].decode(Int.self)
                _ = try await rows("UPDATE users SET disabled = true WHERE id = \(id)", on: c)
                _ = try await rows("UPDATE api_tokens SET revoked = true WHERE user_id = \(id)", on: c)
                _ = try await rows("DELETE FROM sessions WHERE user_id = \(id)", on: c)
                return true
            }
        } catch { throw wrap(error) }
    }

    public func addToken(userID: Int, tokenHash: String) async throws {
        _ = try await rows("""
            INSERT INTO api_tokens (token_hash, user_id, created_at, revoked) VALUES (\(tokenHash), \(userID), \(TrialStore.now()), false)
            """)
    }

    public func user(tokenHash: String) async throws -> ServiceUser? {
        try await rows("""
            SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(tokenHash) AND NOT t.revoked AND NOT u.disabled
            """).first.map(user)
    }

    public func recordLogin(userID: Int, succeeded: Bool, lockUntil: String?) async throws -> ServiceUser? {
        let updated = succeeded
            ? try await rows("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = \(userID) RETURNING *")
            : try await rows("""
                UPDATE users SET failed_logins = failed_logins + 1, locked_until = COALESCE(\(lockUntil), locked_until)
                WHERE id = \(userID) RETURNING *
                """)
        return try updated.first.map(user)
    }

    public func createSession(_ s: ServiceSession) async throws {
        _ = try await rows("""
            INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES (\(s.idHash), \(s.userID), \(s.csrfToken), \(s.expiresAt))
            """)
    }

    public func session(idHash: String) async throws -> ServiceSession? {
        try await rows("SELECT * FROM sessions WHERE id_hash = \(idHash)").first.map {
            ServiceSession(idHash: try $0["id_hash"].decode(String.self), userID: try $0["user_id"].decode(Int.self),
                           csrfToken: try $0["csrf_token"].decode(String.self), expiresAt: try $0["expires_at"].decode(String.self))
        }
    }

    public func deleteSession(idHash: String) async throws {
        _ = try await rows("DELETE FROM sessions WHERE id_hash = \(idHash)")
    }

    public func appendAudit(_ event: AuditEvent) async throws -> AuditEntry {
        do {
            return try await transaction { c in
                let head = try await rows("""
                    SELECT h.seq, h.hash, t.design_sha256 FROM audit_head h, trial t WHERE h.id = 1 AND t.id = 1 FOR UPDATE OF h
                    """, on: c)[0]
                let seq = try head["seq"].decode(Int.self) + 1
                let previous = try head["hash"].decode(String?.self) ?? head["design_sha256"].decode(String.self)
                let at = TrialStore.now()
                let hash = AuditChain.hash(seq: seq, at: at, event: event, previousHash: previous)
                _ = try await rows("""
                    INSERT INTO audit_log (seq, at, actor, action, target, remote, outcome, prev_hash, hash)
                    VALUES (\(seq), \(at), \(event.actor), \(event.action), \(event.target), \(event.remote), \(event.outcome),
                            \(previous), \(hash))
                    """, on: c)
                _ = try await rows("UPDATE audit_head SET seq = \(seq), hash = \(hash) WHERE id = 1", on: c)
                return AuditEntry(seq: seq, at: at, event: event, previousHash: previous, hash: hash)
            }
        } catch { throw wrap(error) }
    }

    func auditEntry(_ r: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(seq: try r["seq"].decode(Int.self), at: try r["at"].decode(String.self),
                   event: AuditEvent(actor: try r["actor"].decode(String.self), action: try r["action"].decode(String.self),
                                     target: try r["target"].decode(String?.self), remote: try r["remote"].decode(String?.self),
                                     outcome: try r["outcome"].decode(String.self)),
                   previousHash: try r["prev_hash"].decode(String.self), hash: try r["hash"].decode(String.self))
    }

    public func auditEntries(after: Int, limit: Int) async throws -> [AuditEntry] {
        try await rows("SELECT * FROM audit_log WHERE seq > \(after) ORDER BY seq LIMIT \(limit)").map(auditEntry)
    }

    public func verifyAudit() async throws -> AuditReport {
        let head = try await rows("SELECT h.seq, h.hash, t.design_sha256 FROM audit_head h, trial t WHERE h.id = 1 AND t.id = 1")[0]
        let entries = try await rows("SELECT * FROM audit_log ORDER BY seq").map(auditEntry)
        let triggers = Set(try await rows("""
            SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = 'audit_log'::regclass
            """).map { try $0["tgname"].decode(String.self) })
        let anchor = try head["design_sha256"].decode(String.self)
        return AuditChain.verify(entries: entries, anchor: anchor, headSeq: try head["seq"].decode(Int.self),
                                 headHash: try head["hash"].decode(String?.self) ?? anchor,
                                 missingTriggers: ["audit_log_append_only_update", "audit_log_append_only_delete"]
                                     .filter { !triggers.contains($0) })
    }

    public func pauseState() async throws -> PauseState {
        try await rows("SELECT * FROM enrolment_pauses ORDER BY seq DESC LIMIT 1").first.map {
            PauseState(paused: try $0["paused"].decode(Bool.self), since: try $0["at"].decode(String.self),
                       actor: try $0["actor"].decode(String.self), reason: try $0["reason"].decode(String?.self))
        } ?? PauseState(paused: false)
    }

    public func setPause(_ paused: Bool, actor: String, reason: String?) async throws {
        _ = try await rows("""
            INSERT INTO enrolment_pauses (at, actor, paused, reason) VALUES (\(TrialStore.now()), \(actor), \(paused), \(reason))
            """)
    }
}
