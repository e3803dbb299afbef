import ArgumentParser
import Foundation

/// `rct panel DESIGN`: the analysis data set from the trial store and the design's sources.
struct PanelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "panel",
        abstract: "Derive the analysis panel (one row per family × wave) and write it with its data dictionary.",
        discussion: """
            Reads the assigned families from the trial store, imports the design's registry extracts and surveys, \
            reads the take_up register, and writes panel_wide.csv, panel_long.csv, data_dictionary.md/.csv and \
            consort.json into OUT/panel/ (see docs/panel.md). The panel holds unit-level data: it is for analysts, \
            not for publication.
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
            let (panel, _) = try RunSupport.derivePanel(design: d, designPath: design, store: s, replace: replace, progress: { printError($0) })
            let folder = out ?? RunSupport.defaultOut(design: design)
            let urls = try RunSupport.writePanel(panel, design: d, out: folder)
            print("panel written to \((folder as NSString).appendingPathComponent(RunSupport.panelFolder)) (\(urls.map(\.lastPathComponent).joined(separator: ", ")))")
        }
    }
}
