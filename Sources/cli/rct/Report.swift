import ArgumentParser
import Foundation
import Workflow

/// `rct report DESIGN`: effects, tables, figures and the HTML report.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate every outcome × wave with the design's analysis and write the effect tables, figures and HTML report.",
        discussion: """
            Derives the panel (as rct panel), estimates the design's pre-specified analysis (module Analysis: \
            estimator, variance, strata, covariates, take-up, randomization inference, family corrections) and \
            writes effects.csv, effects.md, effects.tex, report.html, consort.svg, forest.svg, one means-FAMILY.svg \
            per family and counts.json into OUT/publish/, in the design's publication.language, with cells below \
            publication.small_cell_threshold suppressed and no suppressed count recoverable from the others by adding \
            or subtracting (check with rct disclosure-check OUT/publish). --names broom gives effects.csv R's broom / \
            estimatr column names. See docs/reporting.md.
            """)

    @OptionGroup var trial: TrialOptions
    @Option(help: "The output folder (default: out/NAME).") var out: String?
    @OptionGroup var replacing: ReplaceOption
    @OptionGroup var naming: NamesOption
    @Flag(help: "Also print report.pdf (A4, page numbers) from report.html with headless chromium (apt-get install chromium).")
    var pdf = false

    func run() throws {
        try reportingFailures {
            let file = try trial.loadDesign("report")
            let store = try TrialStoreAccess.open(file, store: trial.store)
            let progress: (String) -> Void = { printError($0) }
            let step = try PanelStep.run(file, store: store, importOptions: replacing.importOptions(), progress: progress,
                                         warning: { printError("warning: \($0)") })
            let folder = out ?? file.defaultOutput
            let result = try ReportStep.run(file, panel: step.panel, inputs: step.inputs, out: folder, software: RCT.program,
                                            names: naming.names, progress: progress)
            for w in result.warnings { printError("warning: \(w)") }
            let report = ReportStep.reportPath(out: folder)
            print("report written to \(report)")
            if pdf { print("PDF written to \(try Self.printPDF(report))") }
            if !result.unestimablePrimary.isEmpty {
                throw WorkflowError.primaryNotEstimated(report: report, reasons: result.unestimablePrimary)
            }
        }
    }

    /// `report.pdf` beside `report.html` (`PDFPrint`); its path.
    static func printPDF(_ report: String) throws -> String {
        let pdf = ((report as NSString).deletingLastPathComponent as NSString).appendingPathComponent("report.pdf")
        printError("pdf: printing \(report) with headless chromium")
        try PDFPrint.print(html: report, to: pdf)
        return pdf
    }
}
