import Basics
import Foundation

/// What a user of the central service (`rct serve`) may do.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// One site: screens and enrols that site's families, sees that site's enrolments only.
    case enroller
    /// All sites: recruitment dashboard, capacity, pauses; reads every enrolment.
    case manager
    /// Exports the assignment record (`rct pull`); cannot enrol.
    case statistician
    /// Reads the audit trail and runs the chain checks.
    case auditor
}

/// A user of the service. Passwords are kept as bcrypt hashes only; API tokens as SHA-256 hashes only.
public struct ServiceUser: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var role: Role
    /// The site an enroller enrols for (nil for the other roles).
    public var site: String?
    public var passwordHash: String?
    public var disabled: Bool
    public var createdAt: String
    /// Failed logins since the last successful one.
    public var failedLogins: Int
    /// While set and in the future (ISO 8601 UTC), every login is refused.
    public var lockedUntil: String?

    public init(id: Int, name: String, role: Role, site: String?, passwordHash: String?, disabled: Bool, createdAt: String,
                failedLogins: Int, lockedUntil: String?) {
        self.id = id
        self.name = name
        self.role = role
        self.site = site
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
        self.failedLogins = failedLogins
        self.lockedUntil = lockedUntil
    }
}

/// One thing the service or an administrator did, as it is appended to the audit log.
public struct AuditEvent: Sendable, Equatable {
    /// Who: a user's name, `anonymous`, or `cli:NAME` for an administrator's command.
    public var actor: String
    /// What, as a short verb phrase: `enrol`, `read enrolment`, `list enrolments`, `login`, `add user`…
    public var action: String
    /// On what: a family's study code or pseudonym, a user's name, a site; never a national number.
    public var target: String?
    /// From where: the client's address (behind a proxy, the proxy's `X-Forwarded-For` as well), or `local`.
    public var remote: String?
    /// How it ended: an HTTP status, `ok`, `refused: REASON`.
    public var outcome: String

    public init(actor: String, action: String, target: String? = nil, remote: String? = nil, outcome: String) {
        self.actor = actor
        self.action = action
        self.target = target
        self.remote = remote
        self.outcome = outcome
    }
}

/// An entry of the audit log, with its place in the log's own hash chain.
public struct AuditEntry: Sendable, Equatable {
    public var seq: Int
    /// ISO 8601 UTC instant.
    public var at: String
    public var event: AuditEvent
    public var previousHash: String
    public var hash: String

