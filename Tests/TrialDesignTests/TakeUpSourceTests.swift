import Testing
import TestSupport
@testable import TrialDesign

/// The `take_up` source kind: the register of who received the intervention (docs/design-format.md).
@Suite struct TakeUpSourceTests {
    static let source = """
      - id: mandates
        kind: take_up
        file: mandates.csv
        identifier: { column: code, type: code }
        dialect: { format: delimited, separator: "," }
    """

    func design(takeUp: Bool, sources: Int = 1) throws -> String {
        var text = try Fixtures.contents("fixtures/designs/minimal.yaml")
        let extra = Array(repeating: Self.source, count: sources).enumerated()
            .map { i, s in s.replacingOccurrences(of: "id: mandates", with: "id: mandates\(i)") }.joined(separator: "\n")
        text = text.replacingOccurrences(of: "families:\n", with: extra + "\nfamilies:\n")
        if takeUp { text += "analysis:\n  take_up: { column: mandate }\n" }
        return text
    }

    @Test func aTakeUpSourceLoadsWithTheTakeUpColumn() throws {
        let d = try Design.parse(yaml: try design(takeUp: true), file: "t.yaml")
        let s = try #require(d.sources.first { $0.kind == .takeUp })
        #expect(s.id == "mandates0")
        #expect(s.file == "mandates.csv")
        #expect(s.identifierColumn == "code")
        #expect(d.analysis.takeUp?.column == "mandate")
    }

    @Test func aTakeUpSourceNeedsAnalysisTakeUp() throws {
        let error = try #require(throws: DesignError.self) { try Design.parse(yaml: try design(takeUp: false), file: "t.yaml") }
        #expect(error.issues.map(\.path) == ["sources[1].kind"])
        #expect(error.issues[0].message.contains("declare analysis.take_up"))
    }

    @Test func onlyOneTakeUpSource() throws {
        let error = try #require(throws: DesignError.self) { try Design.parse(yaml: try design(takeUp: true, sources: 2), file: "t.yaml") }
        #expect(error.issues.map(\.path) == ["sources[2].kind"])
    }

    @Test func theReferenceDesignDeclaresTheMandateRegister() throws {
        let d = try Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
        let s = try #require(d.sources.first { $0.kind == .takeUp })
        #expect(s.identifierColumn == "family_id")
        #expect(d.analysis.takeUp?.column == "mandate")
    }
}
