import Foundation
import Testing
import TestSupport

/// Nothing estimated is not success: a run whose primary outcome has no estimate at some wave writes its
/// report, lists the cell with its reason among the deviations, warns, and exits with status 1.
@Suite struct UnestimablePrimaryRunTests {
    /// The bundled cluster example with a primary outcome without a single value (its source's extract ends before every window) is not
    /// success: the report is written, lists it among its deviations, and the exit status is 1.
    @Test func anUnestimablePrimaryOutcomeFailsTheRun() throws {
        let root = try Fixtures.caseworkersTrialCopy("rct-clustered-unestimable") { yaml in
            yaml.replacingOccurrences(of: "    file: ../fixtures/caseworkers/ocmw_steun.csv\n",
                                      with: "    file: ../fixtures/caseworkers/ocmw_steun.csv\n    data_through: 2018-01-31\n")
        }
        let run = try RCTBinary.run(["run", "designs/caseworkers-cluster.yaml", "--out", "out"], currentDirectory: root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: 2 primary outcome estimates could not be made (the report out/publish/report.html lists them among its deviations)"))
        #expect(run.stderr.contains("no family of the two compared arms has a value for outcome supplementary_aid at this wave"))
        let html = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        #expect(html.contains("<li>Receives supplementary financial aid from the OCMW at m6: not estimable"))
        // Not up to date: a second run estimates again (and fails again).
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/manifest.json").path))
        #expect(try RCTBinary.run(["run", "designs/caseworkers-cluster.yaml", "--out", "out"], currentDirectory: root).status == 1)
        // rct report on the same store says the same.
        let report = try RCTBinary.run(["report", "designs/caseworkers-cluster.yaml", "--out", "again"], currentDirectory: root)
        #expect(report.status == 1)
        #expect(report.stdout.contains("report written to again/publish/report.html"))
        #expect(report.stderr.contains("error: 2 primary outcome estimates could not be made (the report again/publish/report.html lists them"))
    }
}
