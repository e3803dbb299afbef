import ArgumentParser
import Foundation
import Workflow

/// `rct panel DESIGN`: the analysis data set from the trial store and the design's sources.
struct PanelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "panel",
        abstract: "Derive the analysis panel (one row per family × wave) and write it with its data dictionary.",
        discussion: """
            Reads the assigned families from the trial store, imports the design's registry extracts and surveys, \
            reads the take_up register, and writes panel_wide.csv, panel_long.csv, panel.dta (Stata), panel.sav \
            (SPSS), data_dictionary.md/.csv and consort.json into OUT/internal/panel/ (see docs/panel.md); \
            --formats chooses among csv, dta and sav. The panel holds unit-level data and raw counts: it is for \
            analysts, not for publication (OUT/internal/NOTICE.md says so).
            """)

    @OptionGroup var trial: TrialOptions
    @Option(help: "The output folder (default: out/NAME).") var out: String?
    @OptionGroup var replacing: ReplaceOption
    @OptionGroup var panelFormats: PanelFormatsOption

    func run() throws {
        try reportingFailures {
            let file = try trial.loadDesign("panel")
            let store = try TrialStoreAccess.open(file, store: trial.store)
            let step = try PanelStep.run(file, store: store, importOptions: replacing.importOptions(), progress: { printError($0) },
                                         warning: { printError("warning: \($0)") })
            let folder = out ?? file.defaultOutput
            let urls = try PanelStep.write(step.panel, design: file.design, out: folder, formats: try panelFormats.chosen())
            print("panel written to \((folder as NSString).appendingPathComponent(PanelStep.folder)) (\(urls.map(\.lastPathComponent).joined(separator: ", ")))")
        }
    }
}
