import ArgumentParser
import Foundation
import TrialStore

/// `rct import DESIGN [--store PATH] [--source ID …] [--replace]`: imports the design's registry and
/// survey extracts into the trial store.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the design's registry and survey extracts into the trial store.",
        discussion: """
            Imports every registry and survey source of the design (not cohort or assignment sources), or the \
            ones given with --source. Rows are linked to the families assigned in the store (registry rows \
            through the pseudonymised link column, surveys through the study code); rows of anyone else are \
            rejected as unknown_participant. Each source is saved in one transaction with its counts \
            (read = accepted + rejected), the file's SHA-256 and its quarantine of rejected rows. Importing \
            the same file again changes nothing; a different file for a source already imported is refused \
            unless --replace is given. See docs/import.md.
            """)

    @Argument(help: "The design file, e.g. designs/mission-kortrijk.yaml.")
    var design: String

    @Option(help: "The trial store (default: beside the design, NAME.sqlite).")
    var store: String?

    @Option(name: .customLong("source"), help: "Import only this source (repeat for several).")
    var sources: [String] = []

    @Flag(help: "Replace the earlier import of a source whose file changed (its rows are kept but no longer read).")
    var replace = false

    @Flag(help: "Stream every file into the store row by row instead of holding a source in memory (automatic from 64 MiB).")
    var stream = false

    @Option(help: "Print the quarantined (rejected) rows of this source's active import and stop.")
    var quarantine: String?

    func run() throws {
        try StoreSupport.reporting {
            let (d, data) = try StoreSupport.loadDesign(design)
            let storePath = store ?? StoreSupport.defaultStorePath(design: design)
            let trialStore = try TrialStore.open(path: storePath)
            try trialStore.checkDesign(data)
            if let quarantine {
                try printQuarantine(of: quarantine, store: trialStore)
                return
            }
            let outcomes = try ImportStep.run(design: d, designPath: design, store: trialStore,
                                              sources: sources.isEmpty ? nil : sources, replace: replace,
                                              streamFrom: stream ? 0 : ImportStep.streamingFile, progress: { printError($0) })
            for outcome in outcomes { for line in outcome.report { print(line) } }
            let changed = outcomes.filter { $0.status != .unchanged }.count
            print("store \(storePath): \(changed) source\(changed == 1 ? "" : "s") imported, "
                + "\(outcomes.count - changed) unchanged")
        }
    }

    private func printQuarantine(of source: String, store: TrialStore) throws {
        guard let stored = try store.importSummaries().first(where: { $0.source == source }) else {
            throw CommandFailure("\(store.path): source \(source) has not been imported; run `rct import \(design)` first")
        }
        let rows = try store.quarantine(importID: stored.id)
        print("\(source): \(stored.file), import \(stored.id): \(rows.count) quarantined row\(rows.count == 1 ? "" : "s")")
        for q in rows {
            print("\(stored.file):\(q.line): \(q.reason)\(q.column.map { " (\($0))" } ?? ""): \(q.message)"
                + (q.excerpt.isEmpty ? "" : " [\(q.excerpt)]"))
        }
    }
}
