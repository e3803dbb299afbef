import Foundation
import Testing
import TestSupport
@testable import TrialDesign

/// The locked part of a design and the data logistics (issue 21, item 1).
@Suite struct DesignLockTests {
    let text: String
    let lock: DesignLock

    init() throws {
        text = try Fixtures.contents("designs/mission-kortrijk.yaml")
        lock = try DesignLock(yaml: text)
    }

    func edited(_ old: String, _ new: String) throws -> DesignLock {
        #expect(text.contains(old), "the reference design has \(old)")
        return try DesignLock(yaml: text.replacingOccurrences(of: old, with: new))
    }

    @Test func theLockedPartHoldsTheRandomisationAndThePlanNotTheFiles() {
        #expect(lock.entries["arms[intervention].ratio"] == "1")
        #expect(lock.entries["randomisation.seed"] == "20170401")
        #expect(lock.entries["outcomes[leefloon].windows.m6[1]"] == "6")
        #expect(lock.entries["sources[leefloon].kind"] == "ocmw_leefloon")
        #expect(lock.entries["trial.id"] == "mission-kortrijk")
        #expect(!lock.entries.keys.contains { $0.hasPrefix("pseudonymisation") })
        let logistics = lock.entries.keys.filter {
            $0.hasPrefix("sources[") && !($0.hasSuffix(".id") || $0.hasSuffix(".kind") || $0.hasSuffix(".wave"))
        }
        #expect(logistics.isEmpty, "\(logistics.sorted())")
        #expect(lock.entries["trial.link_column"] == nil)
        #expect(lock.entries["eligibility[deprived].count_at_least.columns[0]"] != nil, "eligibility is locked, its columns too")
    }

    @Test func thePresentationMayChangeAtAnyTime() throws {
        // The direction of benefit, the baseline drawn, the subgroups' level labels and the report's language.
        #expect(try edited("better: lower", "better: higher").fingerprint == lock.fingerprint)
        #expect(try edited("language: en", "language: nl").fingerprint == lock.fingerprint)
        #expect(try edited("baseline: leefloon_before", "baseline: leefloon_before_x").fingerprint == lock.fingerprint)
        #expect(!lock.entries.keys.contains { DesignLock.isPresentation($0) })
        // What is estimated stays locked, and a key that merely starts like a presentation key too.
        #expect(DesignLock.isPresentation("outcomes[leefloon].better"))
        #expect(!DesignLock.isPresentation("outcomes[leefloon].betterment"))
        #expect(!DesignLock.isPresentation("subgroups[single_parent].levelsx"))
        #expect(DesignLock.isPresentation("subgroups[single_parent].levels.0"))
        #expect(try edited("seed: 20170401", "seed: 20170402").fingerprint != lock.fingerprint)
    }

    @Test func layoutCommentsAndDataLogisticsChangeNothing() throws {
        let reformatted = try DesignLock(yaml: "# a new comment\n" + text.replacingOccurrences(of: "seed: 20170401", with: "seed: 20170401   # fixed"))
        #expect(reformatted.fingerprint == lock.fingerprint)
        let moved = try edited("file: ../fixtures/mission/ocmw_steun.csv", "file: ../data/2018/ocmw_steun_v2.csv")
        #expect(moved.fingerprint == lock.fingerprint)
        let dialect = try edited("encoding: windows-1252, date_format: DD/MM/YYYY", "encoding: utf-8, date_format: DD/MM/YYYY")
        #expect(dialect.changes(to: lock).isEmpty)
        let key = try edited("key_file: ../fixtures/mission/pseudonym.key", "key_file: /secure/pseudonym.key")
        #expect(key.fingerprint == lock.fingerprint)
    }

    @Test func aChangedWindowIsNamedWithItsOldAndNewValue() throws {
        let later = try edited("source: leefloon\n    rule: any\n    windows: { m6: [1, 6], m12: [7, 12] }", "source: leefloon\n    rule: any\n    windows: { m6: [1, 6], m12: [7, 13] }")
        #expect(later.fingerprint != lock.fingerprint)
        let changes = lock.changes(to: later)
        #expect(changes == [DesignChange(path: "outcomes[leefloon].windows.m12[1]", before: "12", after: "13")])
        #expect(changes[0].invalidatesRandomisation == nil)
        #expect(changes[0].summary == "outcomes[leefloon].windows.m12[1]: 12 → 13")
    }

    @Test func changesThatWouldInvalidateTheRandomisationSayWhy() throws {
        let ratio = lock.changes(to: try edited("    ratio: 1\n\n", "    ratio: 2\n\n"))
        #expect(ratio.map(\.path) == ["arms[intervention].ratio"])
        #expect(ratio[0].invalidatesRandomisation?.contains("the arms") == true)
        let seed = lock.changes(to: try edited("seed: 20170401", "seed: 1"))
        #expect(seed[0].invalidatesRandomisation == "the seed fixes every draw already made")
        let strata = lock.changes(to: try edited("levels: [\"3\", \"4-6\"]", "levels: [\"3\", \"4\", \"5-6\"]"))
        #expect(!strata.isEmpty && strata.allSatisfy { $0.invalidatesRandomisation != nil })
        let kind = lock.changes(to: try edited("kind: ocmw_leefloon", "kind: payments"))
        #expect(kind == [DesignChange(path: "sources[leefloon].kind", before: "ocmw_leefloon", after: "payments")])
    }

    @Test func anAddedOrRemovedKeyIsAChangeToo() throws {
        let added = lock.changes(to: try edited("  permutations: 10000\n", "  permutations: 10000\n  confidence_note: wider\n"))
        #expect(added == [DesignChange(path: "analysis.confidence_note", before: nil, after: "wider")])
        #expect(added[0].summary == "analysis.confidence_note: (none) → wider")
        #expect(throws: DesignLockError.self) { try DesignLock(yaml: "- a\n- b\n") }
    }
}