    public init(seq: Int, at: String, event: AuditEvent, previousHash: String, hash: String) {
        self.seq = seq
        self.at = at
        self.event = event
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// The hash chain over the audit log, built like the assignment chain (`HashChain`): every entry stores
/// `hash = SHA-256(canonical content)`, the content being the line `rct-audit-v1` and then
/// `seq, at, actor, action, target, remote, outcome, prev`, one `name=value` line each (`name` alone for an
/// absent value; `\` and newlines escaped). Entry 1's `prev` is the design's SHA-256.
public enum AuditChain {
    public static func canonicalContent(seq: Int, at: String, event e: AuditEvent, previousHash: String) -> String {
        let fields: [(String, String?)] = [
            ("seq", String(seq)), ("at", at), ("actor", e.actor), ("action", e.action), ("target", e.target),
            ("remote", e.remote), ("outcome", e.outcome), ("prev", previousHash),
        ]
        var text = "rct-audit-v1\n"
        for (name, value) in fields { text += value.map { "\(name)=\(HashChain.escape($0))\n" } ?? "\(name)\n" }
        return text
    }

    public static func hash(seq: Int, at: String, event: AuditEvent, previousHash: String) -> String {
        Fingerprint.sha256(Array(canonicalContent(seq: seq, at: at, event: event, previousHash: previousHash).utf8))
    }

    /// Checks the entries (in `seq` order) against the anchor (the design's SHA-256) and the head kept in
    /// the store: every hash from its content, every link, no gap, nothing after the head.
    public static func verify(entries: [AuditEntry], anchor: String, headSeq: Int, headHash: String,
                              missingTriggers: [String]) -> AuditReport {
        var problems: [String] = []
        var previous = anchor
        var expectedSeq = 1
        for e in entries {
            if e.seq != expectedSeq {
                problems.append(e.seq > expectedSeq
                    ? "audit entries \(expectedSeq)–\(e.seq - 1) were removed" : "audit entry \(e.seq) appears twice")
            }
            if hash(seq: e.seq, at: e.at, event: e.event, previousHash: e.previousHash) != e.hash {
                problems.append("audit entry \(e.seq) (\(e.at), \(e.event.actor): \(e.event.action)) was altered: its content no longer matches its hash")
            } else if e.previousHash != previous {
                problems.append("audit entry \(e.seq) does not link to entry \(e.seq - 1): an entry was altered and re-hashed, or inserted")
            }
            previous = e.hash
            expectedSeq = e.seq + 1
        }
        let last = entries.last
        if (last?.seq ?? 0) < headSeq {
            problems.append("audit entries \((last?.seq ?? 0) + 1)–\(headSeq) were removed (the log's head says it ends at entry \(headSeq))")
        } else if (last?.seq ?? 0) > headSeq {
            problems.append("audit entry \(last!.seq) was inserted: the log's head says it ends at entry \(headSeq)")
        } else if (last?.hash ?? anchor) != headHash {
            problems.append("the last audit entry does not match the log's head: it was altered")
        }
        if !missingTriggers.isEmpty {
            problems.append("the audit log's append-only triggers were removed (\(missingTriggers.joined(separator: ", ")))")
        }
        return AuditReport(entries: entries.count, headHash: last?.hash ?? anchor, problems: problems)
    }
}

/// What the audit chain check found.
public struct AuditReport: Sendable, Equatable {
    public var entries: Int
    public var headHash: String
    public var problems: [String]
    public var isIntact: Bool { problems.isEmpty }
}

/// A signed-in browser session: the hash of its cookie value, its user, its CSRF token and when it ends.
public struct ServiceSession: Sendable, Equatable {
    public var idHash: String
    public var userID: Int
    public var csrfToken: String
    /// ISO 8601 UTC.
    public var expiresAt: String

    public init(idHash: String, userID: Int, csrfToken: String, expiresAt: String) {
        self.idHash = idHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

/// The users, tokens, sessions and audit log of the central service, beside the enrolment records:
/// `TrialStore` (SQLite) and `PostgresTrialStore` implement it with the same tables.
public protocol ServiceStore: EnrolmentStore {
    /// Adds a user; `StoreError.invalid` when the name is taken.
    func addUser(name: String, role: Role, site: String?, passwordHash: String?) async throws -> ServiceUser
    func user(named name: String) async throws -> ServiceUser?
    func user(id: Int) async throws -> ServiceUser?
    func users() async throws -> [ServiceUser]
    func setPassword(userID: Int, hash: String) async throws
    /// Disables a user and revokes their tokens and sessions; false when there is no such user.
    func disableUser(named name: String) async throws -> Bool
    /// Stores the SHA-256 of a new API token of the user.
    func addToken(userID: Int, tokenHash: String) async throws
    /// The enabled user holding the token with this SHA-256, if any.
    func user(tokenHash: String) async throws -> ServiceUser?
    /// Records a login attempt's outcome: resets the count on success; on failure counts it and, past the
    /// threshold, locks the user until `lockUntil`.
    func recordLogin(userID: Int, succeeded: Bool, lockUntil: String?) async throws -> ServiceUser?

    func createSession(_ session: ServiceSession) async throws
    func session(idHash: String) async throws -> ServiceSession?
    func deleteSession(idHash: String) async throws

    /// Appends an entry to the hash-chained audit log (in its own write-locked transaction).
    func appendAudit(_ event: AuditEvent) async throws -> AuditEntry
    /// Audit entries in order, from `after` + 1, at most `limit`.
    func auditEntries(after: Int, limit: Int) async throws -> [AuditEntry]
    /// Recomputes the audit log's chain.
    func verifyAudit() async throws -> AuditReport

    /// Whether enrolment is paused (a manager's decision), and since when, by whom and why.
    func pauseState() async throws -> PauseState
    /// Pauses or resumes enrolment; every change is kept.
    func setPause(_ paused: Bool, actor: String, reason: String?) async throws
}

/// Whether enrolment is paused by a manager.
public struct PauseState: Sendable, Equatable {
    public var paused: Bool
    public var since: String?
    public var actor: String?
    public var reason: String?

    public init(paused: Bool, since: String? = nil, actor: String? = nil, reason: String? = nil) {
        self.paused = paused
        self.since = since
        self.actor = actor
        self.reason = reason
    }
}
