import Foundation
import TestSupport
import Testing

/// The JSON API end to end: `rct serve` started on loopback, users made with `rct users`, families
/// enrolled over HTTP, on SQLite and on PostgreSQL.
@Suite(.serialized) struct APITests {
    /// Indices of cohort families that are eligible under the bundled design.
    static func eligible(_ count: Int, from start: Int = 0) throws -> [Int] {
        var out: [Int] = []
        var i = start
        while out.count < count {
            let f = try ServedTrial.family(i).fields
            let weak = ["weak_income", "weak_education", "weak_stimulation", "weak_employment", "weak_housing", "weak_health"]
                .filter { f[$0] == "1" }.count
            let birth = f["birth_date"] ?? ""
            if f["consent"] == "yes", weak >= 3, birth >= "2017-04-01", birth <= "2019-04-30" { out.append(i) }
            i += 1
        }
        return out
    }

    static func enrolment(_ index: Int, site: String = "sociaal_huis", edit: (inout [String: String]) -> Void = { _ in }) throws -> [String: Any] {
        var (id, fields) = try ServedTrial.family(index)
        edit(&fields)
        return ["family_id": id, "site": site, "fields": fields]
    }

    @Test("enrol, repeat, exclude, refuse: the API's answers and their audit", arguments: ServedTrial.Backend.available)
    func enrolment(_ backend: ServedTrial.Backend) async throws {
        let trial = try await ServedTrial(backend, label: "api")
        defer { trial.stop() }
        #expect(try await TestHTTP.send("GET", trial.url("/api/v1/health")).status == 200)
        let doc = try await TestHTTP.send("GET", trial.url("/openapi.json"))
        #expect(doc.status == 200 && (doc.json["paths"] as? [String: Any])?["/api/v1/enrolments"] != nil)

        let index = try Self.eligible(1)[0]
        let body = try Self.enrolment(index)
        let first = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: body)
        #expect(first.status == 201, "\(first.body)")
        let answer = first.json
        #expect(answer["eligible"] as? Bool == true)
        #expect(["control", "intervention"].contains(answer["arm"] as? String ?? ""))
        #expect(answer["family_id"] as? String == body["family_id"] as? String)
        #expect(answer["site"] as? String == "sociaal_huis")
        #expect((answer["record_hash"] as? String)?.count == 64)
        #expect(answer["probability"] as? Double == 0.5)
        #expect(answer["assigned_on"] is String)

