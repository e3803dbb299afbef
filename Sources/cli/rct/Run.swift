import ArgumentParser
import Foundation
import Workflow

/// `rct run DESIGN`: the whole pipeline, re-running only when an input changed.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole evaluation: init → assign (or import-assignment) → import → panel → estimate → report.",
        discussion: """
            Creates the trial store beside the design when missing, assigns the cohort (the design's cohort \
            source) when the store holds no assignments — or, when the design declares an assignment source \
            (a trial randomised elsewhere), imports that list with the checks of rct import-assignment —, imports \
            the extracts and surveys, derives the panel, estimates the pre-specified analysis and writes the \
            report into OUT (default out/NAME): the publishable effects.csv, effects.md, effects.tex, report.html, \
            consort.svg, forest.svg and counts.json into OUT/publish/ (small cells suppressed; rct disclosure-check \
            audits it), the panel (CSV, Stata and SPSS; --formats chooses) with consort.json and the rejected rows \
            into OUT/internal/ (not for publication), and manifest.json. The manifest records the fingerprints of the design, the \
            assignment chain head and every input file; when none changed and every output is there, the run \
            says "up to date" and does nothing. Progress goes to standard error. See docs/reporting.md.
            """)

    @OptionGroup var trial: TrialOptions
    @Option(help: "The output folder (default: out/NAME).") var out: String?
    @OptionGroup var replacing: ReplaceOption
    @OptionGroup var panelFormats: PanelFormatsOption
    @OptionGroup var naming: NamesOption
    @Flag(help: "Also print report.pdf (A4, page numbers) from report.html with headless chromium (apt-get install chromium).")
    var pdf = false

    func run() throws {
        try reportingFailures {
            let clock = ContinuousClock()
            let started = clock.now
            let file = try trial.loadDesign("run")
            let messages = TrialRun.Messages(
                output: { print($0) },
                progress: { printError("[\(Self.seconds(clock.now - started))] \($0)") },
                warning: { printError("warning: \($0)") })
            var options = TrialRun.Options(store: trial.store, out: out, importOptions: replacing.importOptions(), program: RCT.program)
            options.panelFormats = try panelFormats.chosen()
            options.names = naming.names
            let outcome = try TrialRun.run(file, options: options, messages: messages)
            let report: String
            switch outcome {
            case let .upToDate(r):
                print("up to date: \(r)")
                report = r
            case let .written(r, _):
                print("report: \(r)")
                report = r
            }
            if pdf {
                // Printed again only when report.html changed since the last print (`ReportPDF`).
                let manifest = ((out ?? file.defaultOutput) as NSString).appendingPathComponent(RunManifest.fileName)
                switch try ReportPDF.refresh(report: report, manifest: manifest, print: { html, pdf in
                    printError("pdf: printing \(html) with headless chromium")
                    try PDFPrint.print(html: html, to: pdf)
                }) {
                case let .printed(path): print("PDF: \(path)")
                case let .upToDate(path): print("PDF up to date: \(path) (printed from the same report.html)")
                }
            }
        }
    }

    static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return String(format: "%6.2fs", s)
    }
}
