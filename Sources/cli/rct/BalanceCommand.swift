import ArgumentParser
import Service
import TrialStore
import Workflow

/// `rct balance DESIGN`: the baseline table by arm.
struct BalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Baseline balance by arm: means, SDs, standardized differences and an omnibus F-test.",
        discussion: """
            Reads the assigned families from the store. Covariates are the design's cohort-column covariates \
            unless --covariates lists columns. Non-numeric cells count as missing. In a cluster-randomised \
            design the table follows at the cluster level (covariates averaged per cluster, the arms compared \
            across clusters) and the CSV has a level column. With --database URL, reads the service's \
            PostgreSQL database. See docs/assignment.md.
            """)

    @OptionGroup var trial: TrialOptions
    @Option(help: "Cohort columns to compare, comma-separated.") var covariates: String?
    @Option(help: "Also write the table to this CSV file.") var out: String?
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        try await reportingFailures {
            let file = try trial.loadDesign("balance")
            let store: any EnrolmentStore = database.database == nil
                ? try TrialStoreAccess.openExisting(file, store: trial.store)
                : try await TrialDatabase.open(file, database: database.database, store: trial.store)
            defer { store.close() }
            let outcome = try await BaselineBalance.run(file, store: store, columns: covariates.map { commaList($0) })
            outcome.lines.forEach { print($0) }
            if let out { try BaselineBalance.write(outcome, to: out) }
        }
    }
}
