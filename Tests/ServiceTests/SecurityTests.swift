import Foundation
import TestSupport
import Testing

/// Attacks on the running service: every route without credentials, another site's token, forms without
/// a CSRF token, SQL metacharacters and 3 MB strings in every field, and schemathesis against the OpenAPI
/// document. The server must answer each with a 4xx it documents, never a 5xx, and stay intact.
@Suite(.serialized) struct SecurityTests {
    static let sql = "x' OR '1'='1'; DROP TABLE assignments; --"
    static let huge = String(repeating: "A", count: 3 * 1024 * 1024)

    @Test("pages without a session, forms without a CSRF token, another site's token", arguments: ServedTrial.Backend.available)
    func withoutCredentials(_ backend: ServedTrial.Backend) async throws {
        let trial = try await ServedTrial(backend, label: "sec-routes")
        defer { trial.stop() }
        for path in ["/enrol", "/enrolments", "/dashboard", "/"] {
            let r = try await TestHTTP.send("GET", trial.url(path))
            #expect(r.status == 303 && r.header("Location") == "/login", "GET \(path)")
        }
        for path in ["/enrol", "/logout", "/dashboard/pause", "/dashboard/resume"] {
            #expect(try await TestHTTP.send("POST", trial.url(path), headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                            body: "a=b").status == 403, "POST \(path)")
        }
        // Signed in, but without the session's CSRF token.
        let manager = Browser(trial)
        #expect(try await manager.login("manager").status == 303)
        for path in ["/logout", "/dashboard/pause", "/dashboard/resume"] {
            #expect(try await manager.send("POST", path, form: ["reason": "x"]).status == 403, "POST \(path) without CSRF")
        }
        #expect(try await manager.send("GET", "/dashboard").status == 200)
        // A login form without its token, or with another browser's.
        let other = Browser(trial)
        let page = try await other.send("GET", "/login")
        #expect(try await manager.send("POST", "/login", form: ["csrf": Browser.csrf(page.body) ?? "", "name": "manager",
                                                                "password": ServedTrial.password]).status == 403)
        // Another site's token.
        let family = try APITests.eligible(1)[0]
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: try APITests.enrolment(family)).status == 201)
        let id = try ServedTrial.family(family).id
        #expect(try await trial.call("GET", "/api/v1/enrolments/\(id)", as: "enroller2").status == 403)
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller2", body: try APITests.enrolment(family)).status == 403)
        #expect(try await trial.call("GET", "/api/v1/enrolments?site=sociaal_huis", as: "enroller2").status == 403)
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller2",
                                     body: try APITests.enrolment(family + 1, site: "sociaal_huis")).status == 403)
    }

    @Test("SQL metacharacters and 3 MB strings in every field: a 4xx, never a 5xx, and the chain intact",
          arguments: ServedTrial.Backend.available)
    func hostileValues(_ backend: ServedTrial.Backend) async throws {
        let trial = try await ServedTrial(backend, label: "sec-values")
        defer { trial.stop() }
        let index = try APITests.eligible(1)[0]
        let base = try APITests.enrolment(index)
        var statuses: [String: Int] = [:]
        let fieldNames = (base["fields"] as! [String: String]).keys.sorted()
        // A NUL (which SQLite cuts a text at and PostgreSQL refuses) and other control characters.
        for (label, value) in [("sql", Self.sql), ("nul", "F\u{0}1\u{1}\n"), ("3 MB", Self.huge)] {
            for member in ["family_id", "site"] {
                var body = base
                body[member] = value
                statuses["\(label) \(member)"] = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: body).status
            }
            for field in fieldNames + ["unknown_column"] {
                var body = base
                var fields = base["fields"] as! [String: String]
                fields[field] = value
                body["fields"] = fields
                statuses["\(label) fields.\(field)"] = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: body).status
            }
            // (An HTTP header cannot carry control characters: the client refuses to send them.)
            if label != "nul" { statuses["\(label) token"] = try await TestHTTP.send("GET", trial.url("/api/v1/enrolments"),
                                                                 headers: ["Authorization": "Bearer rct_\(value.prefix(60_000))"]).status }
            statuses["\(label) family path"] = try await trial.call("GET", "/api/v1/enrolments/\(value.prefix(2000).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", as: "manager").status
            // The web forms: login and enrolment.
            let browser = Browser(trial)
            let loginPage = try await browser.send("GET", "/login")
            statuses["\(label) login"] = try await browser.send("POST", "/login", form: ["csrf": Browser.csrf(loginPage.body) ?? "", "name": value,
                                                                                          "password": value]).status
            #expect(try await browser.login("enroller1").status == 303)
            let form = try await browser.send("GET", "/enrol")
            for field in fieldNames + ["family_id"] {
                var values = (base["fields"] as! [String: String]).merging(["family_id": base["family_id"] as! String]) { a, _ in a }
                values[field] = value
                values["csrf"] = Browser.csrf(form.body)
                statuses["\(label) form.\(field)"] = try await browser.send("POST", "/enrol", form: values).status
            }
        }
        for (what, status) in statuses.sorted(by: { $0.key < $1.key }) {
            #expect((200..<500).contains(status), "\(what): \(status)")
            if what.hasPrefix("3 MB") { #expect(status == 413 || status == 401 || status == 431 || status == 404, "\(what): \(status)") }
        }
        // A value full of SQL is only ever data: an identifier made of it is a family like any other.
        #expect(statuses["sql family_id"] == 201)
        #expect(statuses["sql fields.deprivation_band"] == 422 && statuses["sql fields.unknown_column"] == 422)
        #expect(statuses["nul family_id"] == 422 && statuses["nul family path"] == 404)
        #expect(try await TestHTTP.send("GET", trial.url("/api/v1/health")).status == 200)
        let verify = try await trial.call("GET", "/api/v1/verify", as: "auditor")
        #expect(verify.json["intact"] as? Bool == true, "\(verify.body)")
        let list = try await trial.call("GET", "/api/v1/enrolments", as: "manager")
        #expect((list.json["enrolments"] as? [[String: Any]])?.contains { $0["family_id"] as? String == Self.sql } == true)
    }

    @Test("schemathesis against /openapi.json, bounded in examples", .enabled(if: ToolPaths.has("schemathesis")))
    func schemathesis() async throws {
        let trial = try await ServedTrial(.sqlite, label: "sec-schemathesis")
        defer { trial.stop() }
        let st = URL(fileURLWithPath: ToolPaths.python!).deletingLastPathComponent().appendingPathComponent("st").path
        var outputs: [String] = []
        // Its caches and reports go to a folder of their own, not the repository.
        let scratch = try Fixtures.temporaryDirectory("schemathesis")
        for user in ["enroller1", "manager", "statistician", "auditor"] {
            let run = try await ToolPaths.run(st, [
                "run", trial.url("/openapi.json"), "--header", "Authorization: Bearer \(trial.tokens[user]!)",
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--max-examples", "15", "--request-timeout", "30", "--workers", "1", "--seed", "2786", "--no-color",
                "--suppress-health-check", "all",
            ], timeout: 600, environment: ["SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"], directory: scratch)
            #expect(run.status == 0, "schemathesis as \(user):\n\(run.output.suffix(6000))")
            outputs.append(run.output)
        }
        #expect(try await TestHTTP.send("GET", trial.url("/api/v1/health")).status == 200)
        let verify = try await trial.call("GET", "/api/v1/verify", as: "auditor")
        #expect(verify.json["intact"] as? Bool == true, "\(verify.body)")
        for n in try ServedTrial.nationalNumbers() { #expect(!trial.server.printed.contains(n)) }
    }

    @Test func schemathesisIsPresentUnderCI() {
        #expect(!ToolPaths.inCI || ToolPaths.has("schemathesis"), "CI must install schemathesis (.ci/run)")
    }
}
