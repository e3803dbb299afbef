import Foundation
import Testing
import TestSupport

/// The whole pipeline on a trial randomised elsewhere (issue 10): fixtures/external/design.yaml declares
/// the city's assignment list (a Windows-1252 spreadsheet export with Dutch column names, arms
/// `Controle` / `Interventie` and dates `DD/MM/YYYY`, drawn by complete assignment within deprivation
/// bands rather than the project's own permuted blocks). `rct run` imports the list into the hash chain
/// instead of drawing, then imports, derives the panel, estimates and reports exactly as for a trial
/// randomised here, and the report's effects equal `rct estimate` on the panel.
@Suite(.serialized) struct ExternalAssignmentRunTests {
    static let shared: (root: URL, run: RunResult) = {
        let root = try! Fixtures.temporaryDirectory("rct-run-external")
        let fm = FileManager.default
        try! fm.createDirectory(at: root.appendingPathComponent("fixtures"), withIntermediateDirectories: true)
        for folder in ["external", "mission"] {
            try! fm.copyItem(atPath: Fixtures.path("fixtures/\(folder)"), toPath: root.appendingPathComponent("fixtures/\(folder)").path)
        }
        let run = try! RCTBinary.run(["run", "fixtures/external/design.yaml", "--out", "out"], currentDirectory: root)
        return (root, run)
    }()

    @Test func runImportsTheListInsteadOfDrawing() throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("assign: importing the assignment list toewijzing.csv (randomised elsewhere)"), "\(run.stderr)")
        #expect(!run.stderr.contains("assign: randomising the cohort"))
        #expect(run.stdout.contains("imported 112 families (57 control, 55 intervention) as procedure imported"), "\(run.stdout)")
        #expect(run.stdout.hasSuffix("report: out/publish/report.html\n"))
        let verify = try RCTBinary.run(["verify", "--store", "fixtures/external/design.sqlite"], currentDirectory: root)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("112 assignment records, the chain is intact"), "\(verify.stdout)")
        let report = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        #expect(report.contains("Randomised (n\u{00A0}=\u{00A0}112)"))
    }

    @Test(arguments: ["m6", "m12"])
    func effectsEqualRCTEstimateOnThePanel(wave: String) throws {
        let (root, run) = Self.shared
        #expect(run.status == 0, "\(run.stderr)")
        try RunCommandTests.expectEffectsEqualEstimate(root: root, out: "out", wave: wave)
    }
}
