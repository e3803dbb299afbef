import Foundation
import Hummingbird
import TrialStore
import Workflow

/// The web pages (server-rendered, no JavaScript): log in, the enrolment form generated from the design,
/// the allocation with a printable receipt, the site's own list, the manager's dashboard. Sessions in
/// `Secure; HttpOnly; SameSite=Strict` cookies, a CSRF token on every form, failed logins slowed down and
/// locked. Every page that reads or changes trial data is audited like the API.
struct WebRoutes: Sendable {
    let service: TrialService
    let throttle: LoginThrottle
    var sessions: Sessions { Sessions(service: service) }
    var desk: EnrolmentDesk { EnrolmentDesk(service: service) }

    func add(to router: Router<ServiceContext>) {
        router.get("/") { request, _ in try await home(request) }
        router.get("/language") { request, _ in language(request) }
        router.get("/login") { request, _ in loginPage(request, error: nil) }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
        router.get("/enrol") { request, context in try await enrolPage(request, context) }
        router.post("/enrol") { request, context in try await enrol(request, context) }
        router.get("/enrolments") { request, context in try await list(request, context) }
        router.get("/dashboard") { request, context in try await dashboard(request, context) }
        router.post("/dashboard/pause") { request, context in try await pause(request, context, true) }
        router.post("/dashboard/resume") { request, context in try await pause(request, context, false) }
    }

    // MARK: Rendering

