import Assignment
import Basics
import Foundation
import Hummingbird
import TrialDesign
import TrialStore
import Workflow

/// The central randomisation service of one trial (`rct serve`): a shell over `Workflow` (the enrolment
/// step, the form generated from the design, verification) that adds users and roles, the JSON API, the
/// web pages and the audit log. Every request that reads or changes trial data is written to the store's
/// hash-chained audit log (who, when, what, from where).
public struct TrialService: Sendable {
    public let file: DesignFile
    public let store: any ServiceStore
    let plan: AssignmentPlan
    let form: EnrolmentForm
    /// Whether cookies carry `Secure` (always, unless the operator serves plain HTTP on purpose).
    public let secureCookies: Bool
    /// The time zone of the enrolment date (the trial's country).
    let timeZone: TimeZone

    public init(file: DesignFile, store: any ServiceStore, secureCookies: Bool = true) throws {
        self.file = file
        self.store = store
        self.plan = try Enrolment.rollingPlan(file)
        self.form = EnrolmentForm(design: file.design)
        self.secureCookies = secureCookies
        self.timeZone = TimeZone(identifier: "Europe/Brussels") ?? .gmt
    }

    /// Today's date where the trial runs: the enrolment date the service gives every family.
    func today() -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// Appends an audit entry; a failure to audit is logged (without personal data) and never hidden.
    func audit(_ actor: String, _ action: String, target: String? = nil, remote: String, outcome: String) async throws {
        _ = try await store.appendAudit(AuditEvent(actor: Self.clean(actor, 80), action: action,
                                                   target: target.map { Redaction.mask(Self.clean($0, 120)) },
                                                   remote: Self.clean(remote, 200), outcome: Redaction.mask(Self.clean(outcome, 200))))
    }

    /// Text from a client as the store keeps it: at most `limit` characters, control characters (a NUL
    /// that SQLite would cut a text at and PostgreSQL refuses, line breaks) shown as `�`.
    static func clean(_ text: String, _ limit: Int) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit).map {
            $0.properties.generalCategory == .control ? "\u{FFFD}" : $0
        }))
    }

    /// Whether a client's text may go to the database as a key (no control character, not too long).
    static func isPlain(_ text: String, _ limit: Int = 200) -> Bool {
        text.unicodeScalars.count <= limit && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// The router with every route of the service.
    public func router() -> Router<ServiceContext> {
        let router = Router(context: ServiceContext.self)
        router.add(middleware: SecurityHeaders())
        APIRoutes(service: self).add(to: router)
        WebRoutes(service: self, throttle: LoginThrottle()).add(to: router)
        return router
    }

    /// Serves until the task is cancelled; `onListening` receives the bound address (`host:port`).
    public func run(host: String, port: Int, onListening: @escaping @Sendable (String) async -> Void) async throws {
        let app = Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { channel in
                                  let address = channel.localAddress
                                  await onListening("\(address?.ipAddress ?? host):\(address?.port ?? port)")
                              })
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// Headers on every answer: no caching of trial data, no framing, no sniffing, a strict content policy
/// (the pages need no script).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ServiceContext

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        var response: Response
        do { response = try await next(request, context) } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        return response
    }
}
