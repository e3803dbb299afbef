import ArgumentParser
import Service
import TrialStore
import Workflow

/// `rct verify [DESIGN]`: recomputes the hash chain of the assignment records and, with the design, draws
/// every arm again from the seed.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that no assignment record was altered, removed or inserted (recomputes the hash chain).",
        discussion: """
            With the design (rct verify DESIGN), also draws every assignment again from the design's seed and the \
            stored cohort and compares the arms: this catches even a chain that was rewritten from scratch. \
            Without it, give the store (--store PATH). With --database postgres://USER@HOST:PORT/DB it checks the \
            service's PostgreSQL database instead, with the same checks and the same answers. Exits with 0 when \
            everything holds and 1 naming the first record that does not.
            """)

    @OptionGroup var trial: TrialOptions
    @Option(name: .customLong("expect-head"), help: "A chain head kept outside the store, to detect a rewritten chain.")
    var expectHead: String?
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if trial.store == nil && trial.design == nil && trial.designOption == nil && database.database == nil {
            throw ValidationError("Say which store to verify: rct verify DESIGN, --store PATH or --database URL.")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let design = try trial.designPath.map(DesignFile.load)
            let store: any EnrolmentStore
            if let url = database.database {
                store = try await TrialDatabase.open(nil, database: url)
            } else {
                store = try TrialStore.open(path: trial.store ?? design!.defaultStorePath)
            }
            defer { store.close() }
            let path = store.location
            let outcome = try await Verification.run(store: store, design: design, expectedHead: expectHead)
            guard let first = outcome.problems.first else {
                print("\(path): \(outcome.report.records) assignment records, the chain is intact"
                    + (outcome.redrawn ? " and every " + (outcome.notes.isEmpty ? "" : "locally drawn ") + "arm comes out of the design's seed again" : "")
                    + "; head \(outcome.report.headHash)")
                if outcome.report.amendments > 0 {
                    print("\(outcome.report.amendments) amendment\(outcome.report.amendments == 1 ? "" : "s") of the design's locked part, "
                        + "each chained and in place (rct report lists them under \"Changes to the pre-specified plan\")")
                }
                if outcome.report.keyRotations > 0 {
                    print("\(outcome.report.keyRotations) rotation\(outcome.report.keyRotations == 1 ? "" : "s") of the pseudonymisation key, "
                        + "each chained, in place and with its pseudonym map intact")
                }
                outcome.notes.forEach { print($0) }
                if let audit = outcome.audit, audit.entries > 0 {
                    print("\(path): \(audit.entries) audit log entries, the chain is intact; head \(audit.headHash)")
                }
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
