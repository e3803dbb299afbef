import ArgumentParser
import Basics
import Foundation
import TrialDesign
import TrialStore

/// `rct run DESIGN`: the whole pipeline, re-running only when an input changed.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole evaluation: init → assign (or import-assignment) → import → panel → estimate → report.",
        discussion: """
            Creates the trial store beside the design when missing, assigns the cohort (the design's cohort \
            source) when the store holds no assignments — or, when the design declares an assignment source \
            (a trial randomised elsewhere), imports that list with the checks of rct import-assignment —, imports the extracts and surveys, derives the panel, \
            estimates the pre-specified analysis and writes the report into OUT (default out/NAME): effects.csv, \
            effects.md, effects.tex, report.html, consort.svg, forest.svg, panel/ and manifest.json. \
            The manifest records the fingerprints of the design, the assignment chain head and every input file; \
            when none changed and every output is there, the run says "up to date" and does nothing. \
            Progress goes to standard error. See docs/reporting.md.
            """)

    @Argument(help: "The design file, e.g. designs/mission-kortrijk.yaml.") var design: String
    @Option(help: "The trial store (default: beside the design, NAME.sqlite).") var store: String?
    @Option(help: "The output folder (default: out/NAME).") var out: String?
    @Flag(help: "Replace the stored import of a source whose file changed (a corrected extract); without it a changed file stops the run.")
    var replace = false

    func run() throws {
        try StoreSupport.reporting {
            let clock = ContinuousClock()
            let started = clock.now
            let step: (String) -> Void = { printError("[\(Self.seconds(clock.now - started))] \($0)") }
            let (d, data) = try StoreSupport.loadDesign(design)
            let storePath = store ?? StoreSupport.defaultStorePath(design: design)
            let folder = out ?? RunSupport.defaultOut(design: design)
            let directory = RunSupport.designDirectory(design)

            // 1. Store.
            if !FileManager.default.fileExists(atPath: storePath) {
                step("init: creating the trial store \(storePath)")
                _ = try TrialStore.create(path: storePath, design: d, designFile: design, designData: data)
            }
            let trialStore = try TrialStore.open(path: storePath)
            try trialStore.checkDesign(data)

            // 2. Assignment.
            if try trialStore.trial().headSeq == 0, let list = d.sources.first(where: { $0.kind == .assignment }) {
                // Randomised elsewhere: the design's assignment source enters the hash chain, checked.
                step("assign: importing the assignment list \(list.file) (randomised elsewhere)")
                var importList = try ImportAssignment.parse([design, "--store", storePath])
                try importList.run()
            } else if try trialStore.trial().headSeq == 0 {
                guard let cohort = d.sources.first(where: { $0.kind == .cohort }) else {
                    throw CommandFailure("\(design): the store holds no assignments and the design declares no cohort source to assign")
                }
                let cohortPath = RunSupport.resolve(cohort.file, designDirectory: directory)
                step("assign: randomising the cohort \(cohortPath) (\(d.randomisation.method.rawValue), seed \(d.randomisation.seed))")
                var assign = try Assign.parse(["--design", design, "--cohort", cohortPath, "--store", storePath])
                try assign.run()
            } else {
                step("assign: the store already holds \(try trialStore.trial().headSeq) assignment records")
            }

            // 3. Up to date?
            let manifest = try RunManifest.current(design: d, designData: data, designDirectory: directory, store: trialStore)
            let manifestPath = (folder as NSString).appendingPathComponent(RunManifest.fileName)
            if let previous = RunManifest.read(path: manifestPath), previous == manifest,
               RunManifest.outputs.allSatisfy({ FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }) {
                step("up to date: design, assignments and inputs unchanged since the last run (\(manifestPath))")
                print("up to date: \((folder as NSString).appendingPathComponent("report.html"))")
                return
            }
            if let previous = RunManifest.read(path: manifestPath) {
                step("changed since the last run: " + previous.differences(from: manifest).joined(separator: ", "))
            }

            // 4–6. Import, panel, estimate, report.
            let (panel, inputs) = try RunSupport.derivePanel(design: d, designPath: design, store: trialStore, replace: replace, progress: step)
            _ = try RunSupport.writePanel(panel, design: d, out: folder)
            step("panel written to \((folder as NSString).appendingPathComponent(RunSupport.panelFolder))")
            let result = try RunSupport.writeReport(design: d, designPath: design, designData: data, panel: panel, inputs: inputs,
                                                    out: folder, progress: step)
            if !result.warnings.isEmpty { step("estimation: \(result.warnings.count) notes (rows dropped listwise and the like); rct report lists them") }
            try manifest.write(path: manifestPath)
            step("report written: \(RunSupport.reportFiles.joined(separator: ", ")), manifest.json")
            print("report: \((folder as NSString).appendingPathComponent("report.html"))")
        }
    }

    static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return String(format: "%6.2fs", s)
    }
}

/// What a run's outputs were made from: `manifest.json` in the output folder.
struct RunManifest: Codable, Equatable {
    static let fileName = "manifest.json"
    static var outputs: [String] { RunSupport.reportFiles + ["panel/panel_wide.csv", fileName] }

    var software: String
    /// SHA-256 of the design file.
    var design: String
    /// The hash of the last record of the store's assignment chain, and the number of records.
    var assignmentHead: String
    var assignmentRecords: Int
    /// Input file (as the design names it) → SHA-256, for every source but the cohort (already assigned).
    var inputs: [String: String]

    static func current(design: Design, designData: Data, designDirectory: String, store: TrialStore) throws -> RunManifest {
        let trial = try store.trial()
        var inputs: [String: String] = [:]
        for source in design.sources where source.kind != .cohort {
            let path = RunSupport.resolve(source.file, designDirectory: designDirectory)
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw CommandFailure("\(path): cannot read source \(source.id); check sources[].file in the design")
            }
            inputs[source.id] = Fingerprint.sha256(bytes)
        }
        return RunManifest(software: softwareFingerprint(), design: Fingerprint.sha256(designData), assignmentHead: trial.headHash,
                           assignmentRecords: trial.headSeq, inputs: inputs)
    }

    /// The version and the SHA-256 of the running executable, so a rebuilt `rct` (another estimator or
    /// report layout) re-runs the analysis even when the version number did not change.
    static func softwareFingerprint() -> String {
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
        guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return "rct \(RCT.version)" }
        return "rct \(RCT.version), executable SHA-256 \(Fingerprint.sha256(bytes).prefix(16))"
    }

    static func read(path: String) -> RunManifest? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(RunManifest.self, from: data)
    }

    func write(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try StoreSupport.write(String(decoding: try encoder.encode(self), as: UTF8.self) + "\n", to: path)
    }

    /// What changed, for the progress line.
    func differences(from other: RunManifest) -> [String] {
        var out: [String] = []
        if software != other.software { out.append("software") }
        if design != other.design { out.append("design") }
        if assignmentHead != other.assignmentHead || assignmentRecords != other.assignmentRecords { out.append("assignments") }
        for key in Set(inputs.keys).union(other.inputs.keys).sorted() where inputs[key] != other.inputs[key] { out.append("source \(key)") }
        return out.isEmpty ? ["outputs missing"] : out
    }
}
