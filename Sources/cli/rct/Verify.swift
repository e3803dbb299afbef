import ArgumentParser
import TrialStore
import Workflow

/// `rct verify [DESIGN]`: recomputes the hash chain of the assignment records and, with the design, draws
/// every arm again from the seed.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that no assignment record was altered, removed or inserted (recomputes the hash chain).",
        discussion: """
            With the design (rct verify DESIGN), also draws every assignment again from the design's seed and the \
            stored cohort and compares the arms: this catches even a chain that was rewritten from scratch. \
            Without it, give the store (--store PATH). Exits with 0 when everything holds and 1 naming the first \
            record that does not.
            """)

    @OptionGroup var trial: TrialOptions
    @Option(name: .customLong("expect-head"), help: "A chain head kept outside the store, to detect a rewritten chain.")
    var expectHead: String?

    func validate() throws {
        if trial.store == nil && trial.design == nil && trial.designOption == nil {
            throw ValidationError("Say which store to verify: rct verify DESIGN, or --store PATH.")
        }
    }

    func run() throws {
        try reportingFailures {
            let design = try trial.designPath.map(DesignFile.load)
            let path = trial.store ?? design!.defaultStorePath
            let outcome = try Verification.run(store: try TrialStore.open(path: path), design: design, expectedHead: expectHead)
            guard let first = outcome.problems.first else {
                print("\(path): \(outcome.report.records) assignment records, the chain is intact"
                    + (outcome.redrawn ? " and every " + (outcome.notes.isEmpty ? "" : "locally drawn ") + "arm comes out of the design's seed again" : "")
                    + "; head \(outcome.report.headHash)")
                if outcome.report.amendments > 0 {
                    print("\(outcome.report.amendments) amendment\(outcome.report.amendments == 1 ? "" : "s") of the design's locked part, "
                        + "each chained and in place (rct report lists them under \"Changes to the pre-specified plan\")")
                }
                outcome.notes.forEach { print($0) }
                return
            }
            printError("error: \(path): " + first)
            for p in outcome.problems.dropFirst() { printError("  also: \(p)") }
            printError("\(path): the assignment records or amendments were tampered with (\(outcome.problems.count) problem"
                + "\(outcome.problems.count == 1 ? "" : "s")); do not analyse this store")
            throw ExitCode(1)
        }
    }
}
