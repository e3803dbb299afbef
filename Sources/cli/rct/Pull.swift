import ArgumentParser
import Foundation
import Service
import TrialStore
import Workflow

/// `rct pull DESIGN --from URL --token TOKEN`: the service's assignment record into the local store.
struct Pull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the assignment record from the randomisation service into the local trial store.",
        discussion: """
            Fetches every assignment record and screening from the service (a statistician's token), checks the \
            hash chain record by record (each hash from its content, each link, anchored to this design's SHA-256), \
            and appends the records not yet in the local store as they are. Import, panel, estimates and report \
            then run offline on the local store. The token may come from RCT_TOKEN instead of --token.
            """)

    @OptionGroup var trial: TrialOptions
    @Option(help: "The service's address, e.g. https://rct.example.org.") var from: String
    @Option(help: "A statistician's API token (rct users token NAME); default: $RCT_TOKEN.") var token: String?

    func run() async throws {
        try await reportingFailures {
            let file = try trial.loadDesign("pull")
            guard let token = token ?? ProcessInfo.processInfo.environment["RCT_TOKEN"], !token.isEmpty else {
                throw ValidationError("Give a statistician's token: --token TOKEN or RCT_TOKEN.")
            }
            let export = try await PullClient.fetch(from: from, token: token)
            var records: [AssignmentRecord] = []
            for r in export.records {
                guard let record = r.record else { throw PullClient.Failure(description: "\(from): record \(r.seq) has an unreadable date") }
                records.append(record)
            }
            let outcome = try AssignmentPull.pull(file, store: trial.store, source: from, designSHA256: export.trial.designSHA256,
                                                  headHash: export.trial.headHash, records: records,
                                                  screenings: export.screenings.map { ($0.runID, $0.entry) })
            let r = outcome.receipt
            print("\(outcome.storePath): pulled \(r.appended) new assignment record\(r.appended == 1 ? "" : "s") and \(r.screened) screening"
                + "\(r.screened == 1 ? "" : "s") from \(from) (\(r.kept) already here); the chain verifies record by record; head \(r.headHash)")
        }
    }
}
