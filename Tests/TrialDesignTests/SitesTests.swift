import Foundation
import Testing
import TestSupport
@testable import TrialDesign

/// `sites:` (the places that enrol, for the central service), `trial.site_column` and
/// `randomisation.stratify_by_site`.
@Suite struct SitesTests {
    static func design(_ sites: String, randomisation extra: String = "", trial: String = "") throws -> Design {
        let text = try Fixtures.contents("fixtures/designs/minimal.yaml")
            .replacingOccurrences(of: "  title: Minimal two-arm trial\n", with: "  title: Minimal two-arm trial\n" + trial)
            .replacingOccurrences(of: "  seed: 1\n", with: "  seed: 1\n" + extra)
            + sites
        return try Design.parse(yaml: text)
    }

    static let three = "sites:\n  - { id: noord, label: Noord }\n  - { id: zuid }\n  - { id: centrum, label: Centrum }\n"

    @Test func theSiteIsAStratumUnlessTheDesignSaysOtherwise() throws {
        let d = try Self.design(Self.three)
        #expect(d.sites.map(\.id) == ["noord", "zuid", "centrum"])
        #expect(d.sites[1].label == "zuid")
        #expect(d.siteColumn == "site")
        #expect(d.strata == [Stratum(column: "site", levels: ["noord", "zuid", "centrum"])])
        let unstratified = try Self.design(Self.three, randomisation: "  stratify_by_site: false\n")
        #expect(unstratified.strata.isEmpty)
        #expect(unstratified.siteColumn == "site")
        let renamed = try Self.design(Self.three, trial: "  site_column: locatie\n")
        #expect(renamed.strata.map(\.column) == ["locatie"])
    }

    @Test func withoutSitesNothingChanges() throws {
        let d = try Self.design("")
        #expect(d.sites.isEmpty && d.siteColumn == nil && d.strata.isEmpty)
        let mission = try Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
        #expect(mission.strata.map(\.column) == ["deprivation_band"])
    }

    @Test func siteIdsAreValidatedLikeEveryId() throws {
        let error = try #require(throws: DesignError.self) {
            try Self.design("sites:\n  - { id: noord }\n  - { id: noord }\n  - { id: \"3 zuid\" }\n")
        }
        #expect(error.issues.contains { $0.path == "sites[1].id" && $0.message.contains("used twice") })
        #expect(error.issues.contains { $0.path == "sites[2].id" && $0.message.contains("not a valid id") })
        let typo = try #require(throws: DesignError.self) { try Self.design("sites:\n  - { id: noord, lable: Noord }\n") }
        #expect(typo.issues.first?.message.contains("did you mean \"label\"") == true)
    }
}
