import Foundation
import GRDB

/// The central service's users, tokens, sessions and audit log in the SQLite store (migration
/// `v5_service`), for a pilot served from one machine.
extension TrialStore: ServiceStore {
    static func user(_ row: Row) -> ServiceUser {
        ServiceUser(id: row["id"], name: row["name"], role: Role(rawValue: row["role"]) ?? .auditor, site: row["site"],
                    passwordHash: row["password_hash"], disabled: row["disabled"], createdAt: row["created_at"],
                    failedLogins: row["failed_logins"], lockedUntil: row["locked_until"])
    }

    public func addUser(name: String, role: Role, site: String?, passwordHash: String?) throws -> ServiceUser {
        try queue.write { db in
            if try Row.fetchOne(db, sql: "SELECT id FROM users WHERE name = ?", arguments: [name]) != nil {
                throw StoreError.invalid("a user \(name) already exists; names are unique (disable the old one and choose another name)")
            }
            try db.execute(sql: """
                INSERT INTO users (name, role, site, password_hash, disabled, created_at, failed_logins) VALUES (?, ?, ?, ?, 0, ?, 0)
                """, arguments: [name, role.rawValue, site, passwordHash, Self.now()])
            return Self.user(try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [db.lastInsertedRowID])!)
        }
    }

    public func user(named name: String) throws -> ServiceUser? {
        try queue.read { try Row.fetchOne($0, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).map(Self.user) }
    }

    public func user(id: Int) throws -> ServiceUser? {
        try queue.read { try Row.fetchOne($0, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.user) }
    }

    public func users() throws -> [ServiceUser] {
        try queue.read { try Row.fetchAll($0, sql: "SELECT * FROM users ORDER BY id").map(Self.user) }
    }

    public func setPassword(userID: Int, hash: String) throws {
        try queue.write { try $0.execute(sql: "UPDATE users SET password_hash = ? WHERE id = ?", arguments: [hash, userID]) }
    }

    public func disableUser(named name: String) throws -> Bool {
        try queue.write { db in
            guard let id = try Int.fetchOne(db, sql: "SELECT id FROM users WHERE name = ?", arguments: [name]) else { return false }
            try db.execute(sql: "UPDATE users SET disabled = 1 WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE api_tokens SET revoked = 1 WHERE user_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [id])
            return true
        }
    }

    public func addToken(userID: Int, tokenHash: String) throws {
        try queue.write {
            try $0.execute(sql: "INSERT INTO api_tokens (token_hash, user_id, created_at, revoked) VALUES (?, ?, ?, 0)",
                           arguments: [tokenHash, userID, Self.now()])
        }
    }

    public func user(tokenHash: String) throws -> ServiceUser? {
        try queue.read {
            try Row.fetchOne($0, sql: """
                SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = ? AND t.revoked = 0 AND u.disabled = 0
                """, arguments: [tokenHash]).map(Self.user)
        }
    }

    public func recordLogin(userID: Int, succeeded: Bool, lockUntil: String?) throws -> ServiceUser? {
        try queue.write { db in
            if succeeded {
                try db.execute(sql: "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", arguments: [userID])
            } else {
                try db.execute(sql: "UPDATE users SET failed_logins = failed_logins + 1, locked_until = COALESCE(?, locked_until) WHERE id = ?",
                               arguments: [lockUntil, userID])
            }
            return try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [userID]).map(Self.user)
        }
    }

    public func createSession(_ s: ServiceSession) throws {
        try queue.write {
            try $0.execute(sql: "INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES (?, ?, ?, ?)",
                           arguments: [s.idHash, s.userID, s.csrfToken, s.expiresAt])
        }
    }

    public func session(idHash: String) throws -> ServiceSession? {
        try queue.read {
            try Row.fetchOne($0, sql: "SELECT * FROM sessions WHERE id_hash = ?", arguments: [idHash]).map {
                ServiceSession(idHash: $0["id_hash"], userID: $0["user_id"], csrfToken: $0["csrf_token"], expiresAt: $0["expires_at"])
            }
        }
    }

    public func deleteSession(idHash: String) throws {
        try queue.write { try $0.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [idHash]) }
    }

    public func appendAudit(_ event: AuditEvent) throws -> AuditEntry {
        try queue.writeWithoutTransaction { db in
            var entry: AuditEntry?
            try db.inTransaction(.immediate) {
                let head = try Row.fetchOne(db, sql: """
                    SELECT h.seq, h.hash, t.design_sha256 FROM audit_head h, trial t WHERE h.id = 1 AND t.id = 1
                    """)!
                let seq = (head["seq"] as Int) + 1
                let previous: String = head["hash"] ?? head["design_sha256"]
                let at = Self.now()
                let hash = AuditChain.hash(seq: seq, at: at, event: event, previousHash: previous)
                try db.execute(sql: """
                    INSERT INTO audit_log (seq, at, actor, action, target, remote, outcome, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [seq, at, event.actor, event.action, event.target, event.remote, event.outcome, previous, hash])
                try db.execute(sql: "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", arguments: [seq, hash])
                entry = AuditEntry(seq: seq, at: at, event: event, previousHash: previous, hash: hash)
                return .commit
            }
            return entry!
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(seq: row["seq"], at: row["at"],
                   event: AuditEvent(actor: row["actor"], action: row["action"], target: row["target"], remote: row["remote"],
                                     outcome: row["outcome"]),
                   previousHash: row["prev_hash"], hash: row["hash"])
    }

    public func auditEntries(after: Int, limit: Int) throws -> [AuditEntry] {
        try queue.read {
            try Row.fetchAll($0, sql: "SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [after, limit])
                .map(Self.auditEntry)
        }
    }

    public func verifyAudit() throws -> AuditReport {
        try queue.read { db in
            let head = try Row.fetchOne(db, sql: """
                SELECT h.seq, h.hash, t.design_sha256 FROM audit_head h, trial t WHERE h.id = 1 AND t.id = 1
                """)!
            let entries = try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq").map(Self.auditEntry)
            let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return AuditChain.verify(entries: entries, anchor: head["design_sha256"], headSeq: head["seq"],
                                     headHash: head["hash"] ?? head["design_sha256"],
                                     missingTriggers: StoreMigrations.auditTriggers.filter { !triggers.contains($0) })
        }
    }

    public func pauseState() throws -> PauseState {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM enrolment_pauses ORDER BY seq DESC LIMIT 1").map {
                PauseState(paused: $0["paused"], since: $0["at"], actor: $0["actor"], reason: $0["reason"])
            } ?? PauseState(paused: false)
        }
    }

    public func setPause(_ paused: Bool, actor: String, reason: String?) throws {
        try queue.write {
            try $0.execute(sql: "INSERT INTO enrolment_pauses (at, actor, paused, reason) VALUES (?, ?, ?, ?)",
                           arguments: [Self.now(), actor, paused, reason])
        }
    }
}
