import Analysis
import Foundation
import Panel
import Reporting
import TrialDesign

/// The report step shared by `rct report` and `rct run`: estimates the design's pre-specified analysis
/// on the panel (`TrialAnalysis`) and writes the published files into `out/publish/`, small cells
/// suppressed per the design (primary and secondary: `SmallCellPolicy.disclose`, one set of counts for
/// every file).
public enum ReportStep {
    /// The published files written into `out/publish/` (and `sensitivity.csv`, the sensitivity
    /// table's tidy rows, when the design names sensitivity analyses).
    public static let files = ["effects.csv", "effects.md", "effects.tex", "report.html", "consort.svg", "forest.svg", "counts.json"]

    /// The report's path under an output folder: `out/publish/report.html`.
    public static func reportPath(out: String) -> String {
        (OutputFolders.publish(out) as NSString).appendingPathComponent("report.html")
    }

    /// Estimates and writes the published outputs into `out/publish/`. `software` names the program in the
    /// report's provenance (e.g. `rct 0.1.0`); `generatedOn` is the report's date (YYYY-MM-DD); `names` the
    /// column names of `effects.csv` (the project's, or broom's with `--names broom`).
    public static func run(_ file: DesignFile, panel: PanelData, inputs: PanelInputs, out: String, software: String,
                           generatedOn: String = ReportStep.today(), names: CSVNames = .rct,
                           progress: (String) -> Void) throws -> AnalysisResult {
        let design = file.design
        let provenance = Provenance(
            software: software, designFile: file.path, designFingerprint: file.fingerprint,
            dataFingerprints: inputs.fingerprints.map { Labelled(id: $0.source, label: $0.sha256) }, seeds: [],
            generatedOn: generatedOn)
        let result: AnalysisResult
        do {
            result = try TrialAnalysis.analyse(design: design, panel: panel, provenance: provenance, progress: progress)
        } catch let error as AnalysisError {
            throw WorkflowError.report(error.description)
        }
        var content = result.content
        content.amendments = inputs.amendments.map {
            PlanAmendment(date: String($0.recordedAt.prefix(10)), changes: $0.changes.map(\.summary), reason: $0.reason,
                          author: $0.author, afterOutcomeData: $0.outcomeData, afterAssignments: $0.assignments)
        }
        let policy = content.policy
        let catalogue = content.language.catalogue
        // One set of counts for every file; the effects of suppressed small cells withheld.
        content.effects = policy.publishable(content.effects)
        let counts = policy.disclose(content)
        var files: [(String, String)] = [
            ("effects.csv", EffectTableWriter.csv(content.effects, policy: policy, counts: counts, names: names)),
            ("effects.md", "# \(design.trial.title)\n\n" + EffectTableWriter.markdown(content.effects, policy: policy, counts: counts, catalogue: catalogue)
                + planChangesMarkdown(content)),
            ("effects.tex", EffectTableWriter.latex(content.effects, policy: policy, counts: counts, catalogue: catalogue)),
            ("report.html", HTMLReport.render(content)),
            ("forest.svg", ForestPlot.svg(content.effects, policy: policy, catalogue: catalogue)),
        ]
        // The picture beside each family's table, also as a file of its own.
        for family in content.effects.families {
            if let svg = MeansPlot.svg(content.effects, family: family.id, policy: policy, catalogue: catalogue) {
                files.append(("means-\(family.id).svg", svg))
            }
        }
        if let consort = content.consort { files.append(("consort.svg", ConsortDiagram.svg(consort, counts: counts, labels: catalogue.consort))) }
        files.append(("counts.json", try counts.published.json()))
        if let sensitivity = content.sensitivity {
            files[1].1 += SensitivityTableWriter.markdown(sensitivity, catalogue: catalogue)
            files.append(("sensitivity.csv", SensitivityTableWriter.csv(sensitivity)))
        }
        let folder = OutputFolders.publish(out)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try OutputFile.write(text, to: (folder as NSString).appendingPathComponent(name))
        }
        return result
    }

    /// Whether the `effects.csv` in `out` has the column names of `names` (a run asked for other names
    /// than the last one is not up to date).
    public static func effectsCSVHasNames(_ names: CSVNames, in out: String) -> Bool {
        let path = (OutputFolders.publish(out) as NSString).appendingPathComponent("effects.csv")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let first = text.split(separator: "\n").first else { return false }
        let empty = EffectTable(families: [], waves: [], outcomes: [], level: 0.95)
        return EffectTableWriter.csv(empty, policy: .none, names: names).hasPrefix(first + "\n")
    }

    /// "Changes to the pre-specified plan" for effects.md: the amendments and deviations, or nothing.
    static func planChangesMarkdown(_ content: ReportContent) -> String {
        guard !content.amendments.isEmpty || !content.deviations.isEmpty else { return "" }
        let c = content.language.catalogue
        var text = "\n## \(c.planChanges)\n\n"
        for a in content.amendments { text += "- \(c.methods.amendmentWord) \(a.sentence(c.methods))\n" }
        for d in content.deviations { text += "- \(c.methods.deviationWord): \(d)\n" }
        return text
    }

    /// Today's date (UTC), YYYY-MM-DD.
    public static func today() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }
}
