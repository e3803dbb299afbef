import Basics
import Foundation
import Hummingbird
import TrialStore

/// The cookies of a request.
struct Cookies {
    let values: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, values[pair[0]] == nil { values[pair[0]] = pair[1] }
            }
        }
        self.values = values
    }

    subscript(name: String) -> String? { values[name] }
}

/// Browser sessions: a random 256-bit cookie value whose SHA-256 only is stored with the user, a CSRF token
/// and an end (8 hours); cookies `Secure; HttpOnly; SameSite=Strict`. Every form carries the session's CSRF
/// token (the login form a token bound to a cookie of its own), compared in constant time.
struct Sessions: Sendable {
    let service: TrialService
    static let cookie = "rct_session"
    static let loginCookie = "rct_login"
    static let lifetime: TimeInterval = 8 * 3600

    func cookie(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (service.secureCookies ? "; Secure" : "")
    }

    /// Starts a session for the user; returns its `Set-Cookie` value.
    func start(_ user: ServiceUser) async throws -> String {
        let secret = Accounts.randomSecret()
        let session = ServiceSession(idHash: Self.hash(secret), userID: user.id, csrfToken: Accounts.randomSecret(),
                                     expiresAt: Accounts.iso(Date().addingTimeInterval(Self.lifetime)))
        try await service.store.createSession(session)
        return cookie(Self.cookie, secret, maxAge: Int(Self.lifetime))
    }

    /// The signed-in user and their session, if the cookie names a live one of an enabled user.
    func current(_ request: Request) async throws -> (ServiceUser, ServiceSession)? {
        guard let secret = Cookies(request)[Self.cookie], secret.count < 100,
              let session = try await service.store.session(idHash: Self.hash(secret)) else { return nil }
        guard let end = ISO8601DateFormatter().date(from: session.expiresAt), end > Date() else {
            try await service.store.deleteSession(idHash: session.idHash)
            return nil
        }
        guard let user = try await service.store.user(id: session.userID), !user.disabled else { return nil }
        return (user, session)
    }

    func end(_ session: ServiceSession) async throws -> String {
        try await service.store.deleteSession(idHash: session.idHash)
        return cookie(Self.cookie, "", maxAge: 0)
    }

    static func hash(_ secret: String) -> String { Fingerprint.sha256(Array(secret.utf8)) }

    /// Equal strings, in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// Failed logins per client address, in this process: each failure in the last 15 minutes doubles the
/// wait before the answer (from a quarter of a second, at most 2 seconds), on top of the user's lockout
/// after `Accounts.lockAfter` failures (kept in the store, so it holds across processes).
actor LoginThrottle {
    private var failures: [String: [Date]] = [:]
    static let window: TimeInterval = 15 * 60

    func delay(for address: String, now: Date = Date()) -> Duration {
        let recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < Self.window }
        failures[address] = recent
        guard !recent.isEmpty else { return .zero }
        return .milliseconds(250 << min(recent.count - 1, 3))
    }

    func failed(_ address: String) {
        failures[address, default: []].append(Date())
        if failures.count > 10_000 { failures = failures.filter { !$0.value.isEmpty } }
    }

    func succeeded(_ address: String) { failures[address] = nil }
}

/// `application/x-www-form-urlencoded` bodies.
enum FormBody {
    static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            let key = decode(parts[0])
            if out[key] == nil { out[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return out
    }
}
