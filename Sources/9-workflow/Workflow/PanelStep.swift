import Basics
import Foundation
import Panel
import TrialDesign
import TrialStore

/// The panel step shared by `rct panel`, `rct report` and `rct run`: imports the design's extracts
/// (`ImportStep`: a file imported unchanged before is not read again; a changed file needs `replace`),
/// reads the panel's inputs back from the store (`PanelInputs`) and derives the analysis data set
/// (`Panel.derive`).
public enum PanelStep {
    /// The panel's sub-folder of an output folder.
    public static let folder = "panel"

    public struct Outcome: Sendable {
        public var panel: PanelData
        public var inputs: PanelInputs
        public var imports: [ImportOutcome]
    }

    public static func run(_ file: DesignFile, store: TrialStore, importOptions: ImportStep.Options = .init(),
                           progress: (String) -> Void, warning: (String) -> Void) throws -> Outcome {
        let design = file.design
        var imports: [ImportOutcome] = []
        var notes: [String] = []
        if design.sources.contains(where: \.kind.isExtract) {
            imports = try ImportStep.run(file, store: store, options: importOptions, progress: progress)
            for o in imports {
                let s = o.stored
                let line = "import \(o.source): \(o.status.rawValue), \(s.rowsRead) rows read, \(s.rowsAccepted) accepted, \(s.rowsRejected) rejected"
                notes.append(line)
                progress(line)
            }
        }
        var inputs = try PanelInputs.read(file, store: store, progress: progress)
        inputs.notes = notes + inputs.notes
        let panel: PanelData
        do {
            panel = try Panel.derive(design: design, units: inputs.units, records: inputs.records, responses: inputs.responses,
                                     exits: inputs.exits, options: PanelOptions(dataThrough: dataThrough(design), screening: inputs.screening))
        } catch let error as PanelError {
            throw WorkflowError.panel("\(error)")
        }
        for w in panel.diagnostics.windowsPastData ?? [] { warning(w.description) }
        progress("panel: \(panel.rows.count) rows (\(inputs.units.count) families × \(design.waves.count) waves), \(panel.outcomeIDs.count) outcomes")
        return Outcome(panel: panel, inputs: inputs, imports: imports)
    }

    /// The sources that declare `data_through:`, with that day.
    static func dataThrough(_ design: Design) -> [String: CalendarDate] {
        var out: [String: CalendarDate] = [:]
        for s in design.sources { if let d = s.dataThrough { out[s.id] = d } }
        return out
    }

    /// Writes the panel's files into `out/panel/`.
    @discardableResult
    public static func write(_ panel: PanelData, design: Design, out: String) throws -> [URL] {
        try PanelWriter.write(panel, design: design, to: URL(fileURLWithPath: out).appendingPathComponent(folder))
    }
}
