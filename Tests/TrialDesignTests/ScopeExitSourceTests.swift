import Testing
import TestSupport
@testable import TrialDesign

/// The `scope_exit` source kind: families that left a registry's scope (docs/design-format.md).
@Suite struct ScopeExitSourceTests {
    static let source = """
      - id: exits
        kind: scope_exit
        file: exits.csv
        identifier: { column: code, type: code }
        dialect: { format: delimited, separator: ";", date_format: DD/MM/YYYY }
        columns: { date: datum_uitschrijving, reason: reden }
        codes:
          reason: { verhuisd: moved, overleden: died }
    """

    func design(_ edit: (String) -> String = { $0 }) throws -> String {
        let text = try Fixtures.contents("fixtures/designs/minimal.yaml")
        return edit(text.replacingOccurrences(of: "families:\n", with: Self.source + "\nfamilies:\n"))
    }

    @Test func aScopeExitSourceLoadsWithItsColumnsAndCodes() throws {
        let d = try Design.parse(yaml: try design(), file: "t.yaml")
        let s = try #require(d.sources.first { $0.id == "exits" })
        #expect(s.kind == .scopeExit)
        #expect(SourceKind(rawValue: "scope_exit") == .scopeExit)
        #expect(s.file == "exits.csv")
        #expect(s.identifierColumn == "code")
        #expect(s.columns == ["date": "datum_uitschrijving", "reason": "reden"])
        #expect(s.codes["reason"] == ["verhuisd": "moved", "overleden": "died"])
        #expect(s.dialect.dateFormat == .dmy)
    }

    @Test func noOutcomeDerivesFromAScopeExitSource() throws {
        let edited = try design { $0.replacingOccurrences(of: "    source: registry\n    rule: any", with: "    source: exits\n    rule: any") }
        #expect(edited.contains("source: exits"))
        let error = try #require(throws: DesignError.self) { try Design.parse(yaml: edited, file: "t.yaml") }
        #expect(error.issues.count == 1)
        #expect(error.issues[0].path == "outcomes[0].source")
        #expect(error.issues[0].message.contains("\"exits\" is a scope_exit source"))
        #expect(error.issues[0].message.contains("no outcome derives from it"))
    }

    @Test func noCovariateDerivesFromAScopeExitSource() throws {
        let edited = try design { $0 + "covariates:\n  - id: left_before\n    source: exits\n    rule: any\n    window: [-12, -1]\n" }
        let error = try #require(throws: DesignError.self) { try Design.parse(yaml: edited, file: "t.yaml") }
        #expect(error.issues.map(\.path) == ["covariates[0].source"])
        #expect(error.issues[0].message.contains("\"exits\" is a scope_exit source"))
    }

    @Test func theReferenceDesignDeclaresTheExitRegister() throws {
        let d = try Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
        let s = try #require(d.sources.first { $0.kind == .scopeExit })
        #expect(s.id == "exits" && s.identifierType == .insz && s.file == "../fixtures/mission/scope_exits.csv")
        #expect(!d.outcomes.contains { $0.source == s.id })
    }
}
