import Basics
import Foundation
import HummingbirdBcrypt
import TrialDesign
import TrialStore

/// The service's users, as `rct users` manages them and the server checks them: roles, an enroller's
/// site, bcrypt password hashes, API tokens (shown once, kept as SHA-256), login throttling and lockout.
/// There is no default account and no default password.
public enum Accounts {
    /// bcrypt's cost: 2^12 rounds, about a quarter of a second per check on a small server (OWASP's floor is
    /// 10). `RCT_BCRYPT_COST` may lower it for tests (never below 4, bcrypt's minimum).
    public static var bcryptCost: UInt8 {
        ProcessInfo.processInfo.environment["RCT_BCRYPT_COST"].flatMap(UInt8.init).map { max(4, min($0, 16)) } ?? 12
    }
    /// A password is at least this long (NIST SP 800-63B asks for 8; a trial's service asks for more).
    public static let minimumPasswordLength = 12
    /// After this many failed logins in a row the user is locked for `lockout`.
    public static let lockAfter = 5
    public static let lockout: TimeInterval = 15 * 60

    public enum AccountError: Error, Equatable, CustomStringConvertible, Sendable {
        case noSuchUser(String)
        case siteNeeded(user: String)
        case siteNotForRole(user: String, role: Role)
        case unknownSite(site: String, declared: [String])
        case weakPassword(minimum: Int)
        case invalidName(String)

        public var description: String {
            switch self {
            case let .noSuchUser(name): return "there is no user \(name); add one with `rct users add \(name) --role ROLE`"
            case let .siteNeeded(user): return "\(user) is an enroller: name the site they enrol for with --site SITE"
            case let .siteNotForRole(user, role): return "\(user) is a \(role.rawValue), who works for every site: leave out --site"
            case let .unknownSite(site, declared):
                return "site \"\(site)\" is not declared in the design; declared: " + (declared.isEmpty ? "(none: add sites: to the design)" : declared.joined(separator: ", "))
            case let .weakPassword(minimum): return "a password has at least \(minimum) characters"
            case let .invalidName(name): return "\"\(name)\" is not a valid user name; use letters, digits, ., _ and -, at most 64"
            }
        }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) }
    }

    /// A bcrypt hash of the password.
    public static func hashPassword(_ password: String) throws -> String {
        guard password.count >= minimumPasswordLength else { throw AccountError.weakPassword(minimum: minimumPasswordLength) }
        return Bcrypt.hash(password, cost: bcryptCost)
    }

    /// Adds a user; an enroller needs a site the design declares, the other roles have none.
    public static func add(_ store: some ServiceStore, design: Design, name: String, role: Role, site: String?,
                           password: String?, actor: String) async throws -> ServiceUser {
        guard isValidName(name) else { throw AccountError.invalidName(name) }
        switch (role, site) {
        case (.enroller, nil): throw AccountError.siteNeeded(user: name)
        case (.enroller, let site?):
            guard design.sites.contains(where: { $0.id == site }) else {
                throw AccountError.unknownSite(site: site, declared: design.sites.map(\.id))
            }
        case (_, .some): throw AccountError.siteNotForRole(user: name, role: role)
        case (_, nil): break
        }
        let hash = try password.map(hashPassword)
        let user = try await store.addUser(name: name, role: role, site: site, passwordHash: hash)
        _ = try await store.appendAudit(AuditEvent(actor: actor, action: "add user", target: name, remote: "local",
                                                   outcome: "ok: \(role.rawValue)" + (site.map { " at \($0)" } ?? "")))
        return user
    }

    /// Sets a user's password.
    public static func setPassword(_ store: some ServiceStore, name: String, password: String, actor: String) async throws {
        guard let user = try await store.user(named: name) else { throw AccountError.noSuchUser(name) }
        try await store.setPassword(userID: user.id, hash: try hashPassword(password))
        _ = try await store.appendAudit(AuditEvent(actor: actor, action: "set password", target: name, remote: "local", outcome: "ok"))
    }

    /// A new API token for the user, returned once (only its SHA-256 is kept): `rct_` and 43 characters of
    /// base64url, 256 random bits from the system's generator.
    public static func issueToken(_ store: some ServiceStore, name: String, actor: String) async throws -> String {
        guard let user = try await store.user(named: name), !user.disabled else { throw AccountError.noSuchUser(name) }
        let token = "rct_" + randomSecret()
        try await store.addToken(userID: user.id, tokenHash: Fingerprint.sha256(Array(token.utf8)))
        _ = try await store.appendAudit(AuditEvent(actor: actor, action: "issue token", target: name, remote: "local", outcome: "ok"))
        return token
    }

    /// Disables a user: their tokens stop working and their sessions end.
    public static func disable(_ store: some ServiceStore, name: String, actor: String) async throws {
        guard try await store.disableUser(named: name) else { throw AccountError.noSuchUser(name) }
        _ = try await store.appendAudit(AuditEvent(actor: actor, action: "disable user", target: name, remote: "local", outcome: "ok"))
    }

    /// 32 random bytes as base64url without padding.
    public static func randomSecret(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The user an `Authorization: Bearer` token names, if enabled.
    public static func user(token: String, in store: some ServiceStore) async throws -> ServiceUser? {
        guard token.hasPrefix("rct_"), token.count < 200 else { return nil }
        return try await store.user(tokenHash: Fingerprint.sha256(Array(token.utf8)))
    }

    /// What a login attempt came to.
    public enum LoginResult: Sendable, Equatable {
        case success(ServiceUser)
        /// Wrong name or password (the two are not told apart).
        case refused
        /// Locked after too many failures, until the instant given.
        case locked(until: String)
    }

    /// Checks a password (bcrypt), counting failures and locking the user after `lockAfter` in a row. An
    /// unknown name costs a bcrypt check too, so timing does not tell whether a name exists.
    public static func login(_ store: some ServiceStore, name: String, password: String, now: Date = Date()) async throws -> LoginResult {
        guard isValidName(name), password.utf8.count <= 1024, let user = try await store.user(named: name), !user.disabled,
              let hash = user.passwordHash else {
            _ = Bcrypt.verify(password.prefix(72).description, hash: dummyHash)
            return .refused
        }
        if let until = user.lockedUntil, let end = ISO8601DateFormatter().date(from: until), end > now {
            return .locked(until: until)
        }
        if Bcrypt.verify(String(password.prefix(1024)), hash: hash) {
            _ = try await store.recordLogin(userID: user.id, succeeded: true, lockUntil: nil)
            return .success(user)
        }
        let lock = user.failedLogins + 1 >= lockAfter ? iso(now.addingTimeInterval(lockout)) : nil
        _ = try await store.recordLogin(userID: user.id, succeeded: false, lockUntil: lock)
        return lock.map { .locked(until: $0) } ?? .refused
    }

    static let dummyHash = Bcrypt.hash("not a password of anyone", cost: bcryptCost)

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}
