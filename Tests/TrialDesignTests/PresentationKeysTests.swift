import Testing
import TestSupport
@testable import TrialDesign

/// The keys that shape the report rather than the analysis: `outcomes[].better`, `outcomes[].baseline`,
/// `subgroups[].levels` and `publication.language` (docs/design-format.md), each read and validated with
/// its key path and line.
@Suite struct PresentationKeysTests {
    static let minimal = try! Fixtures.contents("fixtures/designs/minimal.yaml")

    /// The minimal design with `extra` appended to its only outcome, and `tail` appended at the end.
    static func design(outcome extra: String = "", tail: String = "") -> String {
        minimal.replacingOccurrences(of: "    windows: { m6: [1, 6] }", with: "    windows: { m6: [1, 6] }" + extra) + tail
    }

    static func issue(_ yaml: String) throws -> DesignIssue {
        let error = try #require(throws: DesignError.self) { try Design.parse(yaml: yaml, file: "x.yaml") }
        #expect(error.issues.count == 1, "\(error.issues)")
        return try #require(error.issues.first)
    }

    @Test func defaultsWhenTheDesignSaysNothing() throws {
        let d = try Design.parse(yaml: Self.minimal, file: "x.yaml")
        #expect(d.outcomes[0].better == nil)
        #expect(d.outcomes[0].baseline == nil)
        #expect(d.publication.language == .en)
    }

    @Test func betterAndLanguageAreRead() throws {
        let d = try Design.parse(yaml: Self.design(outcome: "\n    better: lower", tail: "publication:\n  language: nl\n"), file: "x.yaml")
        #expect(d.outcomes[0].better == .lower)
        #expect(d.publication.language == .nl)
        #expect(d.publication.smallCellThreshold == 5)
        let french = try Design.parse(yaml: Self.design(outcome: "", tail: "publication:\n  language: fr\n"), file: "x.yaml")
        #expect(french.publication.language == .fr)
    }

    @Test func aBadDirectionNamesKeyLineAndChoices() throws {
        let yaml = Self.design(outcome: "\n    better: up")
        let issue = try Self.issue(yaml)
        #expect(issue.path == "outcomes[0].better")
        #expect(issue.line == yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("better: up") }! + 1)
        #expect(issue.message.contains("found \"up\"; allowed: higher, lower"), "\(issue.message)")
    }

    @Test func aBadLanguageNamesKeyAndChoices() throws {
        let issue = try Self.issue(Self.design(tail: "publication:\n  language: de\n"))
        #expect(issue.path == "publication.language")
        #expect(issue.message.contains("found \"de\"; allowed: en, nl, fr"), "\(issue.message)")
        #expect(issue.line != nil)
    }

    @Test func aBaselineMustNameACovariate() throws {
        let tail = "covariates:\n  - id: before\n    column: before\n"
        let ok = try Design.parse(yaml: Self.design(outcome: "\n    baseline: before", tail: tail), file: "x.yaml")
        #expect(ok.outcomes[0].baseline == "before")
        let issue = try Self.issue(Self.design(outcome: "\n    baseline: befor", tail: tail))
        #expect(issue.path == "outcomes[0].baseline")
        #expect(issue.message.contains("\"befor\" is not declared; declared: before"), "\(issue.message)")
    }

    @Test func subgroupLevelsKeepTheDesignsOrderAndLabels() throws {
        let tail = """
        subgroups:
          - id: single
            column: single_parent
            levels: { "1": Single-parent families, "0": Two-parent families }

        """
        let d = try Design.parse(yaml: Self.design(tail: tail), file: "x.yaml")
        #expect(d.subgroups[0].levels == [SubgroupLevel(code: "1", label: "Single-parent families"),
                                          SubgroupLevel(code: "0", label: "Two-parent families")])
        #expect(d.subgroups[0].label(of: "0") == "Two-parent families")
        #expect(d.subgroups[0].label(of: "9") == "9")
    }

    @Test func subgroupLevelsMustBeAMappingOfLabels() throws {
        let list = try Self.issue(Self.design(tail: "subgroups:\n  - id: s\n    column: c\n    levels: [a, b]\n"))
        #expect(list.path == "subgroups[0].levels")
        #expect(list.message.contains("give each code of the column with its label"), "\(list.message)")
        let empty = try Self.issue(Self.design(tail: "subgroups:\n  - id: s\n    column: c\n    levels: { \"0\": \"\" }\n"))
        #expect(empty.path == "subgroups[0].levels.0")
        #expect(empty.line != nil)
    }

    @Test func theBundledDesignStatesTheDirectionWhereItMatters() throws {
        let d = try Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
        let better = Dictionary(uniqueKeysWithValues: d.outcomes.map { ($0.id, $0.better) })
        #expect(better["job_seeker_months"] == .lower)
        #expect(better["leefloon"] == .higher)
        #expect(d.outcomes.filter(\.primary).allSatisfy { $0.better != nil })
        #expect(d.subgroups.first { $0.id == "single_parent" }?.label(of: "1") == "Single-parent families")
    }
}
