import Foundation
import TestSupport
import Testing

/// `rct pull`: the service's assignment record into an analyst's local store, checked record by record.
@Suite(.serialized) struct PullTests {
    @Test("pull copies the record, verifies, appends only what is new, and answers balance as the service's store",
          arguments: ServedTrial.Backend.available)
    func pull(_ backend: ServedTrial.Backend) async throws {
        let trial = try await ServedTrial(backend, label: "pull")
        defer { trial.stop() }
        let families = try APITests.eligible(24)
        for i in families.prefix(16) {
            #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller1", body: try APITests.enrolment(i)).status == 201)
        }
        #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller1",
                                     body: try APITests.enrolment(families[20] + 1) { $0["consent"] = "no" }).json["eligible"] as? Bool == false)
        // The analyst's copy of the trial: the same design, its own store.
        let analyst = try Fixtures.missionTrialCopy("pull-analyst")
        let design = analyst.appendingPathComponent("designs/mission-kortrijk.yaml").path
        let token = try #require(trial.tokens["statistician"])
        let first = try RCTBinary.run(["pull", design, "--from", trial.server.baseURL, "--token", token])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("pulled 16 new assignment records and 17 screenings"), "\(first.stdout)")
        #expect(!first.stdout.contains(token) && !first.stderr.contains(token))
        let verify = try RCTBinary.run(["verify", design])
        #expect(verify.status == 0 && verify.stdout.contains("16 assignment records, the chain is intact"), "\(verify.stdout)\(verify.stderr)")

        for i in families.dropFirst(16).prefix(4) {
            #expect(try await trial.call("POST", "/api/v1/enrolments", as: "enroller2", body: try APITests.enrolment(i, site: "kind_en_gezin")).status == 201)
        }
        let second = try RCTBinary.run(["pull", design, "--from", trial.server.baseURL], environment: ["RCT_TOKEN": token])
        #expect(second.status == 0 && second.stdout.contains("pulled 4 new assignment records and 4 screenings") && second.stdout.contains("(16 already here)"),
                "\(second.stdout)\(second.stderr)")
        // The service's store and the analyst's answer alike.
        let local = try RCTBinary.run(["balance", design])
        trial.stop()
        let served = try RCTBinary.run(["balance", trial.design] + trial.database)
        #expect(local.status == 0 && served.status == 0, "\(local.stderr)\(served.stderr)")
        #expect(local.stdout == served.stdout)
        let served2 = try RCTBinary.run(["verify", trial.design] + trial.database)
        #expect(served2.stdout.contains("20 assignment records, the chain is intact"))
    }

    @Test("pull refuses a token that may not export, and a design that is not the service's")
    func refusals() async throws {
        let trial = try await ServedTrial(.sqlite, label: "pull-refused")
        defer { trial.stop() }
        let analyst = try Fixtures.missionTrialCopy("pull-refused-analyst")
        let design = analyst.appendingPathComponent("designs/mission-kortrijk.yaml").path
        let enroller = try RCTBinary.run(["pull", design, "--from", trial.server.baseURL, "--token", trial.tokens["enroller1"]!])
        #expect(enroller.status == 1 && enroller.stderr.contains("403"), "\(enroller.stderr)")
        let forged = try RCTBinary.run(["pull", design, "--from", trial.server.baseURL, "--token", "rct_forged"])
        #expect(forged.status == 1 && forged.stderr.contains("401"))
        let other = try Fixtures.missionTrialCopy("pull-other") { $0 + "\n# another trial\n" }
        let otherDesign = other.appendingPathComponent("designs/mission-kortrijk.yaml").path
        let wrong = try RCTBinary.run(["pull", otherDesign, "--from", trial.server.baseURL, "--token", trial.tokens["statistician"]!])
        #expect(wrong.status == 1 && wrong.stderr.contains("pull with the design the service runs"), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: other.appendingPathComponent("designs/mission-kortrijk.sqlite").path))
    }
}
