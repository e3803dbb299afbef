import ArgumentParser
import Workflow

/// `rct balance DESIGN`: the baseline table by arm.
struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Baseline balance by arm: means, SDs, standardized differences and an omnibus F-test.",
        discussion: """
            Reads the assigned families from the store. Covariates are the design's cohort-column covariates \
            unless --covariates lists columns. Non-numeric cells count as missing. In a cluster-randomised \
            design the table follows at the cluster level (covariates averaged per cluster, the arms compared \
            across clusters) and the CSV has a level column. See docs/assignment.md.
            """)

    @OptionGroup var trial: TrialOptions
    @Option(help: "Cohort columns to compare, comma-separated.") var covariates: String?
    @Option(help: "Also write the table to this CSV file.") var out: String?

    func run() throws {
        try reportingFailures {
            let file = try trial.loadDesign("balance")
            let store = try TrialStoreAccess.openExisting(file, store: trial.store)
            let outcome = try BaselineBalance.run(file, store: store, columns: covariates.map { commaList($0) })
            outcome.lines.forEach { print($0) }
            if let out { try BaselineBalance.write(outcome, to: out) }
        }
    }
}
