import Basics
import Foundation
import Hummingbird
import TrialStore
import Workflow

/// The JSON API (`/api/v1/…`, described by `/openapi.json`). Every call but `health` and the document
/// needs `Authorization: Bearer TOKEN` (`rct users token NAME`): 401 without a valid one, 403 for a role or
/// site that may not. Every call that reads or changes trial data is audited.
struct APIRoutes: Sendable {
    let service: TrialService
    var desk: EnrolmentDesk { EnrolmentDesk(service: service) }

    func add(to router: Router<ServiceContext>) {
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json(for: service.file.design))))
        }
        router.get("/api/v1/health") { _, _ in await health() }
        router.post("/api/v1/enrolments") { request, context in try await guarded(request, context) { try await enrol(request, context) } }
        router.get("/api/v1/enrolments") { request, context in try await guarded(request, context) { try await list(request, context) } }
        router.get("/api/v1/enrolments/{family_id}") { request, context in
            try await guarded(request, context) { try await one(request, context) }
        }
        router.get("/api/v1/assignments") { request, context in try await guarded(request, context) { try await export(request, context) } }
        router.get("/api/v1/audit") { request, context in try await guarded(request, context) { try await auditTrail(request, context) } }
        router.get("/api/v1/verify") { request, context in try await guarded(request, context) { try await verify(request, context) } }
        router.get("/api/v1/recruitment") { request, context in try await guarded(request, context) { try await recruitment(request, context) } }
        router.post("/api/v1/pause") { request, context in try await guarded(request, context) { try await pause(request, context, true) } }
        router.post("/api/v1/resume") { request, context in try await guarded(request, context) { try await pause(request, context, false) } }
    }

    // MARK: Answers

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct Problem: Encodable {
        var error: String
        var field: String?
    }

    static func problem(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) -> Response {
        var r = json(status, Problem(error: Redaction.mask(message), field: field))
        if status == .unauthorized { r.headers[.wwwAuthenticate] = "Bearer realm=\"rct\"" }
        return r
    }

    /// Runs a handler, turning a store failure into 503 (its cause on the server's standard error, without
    /// personal data) rather than a dropped connection.
    func guarded(_ request: Request, _ context: ServiceContext, _ body: () async throws -> Response) async throws -> Response {
        do { return try await body() } catch let error as HTTPResponseError { throw error } catch {
            FileHandle.standardError.write(Data("rct serve: \(request.method) \(request.uri.path): \(Redaction.mask("\(error)"))\n".utf8))
            return Self.problem(.serviceUnavailable, "the trial's database could not be used; try again")
        }
    }

    /// Where a request came from, for the audit log: the peer, and what a proxy says in front of it.
    static func remote(_ request: Request, _ context: ServiceContext) -> String {
        guard let forwarded = request.headers[.init("X-Forwarded-For")!] else { return context.peer }
        let clean = forwarded.prefix(100).filter { $0.isASCII && ($0.isHexDigit || ".:, ".contains($0)) }
        return "\(context.peer) (X-Forwarded-For: \(clean))"
    }

    /// The caller, from the bearer token; or the 401 answer (audited).
    func caller(_ request: Request, _ context: ServiceContext, _ action: String) async throws -> Result<ServiceUser, Rejection> {
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
        if !token.isEmpty, let user = try await Accounts.user(token: token, in: service.store) { return .success(user) }
        try await service.audit("anonymous", action, remote: Self.remote(request, context),
                                outcome: token.isEmpty ? "401 no token" : "401 invalid token")
        return .failure(Rejection(response: Self.problem(.unauthorized,
            token.isEmpty ? "this call needs Authorization: Bearer TOKEN (rct users token NAME)" : "the token is not valid (revoked, or its user disabled)")))
    }

    struct Rejection: Error { var response: Response }

    /// 403, audited.
    func forbid(_ user: ServiceUser, _ action: String, target: String? = nil, _ request: Request, _ context: ServiceContext,
                _ message: String) async throws -> Response {
        try await service.audit(user.name, action, target: target, remote: Self.remote(request, context), outcome: "403 \(message)")
        return Self.problem(.forbidden, message)
    }

    // MARK: Routes

    func health() async -> Response {
        do {
            _ = try await service.store.trial()
            return Self.json(.ok, ["status": "ok"])
        } catch {
            return Self.json(.serviceUnavailable, ["status": "the trial's database cannot be reached"])
        }
    }

    func enrol(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser
        switch try await caller(request, context, "enrol") {
        case let .failure(r): return r.response
        case let .success(u): user = u
        }
        let remote = Self.remote(request, context)
        guard user.role == .enroller else {
            return try await forbid(user, "enrol", request, context, "a \(user.role.rawValue) does not enrol families; enrollers do, each for their site")
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: ServiceLimits.maximumBody) } catch {
            try await service.audit(user.name, "enrol", remote: remote, outcome: "413 body too large")
            return Self.problem(.contentTooLarge, "the request body is larger than \(ServiceLimits.maximumBody / 1024) KiB")
        }
        let parsed: (familyID: String, site: String, fields: [String: String])
        switch EnrolmentRequest.parse(Data(buffer: body), needsSite: service.file.design.siteColumn != nil, defaultSite: user.site) {
        case let .failure(p):
            try await service.audit(user.name, "enrol", remote: remote, outcome: "422 \(p.field)")
            return Self.problem(.unprocessableContent, "\(p.field): \(p.message)", field: p.field)
        case let .success(v): parsed = v
        }
        let outcome = try await desk.enrol(user: user, familyID: parsed.familyID, site: parsed.site, fields: parsed.fields)
        let target = outcomeTarget(outcome) ?? parsed.familyID
        switch outcome {
        case let .allocated(a):
            try await service.audit(user.name, "enrol", target: target, remote: remote, outcome: "201 allocated, record \(a.recordHash?.prefix(12) ?? "")")
            return Self.json(.created, a)
        case let .excluded(a):
            try await service.audit(user.name, "enrol", target: target, remote: remote, outcome: "200 not eligible")
            return Self.json(.ok, a)
        case let .repeated(a):
            try await service.audit(user.name, "enrol", target: target, remote: remote, outcome: "200 enrolled before: first answer given again")
            return Self.json(.ok, a)
        case let .invalid(field, message):
            try await service.audit(user.name, "enrol", target: target, remote: remote, outcome: "422 \(field)")
            return Self.problem(.unprocessableContent, "\(field): \(message)", field: field)
        case let .forbidden(message):
            return try await forbid(user, "enrol", target: target, request, context, message)
        case let .unavailable(message):
            try await service.audit(user.name, "enrol", target: target, remote: remote, outcome: "409 \(message)")
            return Self.problem(.conflict, message)
        case let .keyRefused(refusal):
            FileHandle.standardError.write(Data("\(Redaction.mask(refusal.logLine))\n".utf8))
            try await service.audit(user.name, "enrol", target: target, remote: remote, outcome: "503 pseudonymisation key not in force")
            return Self.problem(.serviceUnavailable, refusal.answer)
        }
    }

    func outcomeTarget(_ o: EnrolmentDesk.Outcome) -> String? {
        switch o {
        case let .allocated(a), let .excluded(a), let .repeated(a): return a.familyID
        default: return nil
        }
    }

    struct EnrolmentList: Encodable {
        var enrolments: [EnrolmentDesk.Answer]
    }

    func list(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser
        switch try await caller(request, context, "list enrolments") {
        case let .failure(r): return r.response
        case let .success(u): user = u
        }
        let asked = request.uri.queryParameters["site"].map { TrialService.clean(String($0), 100) }
        var site: String?
        switch user.role {
        case .enroller:
            if let asked, asked != user.site {
                return try await forbid(user, "list enrolments", target: asked, request, context, "\(user.name) sees the enrolments of \(user.site ?? "no site") only")
            }
            site = user.site
        case .manager, .statistician: site = asked
        case .auditor:
            return try await forbid(user, "list enrolments", request, context, "an auditor reads the audit trail, not the enrolments")
        }
        var answers = try await desk.list(site: site)
        if user.role == .enroller { answers = answers.map(\.concealed) }
        try await service.audit(user.name, "list enrolments", target: site ?? "all sites", remote: Self.remote(request, context),
                                outcome: "200 \(answers.count) families")
        return Self.json(.ok, EnrolmentList(enrolments: answers))
    }

    func one(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser
        switch try await caller(request, context, "read enrolment") {
        case let .failure(r): return r.response
        case let .success(u): user = u
        }
        let id = String((context.parameters.get("family_id") ?? "").prefix(200))
        if user.role == .auditor {
            return try await forbid(user, "read enrolment", target: id, request, context, "an auditor reads the audit trail, not the enrolments")
        }
        let remote = Self.remote(request, context)
        guard TrialService.isPlain(id), let answer = try await desk.firstAnswer(unit: id) else {
            try await service.audit(user.name, "read enrolment", target: id, remote: remote, outcome: "404")
            return Self.problem(.notFound, "no family \(id) was enrolled")
        }
        if user.role == .enroller {
            guard answer.site == nil || answer.site == user.site else {
                return try await forbid(user, "read enrolment", target: id, request, context, "family \(id) was enrolled at another site")
            }
        }
        try await service.audit(user.name, "read enrolment", target: id, remote: remote, outcome: "200")
        return Self.json(.ok, user.role == .enroller ? answer.concealed : answer)
    }

    func export(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser
        switch try await caller(request, context, "export assignments") {
        case let .failure(r): return r.response
        case let .success(u): user = u
        }
        guard user.role == .statistician else {
            return try await forbid(user, "export assignments", request, context, "only a statistician exports the assignment record")
        }
        let export = try await AssignmentExport.make(service.store)
        try await service.audit(user.name, "export assignments", remote: Self.remote(request, context),
                                outcome: "200 \(export.records.count) records, head \(export.trial.headHash.prefix(12))")
        return Self.json(.ok, export)
    }

    struct AuditPage: Encodable {
        struct Entry: Encodable {
            var seq: Int
            var at: String
            var actor: String
            var action: String
            var target: String?
            var remote: String?
            var outcome: String
            var prevHash: String
            var hash: String
            enum CodingKeys: String, CodingKey { case seq, at, actor, action, target, remote, outcome, prevHash = "prev_hash", hash }
        }
        var entries: [Entry]
    }

    func auditTrail(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser
        switch try await caller(request, context, "read audit log") {
        case let .failure(r): return r.response
        case let .success(u): user = u
        }
        guard user.role == .auditor else {
            return try await forbid(user, "read audit log", request, context, "only an auditor reads the audit trail")
        }
        let after = request.uri.queryParameters["after"].flatMap { Int($0) }.map { max(0, $0) } ?? 0
        let limit = request.uri.queryParameters["limit"].flatMap { Int($0) }.map { min(max(1, $0), 1000) } ?? 1000
        let entries = try await service.store.auditEntries(after: after, limit: limit)
        try await service.audit(user.name, "read audit log", remote: Self.remote(request, context), outcome: "200 \(entries.count) entries")
        return Self.json(.ok, AuditPage(entries: entries.map {
            .init(seq: $0.seq, at: $0.at, actor: $0.event.actor, action: $0.event.action, target: $0.event.target,
                  remote: $0.event.remote, outcome: $0.event.outcome, prevHash: $0.previousHash, hash: $0.hash)
        }))
    }

    struct VerifyAnswer: Encodable {
        var intact: Bool
        var records: Int
        var headHash: String
        var auditEntries: Int
        var problems: [String]
        enum CodingKeys: String, CodingKey { case intact, records, headHash = "head_hash", auditEntries = "audit_entries", problems }
    }

    func verify(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser
        switch try await caller(request, context, "verify") {
        case let .failure(r): return r.response
        case let .success(u): user = u
        }
        guard user.role == .auditor else {
            return try await forbid(user, "verify", request, context, "only an auditor runs the chain check")
        }
        let outcome = try await Verification.run(store: service.store, design: service.file, expectedHead: nil)
        let audit = try await service.store.verifyAudit()
        let problems = outcome.problems + audit.problems
        try await service.audit(user.name, "verify", remote: Self.remote(request, context),
                                outcome: problems.isEmpty ? "200 intact" : "200 \(problems.count) problems")
        return Self.json(.ok, VerifyAnswer(intact: problems.isEmpty, records: outcome.report.records, headHash: outcome.report.headHash,
                                           auditEntries: audit.entries, problems: problems))
    }

    func recruitment(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser
        switch try await caller(request, context, "read recruitment") {
        case let .failure(r): return r.response
        case let .success(u): user = u
        }
        guard user.role == .manager else {
            return try await forbid(user, "read recruitment", request, context, "only a manager reads the recruitment dashboard")
        }
        let summary = try await Recruitment.make(service)
        try await service.audit(user.name, "read recruitment", remote: Self.remote(request, context), outcome: "200")
        return Self.json(.ok, summary)
    }

    func pause(_ request: Request, _ context: ServiceContext, _ paused: Bool) async throws -> Response {
        let action = paused ? "pause enrolment" : "resume enrolment"
        let user: ServiceUser
        switch try await caller(request, context, action) {
        case let .failure(r): return r.response
        case let .success(u): user = u
        }
        guard user.role == .manager else { return try await forbid(user, action, request, context, "only a manager pauses or resumes enrolment") }
        let body = (try? await request.body.collect(upTo: ServiceLimits.maximumBody)).map { Data(buffer: $0) } ?? Data()
        let reason = ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["reason"] as? String
        try await service.store.setPause(paused, actor: user.name, reason: reason.map { TrialService.clean($0, 200) })
        try await service.audit(user.name, action, remote: Self.remote(request, context), outcome: "200")
        return Self.json(.ok, ["paused": paused])
    }
}

