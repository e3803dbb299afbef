import Foundation
import TestSupport
import Testing

/// A browser's conversation with the web pages, over plain HTTP with the cookies kept by hand: log in,
/// the form, the allocation and its receipt, the site's list, the dashboard; sessions, CSRF tokens,
/// throttled and locked logins.
final class Browser: @unchecked Sendable {
    let trial: ServedTrial
    var cookies: [String: String] = [:]
    var lastSetCookies: [String] = []

    init(_ trial: ServedTrial) { self.trial = trial }

    func send(_ method: String, _ path: String, form: [String: String]? = nil) async throws -> HTTPAnswer {
        var headers: [String: String] = [:]
        if !cookies.isEmpty { headers["Cookie"] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: String?
        if let form {
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        }
        let answer = try await TestHTTP.send(method, trial.url(path), headers: headers, body: body)
        lastSetCookies = answer.headers("Set-Cookie")
        for c in lastSetCookies {
            let pair = c.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if c.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
        return answer
    }

    /// The value of the first hidden `csrf` input of a page.
    static func csrf(_ html: String) -> String? {
        guard let r = html.range(of: #"name="csrf" value="[^"]*""#, options: .regularExpression) else { return nil }
        return String(html[r].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    func login(_ name: String, _ password: String = ServedTrial.password) async throws -> HTTPAnswer {
        let page = try await send("GET", "/login")
        return try await send("POST", "/login", form: ["csrf": Self.csrf(page.body) ?? "", "name": name, "password": password])
    }
}

@Suite(.serialized) struct WebTests {
    static func formFields(_ index: Int) throws -> (String, [String: String]) {
        var (id, fields) = try ServedTrial.family(index)
        fields["family_id"] = id
        // Unchecked boxes are not sent.
        for (k, v) in fields where k.hasPrefix("weak_") && v == "0" { fields[k] = nil }
        return (id, fields)
    }

    @Test("log in, enrol through the form, read the allocation and the receipt, list, dashboard, pause, log out",
          arguments: ServedTrial.Backend.available)
    func enrolThroughTheForm(_ backend: ServedTrial.Backend) async throws {
        let trial = try await ServedTrial(backend, label: "web")
        defer { trial.stop() }
        let browser = Browser(trial)
        #expect(try await browser.send("GET", "/enrol").header("Location") == "/login")
        let loginPage = try await browser.send("GET", "/login")
        #expect(loginPage.status == 200 && loginPage.body.contains("Aanmelden"))
        #expect(browser.lastSetCookies.allSatisfy { $0.contains("HttpOnly") && $0.contains("SameSite=Strict") && $0.contains("Secure") })
        let signedIn = try await browser.send("POST", "/login", form: ["csrf": Browser.csrf(loginPage.body) ?? "", "name": "enroller1",
                                                                        "password": ServedTrial.password])
        #expect(signedIn.status == 303 && signedIn.header("Location") == "/")
        let session = try #require(browser.lastSetCookies.first { $0.hasPrefix("rct_session=") })
        #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Secure"))

        let form = try await browser.send("GET", "/enrol")
        #expect(form.status == 200)
        for column in ["family_id", "insz", "birth_date", "weak_income", "consent", "deprivation_band"] {
            #expect(form.body.contains("name=\"\(column)\""), "\(column)")
        }
        #expect(!form.body.contains("name=\"enrolled_on\"") && !form.body.contains("name=\"site\""))
        let csrf = try #require(Browser.csrf(form.body))
        let index = try APITests.eligible(1)[0]
        var (id, fields) = try Self.formFields(index)

        // Without a CSRF token, or with a wrong one: refused, nothing enrolled.
        #expect(try await browser.send("POST", "/enrol", form: fields).status == 403)
        fields["csrf"] = "forged"
        #expect(try await browser.send("POST", "/enrol", form: fields).status == 403)
        fields["csrf"] = csrf
        let result = try await browser.send("POST", "/enrol", form: fields)
        #expect(result.status == 201, "\(result.body)")
        #expect(result.body.contains("id=\"arm\"") && result.body.contains("id=\"receipt\"") && result.body.contains(id))
        #expect(result.body.range(of: #"<code>[0-9a-f]{16}</code>"#, options: .regularExpression) != nil)
        let again = try await browser.send("POST", "/enrol", form: fields)
        #expect(again.status == 200 && again.body.contains("eerder ingeschreven"))

        // A missing field: the form again, naming it, without the national number.
        var (_, other) = try Self.formFields(index + 1)
        other["csrf"] = csrf
        other["birth_date"] = nil
        let invalid = try await browser.send("POST", "/enrol", form: other)
        #expect(invalid.status == 422 && invalid.body.contains("birth_date"))
        #expect(!invalid.body.contains(other["insz"]!))

        let list = try await browser.send("GET", "/enrolments")
        #expect(list.status == 200 && list.body.contains(id) && !list.body.contains("<th>Arm</th>"))
        #expect(try await browser.send("GET", "/dashboard").status == 403)

        // The manager's dashboard: the plot, the places left; a pause stops the enroller's form.
        let manager = Browser(trial)
        #expect(try await manager.login("manager").status == 303)
        let dashboard = try await manager.send("GET", "/dashboard")
        #expect(dashboard.status == 200 && dashboard.body.contains("<svg") && dashboard.body.contains("id=\"places-left\""))
        #expect(try await manager.send("POST", "/dashboard/pause", form: ["reason": "x"]).status == 403)
        let paused = try await manager.send("POST", "/dashboard/pause", form: ["csrf": Browser.csrf(dashboard.body) ?? "", "reason": "overleg"])
        #expect(paused.status == 303)
        var (_, third) = try Self.formFields(try APITests.eligible(1, from: index + 1)[0])
        third["csrf"] = csrf
        let refused = try await browser.send("POST", "/enrol", form: third)
        #expect(refused.status == 409 && refused.body.contains("overleg"))

        // Logging out ends the session at once.
        #expect(try await browser.send("POST", "/logout", form: ["csrf": csrf]).status == 303)
        #expect(try await browser.send("GET", "/enrol").header("Location") == "/login")
        for n in try ServedTrial.nationalNumbers() {
            #expect(![form.body, result.body, again.body, invalid.body, list.body, dashboard.body, trial.server.printed].joined().contains(n))
        }
    }

    @Test("ten wrong passwords: refused, slowed down, then locked, and the right password waits too")
    func tenWrongPasswords() async throws {
        let trial = try await ServedTrial(.sqlite, label: "web-lock")
        defer { trial.stop() }
        let browser = Browser(trial)
        let start = Date()
        var statuses: [Int] = []
        for i in 0..<10 { statuses.append(try await browser.login("enroller1", "wrong password \(i)").status) }
        let elapsed = Date().timeIntervalSince(start)
        #expect(statuses.prefix(4).allSatisfy { $0 == 401 }, "\(statuses)")
        #expect(statuses.dropFirst(4).allSatisfy { $0 == 429 }, "\(statuses)")
        #expect(elapsed > 5, "failed logins are slowed down (\(elapsed) s for ten)")
        let right = try await browser.login("enroller1")
        #expect(right.status == 429 && right.body.contains("vergrendeld"))
        #expect(browser.cookies["rct_session"] == nil)
        // The API token of the locked user still works: the lock is on passwords.
        #expect(try await trial.call("GET", "/api/v1/enrolments", as: "enroller1").status == 200)
        let audit = try await trial.call("GET", "/api/v1/audit", as: "auditor")
        let logins = (audit.json["entries"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "login" }
        #expect(logins.count == 11)
    }
}
