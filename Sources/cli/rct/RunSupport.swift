import Basics
import Foundation
import Panel
import Analysis
import Reporting
import TrialDesign
import TrialStore

/// The steps shared by `rct panel`, `rct report` and `rct run`.
enum RunSupport {
    /// A path from the design relative to the design's folder (absolute paths as they are).
    static func resolve(_ file: String, designDirectory: String) -> String {
        file.hasPrefix("/") ? file : URL(fileURLWithPath: designDirectory).appendingPathComponent(file).standardizedFileURL.path
    }

    static func designDirectory(_ designPath: String) -> String {
        let folder = (designPath as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// `out/NAME` in the current directory, NAME the design file's name without extension.
    static func defaultOut(design path: String) -> String {
        "out/" + ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// The published files `writeReport` writes into the output folder, and the panel's sub-folder.
    static let reportFiles = ["effects.csv", "effects.md", "effects.tex", "report.html", "consort.svg", "forest.svg"]
    static let panelFolder = "panel"

    static func openStore(design: Design, designData: Data, designPath: String, store: String?) throws -> TrialStore {
        let path = store ?? StoreSupport.defaultStorePath(design: designPath)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("\(path): no trial store; create it with rct init \(designPath) (or run rct run \(designPath))")
        }
        let s = try TrialStore.open(path: path)
        try s.checkDesign(designData)
        return s
    }

    /// Reads the inputs and derives the panel.
    static func derivePanel(design: Design, designPath: String, store: TrialStore, replace: Bool = false,
                            progress: (String) -> Void) throws -> (PanelData, RunInputs) {
        let inputs = try RunInputs.load(design: design, designPath: designPath, store: store, replace: replace, progress: progress)
        let panel: PanelData
        do {
            panel = try Panel.derive(design: design, units: inputs.units, records: inputs.records, responses: inputs.responses,
                                     exits: inputs.exits, options: PanelOptions(screening: inputs.screening))
        } catch let error as PanelError {
            throw CommandFailure("panel: \(error)")
        }
        progress("panel: \(panel.rows.count) rows (\(inputs.units.count) families × \(design.waves.count) waves), \(panel.outcomeIDs.count) outcomes")
        return (panel, inputs)
    }

    static func writePanel(_ panel: PanelData, design: Design, out: String) throws -> [URL] {
        try PanelWriter.write(panel, design: design, to: URL(fileURLWithPath: out).appendingPathComponent(panelFolder))
    }

    /// Estimates and writes the published outputs (small cells suppressed per the design).
    static func writeReport(design: Design, designPath: String, designData: Data, panel: PanelData, inputs: RunInputs,
                            out: String, progress: (String) -> Void) throws -> AnalysisResult {
        let provenance = Provenance(
            software: "rct \(RCT.version)", designFile: designPath, designFingerprint: Fingerprint.sha256(designData),
            dataFingerprints: inputs.fingerprints.map { Labelled(id: $0.source, label: $0.sha256) }, seeds: [],
            generatedOn: today())
        let result: AnalysisResult
        do {
            result = try TrialAnalysis.analyse(design: design, panel: panel, provenance: provenance, progress: progress)
        } catch let error as AnalysisError {
            throw CommandFailure("report: \(error.description)")
        }
        let content = result.content
        let policy = content.policy
        var files: [(String, String)] = [
            ("effects.csv", EffectTableWriter.csv(content.effects, policy: policy)),
            ("effects.md", "# \(design.trial.title)\n\n" + EffectTableWriter.markdown(content.effects, policy: policy)),
            ("effects.tex", EffectTableWriter.latex(content.effects, policy: policy)),
            ("report.html", HTMLReport.render(content)),
            ("forest.svg", ForestPlot.svg(content.effects, policy: policy)),
        ]
        if let consort = content.consort { files.append(("consort.svg", ConsortDiagram.svg(consort, policy: policy))) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (name, text) in files {
            try StoreSupport.write(text, to: (out as NSString).appendingPathComponent(name))
        }
        return result
    }

    /// Today's date (UTC), YYYY-MM-DD.
    static func today() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }
}
