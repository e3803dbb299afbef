import Foundation
import Identifiers
import Ingest
import Panel
import Records
import Tabular
import TrialDesign
import TrialStore

/// The inputs of the panel step, read from the trial store and the design's sources.
struct RunInputs {
    var units: [AssignedUnit]
    var records: [RegistryRecord]
    var responses: [SurveyResponse]
    var screening: Screening?
    /// Source id → SHA-256 of the file read (for the report's provenance).
    var fingerprints: [(source: String, sha256: String)]
    /// One line per imported source (rows read, accepted, rejected).
    var notes: [String]

    /// Reads the assigned units and screening counts from the store, imports every extract and survey
    /// of the design in memory, and fills the take-up column from the design's `take_up` source.
    ///
    /// Until the store holds imports, this is the ONLY place that imports: every registry and survey
    /// source is read with `Ingest.importSource`, its rows linked to the store's assigned units. When
    /// `ImportStep` and the store's import tables are merged, the lead swaps the loop below for
    /// `ImportStep.run(...)` + `store.registryRecords(source:)` / `store.surveyResponses(source:)` /
    /// `store.importSummaries()`; the take-up step and the screening counts stay.
    static func load(design: Design, designPath: String, store: TrialStore,
                     progress: (String) -> Void = { _ in }) throws -> RunInputs {
        var units = try store.assignedUnits()
        guard !units.isEmpty else {
            throw CommandFailure("\(store.path): the store holds no assignments yet; run rct assign --design \(designPath) --cohort FILE first")
        }
        let folder = (designPath as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        var pseudonymizer: Pseudonymizer?
        if design.sources.contains(where: { $0.identifierType == .insz }) || design.trial.linkColumn != nil {
            pseudonymizer = try StoreSupport.pseudonymizer(design: design, designPath: designPath)
        }
        var records: [RegistryRecord] = [], responses: [SurveyResponse] = []
        var fingerprints: [(String, String)] = [], notes: [String] = []
        for source in design.sources where ![.cohort, .assignment, .takeUp].contains(source.kind) {
            let result: ImportResult
            do {
                result = try Ingest.importSource(source, design: design, designDirectory: directory, pseudonymizer: pseudonymizer,
                                                 knownParticipants: Ingest.participants(units, for: source))
            } catch let error as ImportError {
                throw CommandFailure("source \(source.id) (\(source.file)): \(error.description)")
            }
            records += result.registryRecords
            responses += result.surveyResponses
            fingerprints.append((source.id, result.fingerprint))
            let line = "import \(source.id): \(result.rowsRead) rows read, \(result.registryRecords.count + result.surveyResponses.count) accepted, \(result.rejections.count) rejected"
            notes.append(line)
            progress(line)
        }
        if let takeUp = design.sources.first(where: { $0.kind == .takeUp }), let column = design.analysis.takeUp?.column {
            let path = RunSupport.resolve(takeUp.file, designDirectory: directory)
            let register = try TakeUpRegister.read(path: path, source: takeUp, column: column)
            for i in units.indices { if let v = register.values[units[i].id] { units[i].attributes[column] = v } }
            fingerprints.append((takeUp.id, register.sha256))
            progress("take-up \(takeUp.id): \(register.values.count) families in the register")
        }
        let counts = try store.screeningCounts()
        var excluded: [String: Int] = [:]
        for e in counts.excluded { excluded[e.rule.isEmpty ? e.reason : e.rule, default: 0] += e.count }
        let screening = counts.screened > 0 ? Screening(screened: counts.screened, excluded: excluded) : nil
        return RunInputs(units: units, records: records, responses: responses, screening: screening,
                         fingerprints: fingerprints, notes: notes)
    }
}

/// The design's `take_up` source: a delimited file with the identifier column and the take-up column
/// (`analysis.take_up.column`) holding 1 or 0 (docs/design-format.md).
enum TakeUpRegister {
    static func read(path: String, source: Source, column: String) throws -> (values: [String: String], sha256: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("\(path): cannot read the take_up source \(source.id); check sources[].file in the design")
        }
        let separator: Character = source.dialect.separator == "tab" ? "\t" : Character(source.dialect.separator)
        let table: Table
        do { table = try DelimitedReader(separator: separator).read(path: path) } catch let error as TableError {
            throw CommandFailure("\(path): \(error)")
        }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let idIndex = header.firstIndex(of: source.identifierColumn) else {
            throw CommandFailure("\(path): the identifier column \"\(source.identifierColumn)\" of source \(source.id) is not in the header (\(header.joined(separator: ", ")))")
        }
        guard let valueIndex = header.firstIndex(of: column) else {
            throw CommandFailure("\(path): the take-up column \"\(column)\" (analysis.take_up.column) is not in the header (\(header.joined(separator: ", ")))")
        }
        var values: [String: String] = [:]
        for (row, line) in zip(table.rows, table.lines) {
            let id = idIndex < row.count ? row[idIndex].trimmingCharacters(in: .whitespaces) : ""
            let v = valueIndex < row.count ? row[valueIndex].trimmingCharacters(in: .whitespaces) : ""
            guard !id.isEmpty else { throw CommandFailure("\(path):\(line): the identifier \(source.identifierColumn) is empty") }
            guard v.isEmpty || v == "0" || v == "1" else {
                throw CommandFailure("\(path):\(line): column \(column): \"\(v)\" is not 1 (received) or 0 (not received)")
            }
            if !v.isEmpty { values[id] = v }
        }
        return (values, HashChain.hexSHA256(data))
    }
}
