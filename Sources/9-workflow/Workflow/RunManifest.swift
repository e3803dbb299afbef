import Basics
import Foundation
import TrialDesign
import TrialStore

/// What a run's outputs were made from: `manifest.json` in the output folder. A run whose manifest
/// equals the current one, with every output present, is up to date.
public struct RunManifest: Codable, Equatable, Sendable {
    public static let fileName = "manifest.json"
    /// The files a complete run leaves in its output folder.
    public static var outputs: [String] {
        ReportStep.files.map { "\(OutputFolders.publish)/\($0)" } + ["\(PanelStep.folder)/panel_wide.csv", fileName]
    }

    public var software: String
    /// SHA-256 of the design file.
    public var design: String
    /// The hash of the last record of the store's assignment chain, and the number of records.
    public var assignmentHead: String
    public var assignmentRecords: Int
    /// Input file (as the design names it) → SHA-256, for every source but the cohort (already assigned).
    public var inputs: [String: String]
    /// The last `report.pdf` printed by `rct run --pdf` and the `report.html` it was printed from (nil
    /// before the first): not a fingerprint of the run's inputs, so carried from one manifest to the next.
    public var pdf: PrintedPDF?

    /// SHA-256 of `report.html` and of the `report.pdf` printed from it.
    public struct PrintedPDF: Codable, Equatable, Sendable {
        public var html: String
        public var pdf: String
        public init(html: String, pdf: String) {
            self.html = html
            self.pdf = pdf
        }
    }

    /// The manifest of the design's current inputs, with the fingerprints by resolved path (so the
    /// import step need not read the files again). Files are read in chunks: memory stays flat.
    public static func current(_ file: DesignFile, store: TrialStore, software: String) throws -> (RunManifest, byPath: [String: String]) {
        let trial = try store.trial()
        var inputs: [String: String] = [:], byPath: [String: String] = [:]
        for source in file.design.sources where source.kind != .cohort {
            let path = file.path(of: source)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw WorkflowError.unreadableInput(path: path, source: source.id)
            }
            let sha = try Fingerprint.sha256(file: path)
            inputs[source.id] = sha
            byPath[path] = sha
        }
        let manifest = RunManifest(software: software, design: file.fingerprint, assignmentHead: trial.headHash,
                                   assignmentRecords: trial.headSeq, inputs: inputs)
        return (manifest, byPath)
    }

    /// The program's version and the SHA-256 of the running executable, so a rebuilt `rct` (another
    /// estimator or report layout) re-runs the analysis even when the version number did not change.
    public static func softwareFingerprint(program: String) -> String {
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
        guard let sha = try? Fingerprint.sha256(file: path) else { return program }
        return "\(program), executable SHA-256 \(sha.prefix(16))"
    }

    public static func read(path: String) -> RunManifest? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(RunManifest.self, from: data)
    }

    public func write(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try OutputFile.write(String(decoding: try encoder.encode(self), as: UTF8.self) + "\n", to: path)
    }

    /// What changed, for the progress line.
    public func differences(from other: RunManifest) -> [String] {
        var out: [String] = []
        if software != other.software { out.append("software") }
        if design != other.design { out.append("design") }
        if assignmentHead != other.assignmentHead || assignmentRecords != other.assignmentRecords { out.append("assignments") }
        for key in Set(inputs.keys).union(other.inputs.keys).sorted() where inputs[key] != other.inputs[key] { out.append("source \(key)") }
        return out.isEmpty ? ["outputs missing"] : out
    }
}
