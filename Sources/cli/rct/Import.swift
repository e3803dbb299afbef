import ArgumentParser
import Foundation
import TrialStore
import Workflow

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

    @OptionGroup var trial: TrialOptions
    @Option(name: .customLong("source"), help: "Import only this source (repeat for several).") var sources: [String] = []
    @OptionGroup var replacing: ReplaceOption
    @Flag(help: "Stream every file into the store row by row instead of holding a source in memory (automatic from 4 MiB).")
    var stream = false
    @Option(help: "Print the quarantined (rejected) rows of this source's active import and stop.") var quarantine: String?

    func run() throws {
        try reportingFailures {
            let file = try trial.loadDesign("import")
            let store = try TrialStoreAccess.openExisting(file, store: trial.store)
            if let quarantine {
                try printQuarantine(of: quarantine, store: store, design: file)
                return
            }
            if let warning = file.keyFileWarning() { printError("warning: \(warning)") }
            let outcomes = try ImportStep.run(file, store: store, options: replacing.importOptions(
                sources: sources.isEmpty ? nil : sources, streamFrom: stream ? 0 : ImportStep.streamingFile), progress: { printError($0) })
            for outcome in outcomes { outcome.report.forEach { print($0) } }
            let changed = outcomes.filter { $0.status != .unchanged }.count
            print("store \(store.path): \(changed) source\(changed == 1 ? "" : "s") imported, \(outcomes.count - changed) unchanged")
        }
    }

    private func printQuarantine(of source: String, store: TrialStore, design: DesignFile) throws {
        guard let stored = try store.importSummaries().first(where: { $0.source == source }) else {
            throw WorkflowError.notImported(store: store.path, source: source, design: design.path)
        }
        let rows = try store.quarantine(importID: stored.id)
        print("\(source): \(stored.file), import \(stored.id): \(rows.count) quarantined row\(rows.count == 1 ? "" : "s")")
        for q in rows {
            print("\(stored.file):\(q.line): \(q.reason)\(q.column.map { " (\($0))" } ?? ""): \(q.message)"
                + (q.excerpt.isEmpty ? "" : " [\(q.excerpt)]"))
        }
    }
}
