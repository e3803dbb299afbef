import ArgumentParser
import Foundation
import Workflow

/// `rct disclosure-check FOLDER`: whether any suppressed count of a published folder can be worked out.
struct DisclosureCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosure-check",
        abstract: "Check that no suppressed count of a published folder can be worked out from the published ones.",
        discussion: """
            Reads counts.json (every count of the CONSORT diagram and the attrition table, with the sums that \
            tie them) and effects.csv of FOLDER (OUT/publish of rct report or rct run), and tries every suppressed \
            count against the published totals: a total minus the other parts, and any combination of the sums \
            (solved exactly). Exits 0 when none can be worked out; otherwise names each file and cell and exits 1. \
            See docs/reporting.md.
            """)

    @Argument(help: "The published folder (OUT/publish).") var folder: String

    func run() throws {
        try reportingFailures {
            let outcome = try DisclosureCheck.run(folder: folder)
            let summary = "\(outcome.counts) counts (\(outcome.suppressed) suppressed) and \(outcome.sums) sums in counts.json, "
                + "\(outcome.effectRows) rows of effects.csv"
            guard !outcome.findings.isEmpty else {
                print("\(folder): \(summary); no suppressed count can be worked out from the published ones")
                return
            }
            for f in outcome.findings {
                printError("error: \((folder as NSString).appendingPathComponent(f.file)): \(f.cell) can be worked out: \(f.how)")
            }
            printError("\(folder): \(outcome.findings.count) suppressed count\(outcome.findings.count == 1 ? "" : "s") recoverable; "
                + "do not publish this folder (re-run rct report, whose suppression closes them, or suppress more by hand)")
            throw ExitCode(1)
        }
    }
}
