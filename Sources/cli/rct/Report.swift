import ArgumentParser
import Foundation

/// `rct report DESIGN`: effects, tables, figures and the HTML report.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate every outcome × wave with the design's analysis and write the effect tables, figures and HTML report.",
        discussion: """
            Derives the panel (as rct panel), estimates the design's pre-specified analysis (module Pipeline: \
            estimator, variance, strata, covariates, take-up, randomization inference, family corrections) and \
            writes effects.csv, effects.md, effects.tex, report.html, consort.svg and forest.svg into OUT, with \
            cells below publication.small_cell_threshold suppressed. See docs/reporting.md.
            """)

    @Argument(help: "The design file, e.g. designs/mission-kortrijk.yaml.") var design: String
    @Option(help: "The trial store (default: beside the design, NAME.sqlite).") var store: String?
    @Option(help: "The output folder (default: out/NAME).") var out: String?
    @Flag(help: "Replace the stored import of a source whose file changed (a corrected extract); without it a changed file stops.")
    var replace = false

    func run() throws {
        try StoreSupport.reporting {
            let (d, data) = try StoreSupport.loadDesign(design)
            let s = try RunSupport.openStore(design: d, designData: data, designPath: design, store: store)
            let progress: (String) -> Void = { printError($0) }
            let (panel, inputs) = try RunSupport.derivePanel(design: d, designPath: design, store: s, replace: replace, progress: progress)
            let folder = out ?? RunSupport.defaultOut(design: design)
            let result = try RunSupport.writeReport(design: d, designPath: design, designData: data, panel: panel, inputs: inputs,
                                                    out: folder, progress: progress)
            for w in result.warnings { printError("warning: \(w)") }
            print("report written to \((folder as NSString).appendingPathComponent("report.html"))")
        }
    }
}
