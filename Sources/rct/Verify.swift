import ArgumentParser
import Foundation
import TrialStore

/// `rct verify`: recomputes the hash chain of the assignment records.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that no assignment record was altered, removed or inserted (recomputes the hash chain).",
        discussion: "Exits with 0 when the chain is intact and 1 naming the first record that is not.")

    @Option(help: "The trial store.") var store: String?
    @Option(help: "The design (its store is found beside it; its fingerprint is checked too).") var design: String?
    @Option(name: .customLong("expect-head"), help: "A chain head kept outside the store, to detect a rewritten chain.")
    var expectHead: String?

    func validate() throws {
        if store == nil && design == nil { throw ValidationError("Say which store to verify: --store PATH or --design FILE.") }
    }

    func run() throws {
        try StoreSupport.reporting {
            let path = store ?? StoreSupport.defaultStorePath(design: design!)
            let trialStore = try TrialStore.open(path: path)
            if let design {
                guard let data = FileManager.default.contents(atPath: design) else { throw CommandFailure("\(design): cannot read the design file") }
                try trialStore.checkDesign(data)
            }
            let report = try trialStore.verify(expectedHead: expectHead)
            if report.isIntact {
                print("\(path): \(report.records) assignment records, the chain is intact; head \(report.headHash)")
            } else {
                printError("error: \(path): " + report.problems[0].description)
                for p in report.problems.dropFirst() { printError("  also: \(p.description)") }
                printError("\(path): the assignment records were tampered with (\(report.problems.count) problem"
                    + "\(report.problems.count == 1 ? "" : "s")); do not analyse this store")
                throw ExitCode(1)
            }
        }
    }
}
