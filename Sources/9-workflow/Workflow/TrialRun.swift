import Analysis
import Foundation
import PanelExport
import Reporting
import TrialDesign
import TrialStore

/// The whole evaluation in one step (`rct run DESIGN`): the store, the assignment (drawn here from the
/// design's cohort, or a list made elsewhere entered with every check), the import of every extract, the
/// panel, the pre-specified analysis and the report — re-running only when the design, the assignments,
/// an input file or the program changed since the last run (`RunManifest`).
public enum TrialRun {
    public struct Options: Sendable {
        /// The trial store (default: beside the design).
        public var store: String?
        /// The output folder (default: `out/NAME`).
        public var out: String?
        public var importOptions: ImportStep.Options
        /// The program, for the report's provenance and the manifest (e.g. `rct 0.1.0`).
        public var program: String
        /// The formats the panel is written in (all by default: CSV, Stata, SPSS).
        public var panelFormats: [PanelFileFormat] = PanelFileFormat.allCases
        /// The column names of `effects.csv` (`--names`).
        public var names: CSVNames = .rct

        public init(store: String? = nil, out: String? = nil, importOptions: ImportStep.Options = .init(), program: String) {
            self.store = store
            self.out = out
            self.importOptions = importOptions
            self.program = program
        }
    }

    /// Where a run's messages go: lines of the steps' reports (standard output), progress lines and
    /// warnings (standard error).
    public struct Messages {
        public var output: (String) -> Void
        public var progress: (String) -> Void
        public var warning: (String) -> Void

        public init(output: @escaping (String) -> Void, progress: @escaping (String) -> Void, warning: @escaping (String) -> Void) {
            self.output = output
            self.progress = progress
            self.warning = warning
        }
    }

    public enum Outcome: Sendable {
        /// Nothing changed since the last run: the report is where it was.
        case upToDate(report: String)
        /// Everything was written; the analysis's notes are in the result.
        case written(report: String, result: AnalysisResult)
    }

    /// The sub-folder of the output folder with one CSV of rejected rows per source: beside the panel,
    /// with the unit-level files that are for analysts, not for publication.
    public static let rejectsFolder = "\(PanelStep.folder)/rejected"

    public static func run(_ file: DesignFile, options: Options, messages: Messages) throws -> Outcome {
        let d = file.design
        let step = messages.progress
        let storePath = options.store ?? file.defaultStorePath
        let folder = options.out ?? file.defaultOutput

        // 0. Every input, before anything is created, drawn or stored.
        step("check: the files of \(d.sources.count) sources and the key")
        try InputCheck.require(file, consequence: "nothing was drawn or stored")
        if let warning = file.keyFileWarning() { messages.warning(warning) }

        // 1. Store.
        if !FileManager.default.fileExists(atPath: storePath) {
            step("init: creating the trial store \(storePath)")
            _ = try TrialStore.create(path: storePath, design: d, designFile: file.path, designData: file.data)
        }
        let store = try TrialStoreAccess.openExisting(file, store: storePath)
        // The trial's key, or nothing: another key would link no national number to a family.
        if d.pseudonymisation != nil { try TrialStoreAccess.checkKey(try? file.pseudonymizer(), store) }

        // 2. Assignment.
        let head = try store.trial().headSeq
        if head == 0, let list = file.source(ofKind: .assignment) {
            // Randomised elsewhere: the design's assignment source enters the hash chain, checked.
            step("assign: importing the assignment list \(list.file) (randomised elsewhere)")
            let outcome = try AssignmentListImport.run(file, store: store)
            outcome.warnings.forEach(messages.warning)
            outcome.lines.forEach(messages.output)
        } else if head == 0 {
            guard let cohort = file.source(ofKind: .cohort) else { throw WorkflowError.noCohortSourceToAssign(design: file.path) }
            let cohortPath = file.path(of: cohort)
            step("assign: randomising the cohort \(cohortPath) (\(d.randomisation.method.rawValue), seed \(d.randomisation.seed))")
            try CohortAssignment.run(file, cohortPath: cohortPath, store: store).lines.forEach(messages.output)
        } else {
            step("assign: the store already holds \(head) assignment records")
        }
        let verified = try TrialStoreAccess.requireIntact(store)
        step("verify: \(verified.records) assignment records, chain intact, head \(verified.headHash)")

        // 3. Up to date?
        let software = RunManifest.softwareFingerprint(program: options.program)
        var (manifest, fingerprints) = try RunManifest.current(file, store: store, software: software)
        let manifestPath = (folder as NSString).appendingPathComponent(RunManifest.fileName)
        let report = ReportStep.reportPath(out: folder)
        let previous = RunManifest.read(path: manifestPath)
        // The printed PDF is no input: it is carried over (`ReportPDF` compares its HTML's digest).
        manifest.pdf = previous?.pdf
        // The report's files and the panel's files in the formats asked for (they may differ from the last run's).
        let expected = RunManifest.outputs.filter { !$0.hasPrefix(PanelStep.folder + "/") } + PanelStep.files(options.panelFormats)
        if let previous, previous == manifest, ReportStep.effectsCSVHasNames(options.names, in: folder),
           expected.allSatisfy({ FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }) {
            step("up to date: design, assignments and inputs unchanged since the last run (\(manifestPath))")
            return .upToDate(report: report)
        }
        if let previous { step("changed since the last run: " + previous.differences(from: manifest).joined(separator: ", ")) }

        // 4–6. Import, panel, estimate, report.
        var importOptions = options.importOptions
        importOptions.fingerprints.merge(fingerprints) { given, _ in given }
        let panel = try PanelStep.run(file, store: store, importOptions: importOptions, progress: step, warning: messages.warning)
        // Every row accounted: rejected and set-aside rows by source, the rejected ones in files of their own.
        let rejectsFolder = (folder as NSString).appendingPathComponent(Self.rejectsFolder)
        for account in try ImportAccounting.accounts(store: store, writingRejectsTo: rejectsFolder) { account.lines().forEach(step) }
        try PanelStep.write(panel.panel, design: d, out: folder, formats: options.panelFormats)
        step("panel written to \((folder as NSString).appendingPathComponent(PanelStep.folder))")
        let result = try ReportStep.run(file, panel: panel.panel, inputs: panel.inputs, out: folder, software: options.program,
                                        names: options.names, progress: step)
        if !result.warnings.isEmpty { step("estimation: \(result.warnings.count) notes (rows dropped listwise and the like); rct report lists them") }
        result.unestimable.forEach { messages.warning($0) }
        // A run whose primary outcome could not be estimated is not up to date the next time either: the
        // manifest is written only for a run that estimated every primary outcome.
        guard result.unestimablePrimary.isEmpty else {
            try? FileManager.default.removeItem(atPath: manifestPath)
            throw WorkflowError.primaryNotEstimated(report: report, reasons: result.unestimablePrimary)
        }
        try manifest.write(path: manifestPath)
        step("report written into \(OutputFolders.publish(folder)): \(ReportStep.files.joined(separator: ", ")); manifest.json beside it")
        return .written(report: report, result: result)
    }
}
