import Basics
import Foundation
import TrialDesign

/// The CONSORT counts, attrition and diagnostics as one JSON document (`consort.json`).
public struct ConsortReport: Sendable, Equatable, Codable {
    public var trial: String
    public var consort: ConsortCounts
    public var attrition: [WaveAttrition]
    public var diagnostics: PanelDiagnostics

    public init(_ panel: PanelData) {
        trial = panel.trialID
        consort = panel.consort
        attrition = panel.attrition
        diagnostics = panel.diagnostics
    }

    /// Pretty-printed JSON with sorted keys (stable across runs, so outputs can be compared).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

/// Writes the panel's files into a folder.
public enum PanelWriter {
    /// The files `write(_:design:to:)` writes, in order.
    public static let fileNames = ["panel_wide.csv", "panel_long.csv", "data_dictionary.md", "data_dictionary.csv", "consort.json"]

    /// Writes `panel_wide.csv`, `panel_long.csv`, `data_dictionary.md`, `data_dictionary.csv` and
    /// `consort.json` into `folder` (created when missing; existing files are replaced). Returns their paths.
    /// `csv: false` leaves out the two panel CSV files (the panel is wanted in other formats only), and
    /// their text is not made. `wide` is `PanelCSV.wide(panel)` when the caller has it already.
    @discardableResult
    public static func write(_ panel: PanelData, design: Design, to folder: URL, csv: Bool = true, wide: String? = nil) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let contents = [
            csv ? wide ?? PanelCSV.wide(panel) : "",
            csv ? PanelCSV.long(panel) : "",
            DataDictionary.markdown(design: design, panel: panel),
            DataDictionary.csv(design: design, panel: panel),
            try ConsortReport(panel).json(),
        ]
        var urls: [URL] = []
        for (name, text) in zip(fileNames, contents) where csv || !name.hasPrefix("panel_") {
            let url = folder.appendingPathComponent(name)
            // Masked as every output is (`NationalNumber.mask`: one pass over the bytes when no candidate).
            try Data(NationalNumber.mask(text).utf8).write(to: url, options: .atomic)
            urls.append(url)
        }
        return urls
    }
}