/// The body of `POST /api/v1/enrolments`: `{"family_id": "...", "site": "...", "fields": {"COLUMN": "VALUE"}}`.
enum EnrolmentRequest {
    static func parse(_ data: Data, needsSite: Bool, defaultSite: String?) -> Result<(familyID: String, site: String, fields: [String: String]), EnrolmentForm.Problem> {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .failure(.init(field: "body", message: "is not a JSON object {\"family_id\": …, \"site\": …, \"fields\": {…}}"))
        }
        for key in object.keys.sorted() where !["family_id", "site", "fields"].contains(key) {
            return .failure(.init(field: String(key.prefix(40)), message: "is not a member of an enrolment; the members are family_id, site and fields"))
        }
        guard let id = object["family_id"] else { return .failure(.init(field: "family_id", message: "is missing")) }
        guard let familyID = id as? String, !familyID.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .failure(.init(field: "family_id", message: "must be a non-empty string"))
        }
        guard familyID.count <= EnrolmentForm.maximumLength else {
            return .failure(.init(field: "family_id", message: "is longer than \(EnrolmentForm.maximumLength) characters"))
        }
        var site = defaultSite ?? ""
        if let s = object["site"] {
            guard let text = s as? String, !text.isEmpty, text.count <= 100 else { return .failure(.init(field: "site", message: "must be a site id")) }
            site = text
        } else if needsSite {
            return .failure(.init(field: "site", message: "is missing"))
        }
        guard let rawFields = object["fields"] as? [String: Any] else {
            return .failure(.init(field: "fields", message: object["fields"] == nil ? "is missing" : "must be an object of column: value"))
        }
        var fields: [String: String] = [:]
        for (key, value) in rawFields {
            guard let text = value as? String else {
                return .failure(.init(field: String(key.prefix(40)), message: "must be a string (write numbers and dates as text)"))
            }
            fields[key] = text
        }
        return .success((familyID, site, fields))
    }
}
