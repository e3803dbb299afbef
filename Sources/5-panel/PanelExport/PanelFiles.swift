import Foundation
import Panel
import StatFiles
import TrialDesign

/// The formats the panel is written in (`rct panel --formats csv,dta,sav`).
public enum PanelFileFormat: String, Sendable, CaseIterable, Equatable, Hashable {
    /// `panel_wide.csv` and `panel_long.csv`.
    case csv
    /// `panel.dta`: Stata 14 and later (release 118).
    case dta
    /// `panel.sav`: SPSS.
    case sav

    /// The files of the format in the panel's folder.
    public var files: [String] {
        switch self {
        case .csv: return ["panel_wide.csv", "panel_long.csv"]
        case .dta: return ["panel.dta"]
        case .sav: return ["panel.sav"]
        }
    }

    var statFormat: StatFileFormat? {
        switch self {
        case .csv: return nil
        case .dta: return .stata
        case .sav: return .spss
        }
    }
}

/// Writes `panel.dta` and `panel.sav` beside the CSV files, and the section of the data dictionary that
/// names every file.
public enum PanelFiles {
    /// Writes the Stata and SPSS files among `formats` into `folder` (which exists) and returns their
    /// paths. They hold the rows and values of the wide file: `wide` is `PanelCSV.wide(panel)` when the
    /// caller has it already.
    /// - Throws: `PanelExportError`, `StatFileError` (naming the file).
    @discardableResult
    public static func writeStatFiles(_ panel: PanelData, design: Design, formats: [PanelFileFormat], to folder: URL,
                                      wide: String? = nil) throws -> [URL] {
        var urls: [URL] = []
        guard formats.contains(where: { $0.statFormat != nil }) else { return urls }
        let scan = try PanelStatTable.Scan(wide: Array((wide ?? PanelCSV.wide(panel)).utf8), panel: panel, design: design)
        for f in formats {
            guard let format = f.statFormat else { continue }
            let url = folder.appendingPathComponent(f.files[0])
            try StatFileWriter.write(try PanelStatTable.table(scan, design: design, format: format), as: format, to: url.path)
            urls.append(url)
        }
        return urls
    }

    /// The data dictionary's section that names each file written (Markdown), with the columns renamed
    /// in a file.
    public static func dictionarySection(_ panel: PanelData, design: Design, formats: [PanelFileFormat]) -> String {
        var out = "\n## Files\n\n| file | contents |\n|---|---|\n"
        if formats.contains(.csv) {
            out += "| `panel_wide.csv` | the columns above, one row per unit × wave (CSV, UTF-8) |\n"
            out += "| `panel_long.csv` | one row per unit × wave × outcome measured at that wave |\n"
        }
        for (f, name) in [(PanelFileFormat.dta, "Stata 14 or later (release 118, UTF-8)"), (.sav, "SPSS (uncompressed, UTF-8)")]
            where formats.contains(f) {
            let renamed = PanelStatTable.names(panel, design: design, format: f.statFormat!)
            out += "| `\(f.files[0])` | the rows and values of the wide file, \(name), written through \(ReadStatLibrary.name): "
                + "variable labels from this dictionary; value labels for `arm` (control 0), `wave` (months after assignment), "
                + "subgroup columns and 0/1 columns; dates as dates"
                + (renamed.isEmpty ? "" : "; renamed: " + renamed.map { "`\($0.column)` is `\($0.name)`" }.joined(separator: ", "))
                + " |\n"
        }
        out += "| `data_dictionary.md`, `data_dictionary.csv` | this dictionary |\n"
        out += "| `consort.json` | CONSORT counts, attrition and diagnostics |\n"
        return out
    }
}
