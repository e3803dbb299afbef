import Foundation
import TestSupport
import Testing

/// `rct users add|password|token|disable|list` on the bundled design's store, and the audit trail they
/// leave, checked by `rct verify`.
@Suite struct UsersCommandTests {
    @Test func usersAreManagedFromTheCommandLineAndAudited() throws {
        let folder = try Fixtures.missionTrialCopy("users-cli")
        let design = folder.appendingPathComponent("designs/mission-kortrijk.yaml").path
        let env = ["RCT_BCRYPT_COST": "4"]
        // Before the first user there is no store, hence no account at all.
        let empty = try RCTBinary.run(["users", "list", "--design", design], environment: env)
        #expect(empty.status == 1 && empty.stderr.contains("rct init"), "\(empty.stderr)")
        let add = try RCTBinary.run(["users", "add", "an", "--role", "enroller", "--site", "sociaal_huis", "--design", design,
                                     "--password-stdin"], environment: env, stdin: "a long enough password\n")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("created the trial store") && add.stdout.contains("added an: enroller at sociaal_huis"))
        let noSite = try RCTBinary.run(["users", "add", "bo", "--role", "enroller", "--design", design], environment: env)
        #expect(noSite.status == 1 && noSite.stderr.contains("name the site they enrol for with --site SITE"))
        let unknown = try RCTBinary.run(["users", "add", "bo", "--role", "enroller", "--site", "gent", "--design", design], environment: env)
        #expect(unknown.status == 1 && unknown.stderr.contains("declared: sociaal_huis, kind_en_gezin, huis_van_het_kind"))
        let badRole = try RCTBinary.run(["users", "add", "bo", "--role", "admin", "--design", design], environment: env)
        #expect(badRole.status != 0)
        let short = try RCTBinary.run(["users", "add", "bo", "--role", "auditor", "--design", design, "--password-stdin"],
                                      environment: env, stdin: "short\n")
        #expect(short.status == 1 && short.stderr.contains("at least 12 characters"))
        #expect(!short.stderr.contains("short\n"))
        let token = try RCTBinary.run(["users", "token", "an", "--design", design], environment: env)
        #expect(token.status == 0)
        let secret = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("rct_") && secret.count == 47)
        let again = try RCTBinary.run(["users", "token", "an", "--design", design], environment: env)
        #expect(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != secret)
        #expect(try RCTBinary.run(["users", "disable", "an", "--design", design], environment: env).status == 0)
        let list = try RCTBinary.run(["users", "list", "--design", design], environment: env)
        #expect(list.stdout == "an\tenroller\tsociaal_huis\tdisabled\n")
        #expect(try RCTBinary.run(["users", "token", "an", "--design", design], environment: env).status == 1)
        // Neither the password nor a token is in the store; the audit trail holds every change and verifies.
        let store = try Data(contentsOf: folder.appendingPathComponent("designs/mission-kortrijk.sqlite"))
        #expect(store.range(of: Data("a long enough password".utf8)) == nil)
        #expect(store.range(of: Data(secret.utf8)) == nil)
        let verify = try RCTBinary.run(["verify", design], environment: env)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("4 audit log entries, the chain is intact"), "\(verify.stdout)")
    }
}