        // The same family again: the first answer, never a second draw.
        let again = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: body)
        #expect(again.status == 200)
        #expect(again.json["arm"] as? String == answer["arm"] as? String)
        #expect(again.json["record_hash"] as? String == answer["record_hash"] as? String)

        // Not eligible: 200 with the reason.
        let refused = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1",
                                           body: try Self.enrolment(index + 1) { $0["consent"] = "no" })
        #expect(refused.status == 200, "\(refused.body)")
        #expect(refused.json["eligible"] as? Bool == false)
        #expect(refused.json["reason"] as? String == "no informed consent")
        #expect(refused.json["arm"] == nil)

        // 422 naming the field.
        let missing = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1",
                                           body: try Self.enrolment(index + 2) { $0["consent"] = nil })
        #expect(missing.status == 422 && missing.json["field"] as? String == "consent", "\(missing.body)")
        let badLevel = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1",
                                            body: try Self.enrolment(index + 2) { $0["deprivation_band"] = "7" })
        #expect(badLevel.status == 422 && badLevel.json["field"] as? String == "deprivation_band")
        let badNumber = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1",
                                             body: try Self.enrolment(index + 2) { $0["insz"] = "12345678901" })
        #expect(badNumber.status == 422 && badNumber.json["field"] as? String == "insz")
        #expect(!badNumber.body.contains("12345678901"))
        let dated = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1",
                                         body: try Self.enrolment(index + 2) { $0["enrolled_on"] = "2018-01-01" })
        #expect(dated.status == 422 && dated.json["field"] as? String == "enrolled_on")
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", raw: "not json").status == 422)
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: ["site": "sociaal_huis", "fields": [:]]).json["field"] as? String == "family_id")

        // 403: another site, another role.
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller2", body: try Self.enrolment(index + 3)).status == 403)
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "manager", body: try Self.enrolment(index + 3)).status == 403)
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "statistician", body: try Self.enrolment(index + 3)).status == 403)
        let familyID = body["family_id"] as! String
        #expect(try await trial.call("GET", "/api/v1/enrolments/\(familyID)", as: "enroller2").status == 403)
        #expect(try await trial.call("GET", "/api/v1/enrolments?site=sociaal_huis", as: "enroller2").status == 403)
        #expect(try await trial.call("GET", "/api/v1/enrolments", as: "auditor").status == 403)
        #expect(try await trial.call("GET", "/api/v1/assignments", as: "manager").status == 403)
        #expect(try await trial.call("GET", "/api/v1/audit", as: "statistician").status == 403)

        // Reading: an enroller sees their own site without arms; a manager sees arms.
        let own = try await trial.call("GET", "/api/v1/enrolments", as: "enroller1")
        let ownList = own.json["enrolments"] as? [[String: Any]] ?? []
        #expect(own.status == 200 && ownList.count == 2 && ownList.allSatisfy { $0["arm"] == nil })
        #expect((try await trial.call("GET", "/api/v1/enrolments", as: "enroller2").json["enrolments"] as? [Any])?.count == 0)
        let single = try await trial.call("GET", "/api/v1/enrolments/\(familyID)", as: "manager")
        #expect(single.status == 200 && single.json["arm"] as? String == answer["arm"] as? String)
        #expect(try await trial.call("GET", "/api/v1/enrolments/NOBODY", as: "manager").status == 404)
        let export = try await trial.call("GET", "/api/v1/assignments", as: "statistician")
        #expect(export.status == 200 && (export.json["records"] as? [Any])?.count == 1)

        // The auditor's chain check, and the command line's, on the same store.
        let verify = try await trial.call("GET", "/api/v1/verify", as: "auditor")
        #expect(verify.status == 200 && verify.json["intact"] as? Bool == true, "\(verify.body)")
        let audit = try await trial.call("GET", "/api/v1/audit", as: "auditor")
        let entries = audit.json["entries"] as? [[String: Any]] ?? []
        #expect(entries.contains { $0["actor"] as? String == "enroller1" && $0["action"] as? String == "enrol" })
        #expect(entries.contains { ($0["outcome"] as? String ?? "").hasPrefix("403") })
        trial.stop()
        let cli = try RCTBinary.run(["verify", trial.design] + trial.database, environment: ServedTrial.environment)
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(cli.stdout.contains("the chain is intact") && cli.stdout.contains("audit log entries"))

        // No national number anywhere: answers, the audit trail, the server's output.
        let everything = [first.body, again.body, refused.body, missing.body, badNumber.body, own.body, single.body, export.body,
                          audit.body, trial.server.printed].joined()
        for n in try ServedTrial.nationalNumbers() { #expect(!everything.contains(n)) }
    }

    @Test("every route answers 401 without a token and with a wrong one", arguments: ServedTrial.Backend.available)
    func unauthenticated(_ backend: ServedTrial.Backend) async throws {
        let trial = try await ServedTrial(backend, label: "api-401")
        defer { trial.stop() }
        let routes = [("POST", "/api/v1/enrolments"), ("GET", "/api/v1/enrolments"), ("GET", "/api/v1/enrolments/F0001"),
                      ("GET", "/api/v1/assignments"), ("GET", "/api/v1/audit"), ("GET", "/api/v1/verify"),
                      ("GET", "/api/v1/recruitment"), ("POST", "/api/v1/pause"), ("POST", "/api/v1/resume")]
        for (method, path) in routes {
            let none = try await TestHTTP.send(method, trial.url(path), body: method == "POST" ? "{}" : nil)
            #expect(none.status == 401, "\(method) \(path)")
            #expect(none.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let wrong = try await TestHTTP.send(method, trial.url(path), headers: ["Authorization": "Bearer rct_forged"],
                                                body: method == "POST" ? "{}" : nil)
            #expect(wrong.status == 401, "\(method) \(path)")
        }
        // A disabled user's token stops working at once.
        #expect(try await trial.call("GET", "/api/v1/enrolments", as: "enroller1").status == 200)
        let r = try RCTBinary.run(["users", "disable", "enroller1", "--design", trial.design] + trial.database)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try await trial.call("GET", "/api/v1/enrolments", as: "enroller1").status == 401)
    }

    @Test("a manager pauses and resumes enrolment; the recruitment figures", arguments: ServedTrial.Backend.available)
    func pause(_ backend: ServedTrial.Backend) async throws {
        let trial = try await ServedTrial(backend, label: "api-pause")
        defer { trial.stop() }
        let family = try Self.eligible(1)[0]
        #expect(try await trial.call("POST", "/api/v1/pause", as: "manager", body: ["reason": "staff training"]).status == 200)
        let paused = try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: try Self.enrolment(family))
        #expect(paused.status == 409 && paused.body.contains("staff training"))
        #expect(try await trial.call("POST", "/api/v1/resume", as: "manager").status == 200)
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: try Self.enrolment(family)).status == 201)
        let figures = try await trial.call("GET", "/api/v1/recruitment", as: "manager")
        #expect(figures.status == 200)
        let sites = figures.json["sites"] as? [[String: Any]] ?? []
        #expect(sites.count == 3)
        #expect((sites.first { $0["site"] as? String == "sociaal_huis" }?["by_arm"] as? [String: Int])?.values.reduce(0, +) == 1)
        #expect(figures.json["places_left"] as? Int == 80 || figures.json["places_left"] as? Int == 79)
    }
}
