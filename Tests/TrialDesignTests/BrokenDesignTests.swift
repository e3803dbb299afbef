import Testing
import TestSupport
@testable import TrialDesign

/// Each broken design under fixtures/designs/ differs from minimal.yaml in one place and must fail with
/// the problem at the right key path and line.
@Suite struct BrokenDesignTests {
    struct Case: Sendable, CustomStringConvertible {
        let file: String
        let path: String
        let line: Int?
        let fragment: String
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "unknown-key.yaml", path: "arms[1].ratoi", line: 8, fragment: "unknown key \"ratoi\" (did you mean \"ratio\"?)"),
        Case(file: "bad-choice.yaml", path: "outcomes[0].type", line: 25, fragment: "found \"binar\"; allowed: binary, count, continuous"),
        Case(file: "missing-key.yaml", path: "randomisation.seed", line: 9, fragment: "missing required key \"seed\""),
        Case(file: "duplicate-arm.yaml", path: "arms[1].id", line: 7, fragment: "the arm id \"control\" is used twice"),
        Case(file: "no-control.yaml", path: "arms", line: 5, fragment: "exactly one arm has control: true; found 0"),
        Case(file: "unknown-source.yaml", path: "outcomes[0].source", line: 26, fragment: "\"regsitry\" is not declared; declared: registry"),
        Case(file: "bad-window.yaml", path: "outcomes[0].windows.m6", line: 28, fragment: "the window [6, 1] ends before it starts"),
        Case(file: "unknown-wave.yaml", path: "outcomes[0].windows.m12", line: 28, fragment: "\"m12\" is not declared; declared: m6"),
        Case(file: "wrong-type.yaml", path: "randomisation.seed", line: 10, fragment: "expected a whole number, found \"one\""),
        Case(file: "bad-block-size.yaml", path: "randomisation.block_sizes", line: 10, fragment: "block size 3 is not a multiple of the sum of the arm ratios (2)"),
        Case(file: "syntax-error.yaml", path: "", line: 8, fragment: "YAML syntax"),
        Case(file: "insz-without-key.yaml", path: "sources[0].identifier.type", line: 18, fragment: "needs a pseudonymisation section"),
    ]

    @Test(arguments: cases)
    func brokenDesignFailsWithKeyPathAndLine(_ c: Case) throws {
        let error = try #require(throws: DesignError.self) {
            try Design.load(path: Fixtures.path("fixtures/designs/\(c.file)"))
        }
        #expect(error.issues.count == 1, "\(error.issues)")
        let issue = try #require(error.issues.first)
        #expect(issue.path == c.path)
        #expect(issue.line == c.line)
        #expect(issue.message.contains(c.fragment), "\(issue.message)")
    }

    @Test func minimalDesignIsValidAndFillsDefaults() throws {
        let d = try Design.load(path: Fixtures.path("fixtures/designs/minimal.yaml"))
        #expect(d.arms.map(\.ratio) == [1, 1])
        #expect(d.analysis.variance == .hc2)
        #expect(d.analysis.estimator == .lin)
        #expect(d.publication.smallCellThreshold == 5)
        #expect(d.waves[0].daysBefore == 30 && d.waves[0].daysAfter == 60)
        #expect(d.sources[0].dialect.decimal == ".")
    }

    @Test func everyProblemIsReportedNotJustTheFirst() throws {
        let text = try Fixtures.contents("fixtures/designs/minimal.yaml")
            .replacingOccurrences(of: "type: binary", with: "type: binar")
            .replacingOccurrences(of: "  seed: 1", with: "  seed: one\n  colour: blue")
        let error = try #require(throws: DesignError.self) { try Design.parse(yaml: text, file: "x.yaml") }
        #expect(error.issues.map(\.path) == ["randomisation.seed", "randomisation.colour", "outcomes[0].type"])
        #expect(error.description.hasPrefix("x.yaml:11:9: error: randomisation.seed:"))
    }

    @Test func emptyAndMissingFilesAreClearErrors() throws {
        let empty = try #require(throws: DesignError.self) { try Design.parse(yaml: "", file: "e.yaml") }
        #expect(empty.issues[0].message.contains("empty"))
        let missing = try #require(throws: DesignError.self) { try Design.load(path: "/nonexistent/d.yaml") }
        #expect(missing.issues[0].message.contains("cannot read the file"))
    }
}