    static func html(_ status: HTTPResponse.Status, _ text: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        for c in cookies { headers.append(.init(name: .setCookie, value: c)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ to: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: to]
        for c in cookies { headers.append(.init(name: .setCookie, value: c)) }
        return Response(status: .seeOther, headers: headers)
    }

    func context(_ request: Request, _ user: ServiceUser?, _ session: ServiceSession?, title: String) -> [String: Any] {
        let lang = Language.of(request)
        var c: [String: Any] = ["lang": lang.rawValue, "t": lang.labels, "title": title, "trial": service.file.design.trial.title]
        if let user, let session {
            c["user"] = ["name": user.name, "site": siteLabel(user.site) as Any, "csrf": session.csrfToken,
                         "isEnroller": user.role == .enroller, "isManager": user.role == .manager]
            c["csrf"] = session.csrfToken
        }
        return c
    }

    func siteLabel(_ id: String?) -> String? {
        guard let id else { return nil }
        return service.file.design.sites.first { $0.id == id }?.label ?? id
    }

    func page(_ status: HTTPResponse.Status = .ok, _ request: Request, _ template: String, _ user: ServiceUser?, _ session: ServiceSession?,
              title: String, _ values: [String: Any], cookies: [String] = []) -> Response {
        var c = context(request, user, session, title: title)
        c.merge(values) { _, new in new }
        return Self.html(status, Templates.render(template, c), cookies: cookies)
    }

    func message(_ status: HTTPResponse.Status, _ request: Request, _ user: ServiceUser?, _ session: ServiceSession?,
                 heading: String, _ text: String) -> Response {
        page(status, request, "message", user, session, title: heading, ["heading": heading, "message": Redaction.mask(text)])
    }

    /// The form fields of a POST (at most `ServiceLimits.maximumBody`), or nil when too large.
    func form(_ request: Request) async -> [String: String]? {
        guard let body = try? await request.body.collect(upTo: ServiceLimits.maximumBody) else { return nil }
        return FormBody.parse(String(buffer: body))
    }

    /// The signed-in user, or the answer for a visitor without a session (GET: to the login page).
    func signedIn(_ request: Request) async throws -> Result<(ServiceUser, ServiceSession), Rejection> {
        if let s = try await sessions.current(request) { return .success(s) }
        if request.method == .get { return .failure(Rejection(response: Self.redirect("/login"))) }
        let lang = Language.of(request)
        return .failure(Rejection(response: message(.forbidden, request, nil, nil, heading: lang("login"), lang("session_expired"))))
    }

    struct Rejection: Error { var response: Response }

    /// A POST's form with a valid CSRF token of the session, or the 403 answer (audited).
    func checkedForm(_ request: Request, _ context: ServiceContext, _ user: ServiceUser, _ session: ServiceSession,
                     action: String) async throws -> Result<[String: String], Rejection> {
        guard let values = await form(request) else {
            try await service.audit(user.name, action, remote: APIRoutes.remote(request, context), outcome: "413 form too large")
            return .failure(Rejection(response: message(.contentTooLarge, request, user, session, heading: "413", "the form is too large")))
        }
        guard let token = values["csrf"], Sessions.same(token, session.csrfToken) else {
            try await service.audit(user.name, action, remote: APIRoutes.remote(request, context), outcome: "403 missing or wrong CSRF token")
            let lang = Language.of(request)
            return .failure(Rejection(response: message(.forbidden, request, user, session, heading: lang("forbidden"), lang("session_expired"))))
        }
        return .success(values)
    }

    // MARK: Pages

    func home(_ request: Request) async throws -> Response {
        guard let (user, _) = try await sessions.current(request) else { return Self.redirect("/login") }
        switch user.role {
        case .enroller: return Self.redirect("/enrol")
        case .manager: return Self.redirect("/dashboard")
        case .statistician, .auditor: return Self.redirect("/enrolments")
        }
    }

    func language(_ request: Request) -> Response {
        let to = Language(rawValue: request.uri.queryParameters["to"].map(String.init) ?? "") ?? .nl
        return Self.redirect("/", cookies: [sessions.cookie("rct_lang", to.rawValue, maxAge: 365 * 24 * 3600)])
    }

    func loginPage(_ request: Request, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let token = Accounts.randomSecret()
        var values: [String: Any] = ["loginToken": token]
        if let error { values["error"] = error }
        return page(status, request, "login", nil, nil, title: Language.of(request)("login"), values,
                    cookies: [sessions.cookie(Sessions.loginCookie, token, maxAge: 3600)])
    }

    func login(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let lang = Language.of(request)
        let remote = APIRoutes.remote(request, context)
        guard let values = await form(request) else { return loginPage(request, error: lang("login_failed"), status: .contentTooLarge) }
        let name = String((values["name"] ?? "").prefix(64))
        guard let token = values["csrf"], let cookie = Cookies(request)[Sessions.loginCookie], Sessions.same(token, cookie) else {
            try await service.audit(Accounts.isValidName(name) ? name : "anonymous", "login", remote: remote, outcome: "403 missing or wrong CSRF token")
            return loginPage(request, error: lang("session_expired"), status: .forbidden)
        }
        try await Task.sleep(for: await throttle.delay(for: context.peer))
        switch try await Accounts.login(service.store, name: name, password: values["password"] ?? "") {
        case let .success(user):
            await throttle.succeeded(context.peer)
            try await service.audit(user.name, "login", remote: remote, outcome: "303 signed in")
            return Self.redirect("/", cookies: [try await sessions.start(user), sessions.cookie(Sessions.loginCookie, "", maxAge: 0)])
        case .refused:
            await throttle.failed(context.peer)
            try await service.audit(Accounts.isValidName(name) ? name : "anonymous", "login", remote: remote, outcome: "401 refused")
            return loginPage(request, error: lang("login_failed"), status: .unauthorized)
        case let .locked(until):
            await throttle.failed(context.peer)
            try await service.audit(name, "login", remote: remote, outcome: "423 locked until \(until)")
            return loginPage(request, error: "\(lang("login_locked")) \(until)", status: .tooManyRequests)
        }
    }

    func logout(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser, session: ServiceSession
        switch try await signedIn(request) { case let .failure(r): return r.response; case let .success((u, s)): (user, session) = (u, s) }
        if case let .failure(r) = try await checkedForm(request, context, user, session, action: "logout") { return r.response }
        try await service.audit(user.name, "logout", remote: APIRoutes.remote(request, context), outcome: "303")
        return Self.redirect("/login", cookies: [try await sessions.end(session)])
    }

    /// The form's fields as the template shows them, with the values to show again (never a national number).
    func formFields(_ lang: Language, values: [String: String]) -> [[String: Any]] {
        service.form.fields.map { f -> [String: Any] in
            var d: [String: Any] = ["column": f.column, "label": f.column == service.form.idColumn ? lang("family_id") : f.column.replacingOccurrences(of: "_", with: " "),
                                    "purpose": Self.purpose(f.purpose, lang), "required": f.required]
            let value = values[f.column] ?? ""
            switch f.kind {
            case .text: d["isText"] = true; d["value"] = value
            case .nationalNumber: d["isSecret"] = true
            case .date: d["isDate"] = true; d["value"] = value
            case .number: d["isNumber"] = true; d["value"] = value
            case let .flag(on, _): d["isFlag"] = true; d["on"] = on; d["checked"] = value == on; d["required"] = false
            case let .choice(levels):
                d["isChoice"] = true
                d["options"] = levels.map { ["value": $0, "label": $0, "selected": $0 == value] }
            case let .open(allowed):
                d["isChoice"] = true
                d["options"] = allowed.map { ["value": $0, "label": $0 == "yes" ? lang("yes") : $0, "selected": $0 == value] }
                    + [["value": "other", "label": lang("other"), "selected": value == "other"]]
            }
            return d
        }
    }

    static func purpose(_ text: String, _ lang: Language) -> String {
        guard lang == .nl else { return text }
        return text.replacingOccurrences(of: "national number (pseudonymised at once)", with: "rijksregisternummer (meteen gepseudonimiseerd)")
            .replacingOccurrences(of: "identifier", with: "identificatie").replacingOccurrences(of: "eligibility", with: "inclusiecriterium")
            .replacingOccurrences(of: "minimisation factor", with: "minimisatiefactor").replacingOccurrences(of: "covariate", with: "covariaat")
    }

    func enrolPage(_ request: Request, _ context: ServiceContext, values: [String: String] = [:], error: String? = nil,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let user: ServiceUser, session: ServiceSession
        switch try await signedIn(request) { case let .failure(r): return r.response; case let .success((u, s)): (user, session) = (u, s) }
        let lang = Language.of(request)
        guard user.role == .enroller else {
            return message(.forbidden, request, user, session, heading: lang("forbidden"), "a \(user.role.rawValue) does not enrol families")
        }
        var v: [String: Any] = ["fields": formFields(lang, values: values), "siteLabel": siteLabel(user.site) ?? "–"]
        if let error { v["error"] = Redaction.mask(error) }
        return page(status, request, "enrol", user, session, title: lang("enrol"), v)
    }

    func enrol(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser, session: ServiceSession
        switch try await signedIn(request) { case let .failure(r): return r.response; case let .success((u, s)): (user, session) = (u, s) }
        let values: [String: String]
        switch try await checkedForm(request, context, user, session, action: "enrol") {
        case let .failure(r): return r.response
        case let .success(v): values = v
        }
        let lang = Language.of(request)
        let remote = APIRoutes.remote(request, context)
        guard user.role == .enroller, let site = user.site ?? (service.file.design.sites.isEmpty ? "" : nil) else {
            try await service.audit(user.name, "enrol", remote: remote, outcome: "403 not an enroller")
            return message(.forbidden, request, user, session, heading: lang("forbidden"), "a \(user.role.rawValue) does not enrol families")
        }
        var fields: [String: String] = [:]
        for f in service.form.fields where f.column != service.form.idColumn {
            let value = (values[f.column] ?? "").trimmingCharacters(in: .whitespaces)
            if case let .flag(_, off) = f.kind { fields[f.column] = value.isEmpty ? off : value; continue }
            if !value.isEmpty { fields[f.column] = value }
        }
        let familyID = values[service.form.idColumn] ?? ""
        let outcome = try await desk.enrol(user: user, familyID: familyID, site: site, fields: fields)
        let shown = values.filter { key, _ in !service.form.fields.contains { $0.column == key && $0.kind == .nationalNumber } }
        switch outcome {
        case let .invalid(field, text):
            try await service.audit(user.name, "enrol", target: familyID, remote: remote, outcome: "422 \(field)")
            return try await enrolPage(request, context, values: shown, error: "\(field): \(text)", status: .unprocessableContent)
        case let .forbidden(text):
            try await service.audit(user.name, "enrol", target: familyID, remote: remote, outcome: "403 \(text)")
            return message(.forbidden, request, user, session, heading: lang("forbidden"), text)
        case let .unavailable(text):
            try await service.audit(user.name, "enrol", target: familyID, remote: remote, outcome: "409 \(text)")
            return message(.conflict, request, user, session, heading: lang("unavailable"), text)
        case let .keyRefused(refusal):
            FileHandle.standardError.write(Data("\(Redaction.mask(refusal.logLine))\n".utf8))
            try await service.audit(user.name, "enrol", target: familyID, remote: remote, outcome: "503 pseudonymisation key not in force")
            return message(.serviceUnavailable, request, user, session, heading: lang("unavailable"), refusal.answer)
        case let .allocated(a), let .excluded(a), let .repeated(a):
            var repeated = false
            if case .repeated = outcome { repeated = true }
            let status: HTTPResponse.Status = { if case .allocated = outcome { return .created }; return .ok }()
            try await service.audit(user.name, "enrol", target: a.familyID, remote: remote,
                                    outcome: "\(status.code) " + (repeated ? "enrolled before: first answer given again" : a.eligible ? "allocated" : "not eligible"))
            let armLabel = service.file.design.arms.first { $0.id == a.arm }?.label ?? a.arm ?? ""
            return page(status, request, "result", user, session, title: lang("allocation"), [
                "allocated": a.arm != nil, "repeated": repeated, "arm": a.arm ?? "", "armLabel": armLabel,
                "reason": a.reason ?? "", "familyID": a.familyID, "siteLabel": siteLabel(a.site) ?? "–",
                "date": a.assignedOn ?? service.today().description, "probability": a.probability.map { String($0) } ?? "",
                "caseManager": a.caseManager as Any, "hashPrefix": String((a.recordHash ?? "").prefix(16)),
            ])
        }
    }

    func list(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser, session: ServiceSession
        switch try await signedIn(request) { case let .failure(r): return r.response; case let .success((u, s)): (user, session) = (u, s) }
        let lang = Language.of(request)
        let remote = APIRoutes.remote(request, context)
        guard user.role != .auditor else {
            try await service.audit(user.name, "list enrolments", remote: remote, outcome: "403 auditor")
            return message(.forbidden, request, user, session, heading: lang("forbidden"), "an auditor reads the audit trail, not the enrolments")
        }
        let site = user.role == .enroller ? user.site : nil
        let answers = try await desk.list(site: site)
        try await service.audit(user.name, "list enrolments", target: site ?? "all sites", remote: remote, outcome: "200 \(answers.count) families")
        let showArms = user.role != .enroller
        let rows: [[String: Any]] = answers.map { a in
            ["familyID": a.familyID, "site": siteLabel(a.site) ?? "–", "date": a.assignedOn ?? "", "eligible": a.eligible ? lang("yes") : "–",
             "arm": showArms ? (a.arm ?? "") : "", "hash": String((a.recordHash ?? "").prefix(12)), "showArms": showArms]
        }
        return page(.ok, request, "list", user, session, title: lang("list"),
                    ["heading": site == nil ? lang("list") : "\(lang("list_site")): \(siteLabel(site) ?? "")", "rows": rows,
                     "hasRows": !rows.isEmpty, "showArms": showArms])
    }

    func dashboard(_ request: Request, _ context: ServiceContext) async throws -> Response {
        let user: ServiceUser, session: ServiceSession
        switch try await signedIn(request) { case let .failure(r): return r.response; case let .success((u, s)): (user, session) = (u, s) }
        let lang = Language.of(request)
        let remote = APIRoutes.remote(request, context)
        guard user.role == .manager else {
            try await service.audit(user.name, "read recruitment", remote: remote, outcome: "403 not a manager")
            return message(.forbidden, request, user, session, heading: lang("forbidden"), "only a manager reads the dashboard")
        }
        let summary = try await Recruitment.make(service)
        let records = try await service.store.assignmentRecords()
        let design = service.file.design
        let sites: [(String, String)] = design.sites.isEmpty ? [("all", service.file.design.trial.id)] : design.sites.map { ($0.id, $0.label) }
        let plot = RecruitmentPlot.svg(records: records, sites: sites, arms: summary.arms,
                                       site: { r in design.siteColumn.flatMap { r.attributes[$0] } }, caption: "\(lang("recruitment")): \(lang("cumulative"))")
        try await service.audit(user.name, "read recruitment", remote: remote, outcome: "200")
        return page(.ok, request, "dashboard", user, session, title: lang("dashboard"), [
            "plot": plot, "arms": summary.arms, "paused": summary.paused, "pauseReason": summary.pauseReason as Any,
            "pausedBy": summary.pausedBy as Any, "capacityArm": summary.capacityArm as Any, "placesLeft": summary.placesLeft as Any,
            "sites": summary.sites.map { s in ["label": s.label, "screened": s.screened, "excluded": s.excluded,
                                               "counts": summary.arms.map { s.byArm[$0] ?? 0 }] as [String: Any] },
        ])
    }

    func pause(_ request: Request, _ context: ServiceContext, _ paused: Bool) async throws -> Response {
        let action = paused ? "pause enrolment" : "resume enrolment"
        let user: ServiceUser, session: ServiceSession
        switch try await signedIn(request) { case let .failure(r): return r.response; case let .success((u, s)): (user, session) = (u, s) }
        let values: [String: String]
        switch try await checkedForm(request, context, user, session, action: action) {
        case let .failure(r): return r.response
        case let .success(v): values = v
        }
        guard user.role == .manager else {
            try await service.audit(user.name, action, remote: APIRoutes.remote(request, context), outcome: "403 not a manager")
            return message(.forbidden, request, user, session, heading: Language.of(request)("forbidden"), "only a manager pauses enrolment")
        }
        let reason = values["reason"].map { TrialService.clean($0, 200) }.flatMap { $0.isEmpty ? nil : $0 }
        try await service.store.setPause(paused, actor: user.name, reason: reason)
        try await service.audit(user.name, action, remote: APIRoutes.remote(request, context), outcome: "303")
        return Self.redirect("/dashboard")
    }
}
