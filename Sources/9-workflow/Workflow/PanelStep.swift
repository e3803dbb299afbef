import Basics
import Foundation
import Panel
import PanelExport
import StatFiles
import TrialData
import TrialDesign
import TrialStore

/// The panel step shared by `rct panel`, `rct report` and `rct run`: imports the design's extracts
/// (`ImportStep`: a file imported unchanged before is not read again; a changed file needs `replace`),
/// reads the panel's inputs back from the store (`PanelInputs`) and derives the analysis data set
/// (`Panel.derive`).
public enum PanelStep {
    /// The panel's sub-folder of an output folder: internal, never beside the publishable files.
    public static let folder = "\(OutputFolders.internal)/panel"

    public struct Outcome: Sendable {
        public var panel: PanelData
        /// The panel's inputs, without their registry records and survey responses (released once derived).
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
        // The records and responses are in the panel's cells now: released here, before the panel's files
        // are written, so that the writing's memory does not come on top of theirs (nothing after the
        // derivation reads them; the report reads the fingerprints and amendments).
        inputs.records = RecordTable()
        inputs.responses = []
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

    /// Writes the panel's files into `out/internal/panel/` (with `out/internal/NOTICE.md`): the data dictionary (naming each file written) and the
    /// CONSORT counts, and the panel in each of `formats` (`panel_wide.csv` and `panel_long.csv`,
    /// `panel.dta`, `panel.sav`). A panel file of a format not chosen is removed, so that none is left
    /// from an earlier run.
    @discardableResult
    public static func write(_ panel: PanelData, design: Design, out: String,
                             formats: [PanelFileFormat] = PanelFileFormat.allCases) throws -> [URL] {
        let dir = URL(fileURLWithPath: out).appendingPathComponent(folder)
        try OutputFolders.writeNotice(out: out)
        // The wide table's text once, for its file and for the statistical files (the same rows and values);
        // then the text files (with the long table's text) and the statistical files are written side by side.
        // (Making the long table's text beside the wide one's when there are no statistical files was
        // measured: 4–7 % faster, 33 MiB more at 100,000 families; not kept.)
        let csv = formats.contains(.csv)
        let wide = PanelCSV.wide(panel)
        var urls: [URL]
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let (textFiles, statFiles) = try SideBySide.run(
                { try PanelWriter.write(panel, design: design, to: dir, csv: csv, wide: wide) },
                { try PanelFiles.writeStatFiles(panel, design: design, formats: formats, to: dir, wide: wide) })
            urls = textFiles + statFiles
            let dictionary = dir.appendingPathComponent("data_dictionary.md")
            let text = try String(contentsOf: dictionary, encoding: .utf8) + PanelFiles.dictionarySection(panel, design: design, formats: formats)
            try Data(NationalNumber.mask(text).utf8).write(to: dictionary, options: .atomic)
        } catch let e as PanelExportError {
            throw WorkflowError.panel(e.description)
        } catch let e as StatFileError {
            throw WorkflowError.panel(e.description)
        }
        for f in PanelFileFormat.allCases where !formats.contains(f) {
            for name in f.files { try? FileManager.default.removeItem(at: dir.appendingPathComponent(name)) }
        }
        return urls
    }

    /// The panel files of `formats`, as paths under an output folder (`panel/panel.dta`, …).
    public static func files(_ formats: [PanelFileFormat]) -> [String] {
        formats.flatMap(\.files).map { "\(folder)/\($0)" }
    }
}
