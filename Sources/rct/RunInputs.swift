import Foundation
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
    /// Families that left a registry's scope, from the design's `scope_exit` sources (their stored
    /// records, keyed by study id); they censor registry outcomes in the panel.
    var exits: [ScopeExit] = []
    var screening: Screening?
    /// Source id → SHA-256 of the file read (for the report's provenance).
    var fingerprints: [(source: String, sha256: String)]
    /// One line per imported source (rows read, accepted, rejected).
    var notes: [String]

    /// Reads the assigned units and screening counts from the store, imports every extract and survey
    /// of the design into the store (`ImportStep`, the same step as `rct import`: a file already
    /// imported unchanged is not read again; a changed file needs `replace`), reads the active imports
    /// back from the store, turns the records of `scope_exit` sources into `ScopeExit` values, and fills
    /// the take-up column from the design's `take_up` source.
    static func load(design: Design, designPath: String, store: TrialStore, replace: Bool = false,
                     progress: (String) -> Void = { _ in }) throws -> RunInputs {
        var units = try store.assignedUnits()
        guard !units.isEmpty else {
            throw CommandFailure("\(store.path): the store holds no assignments yet; run \(StoreSupport.howToAssign(design: design, designPath: designPath, storePath: store.path)) first")
        }
        let folder = (designPath as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        var fingerprints: [(String, String)] = [], notes: [String] = []
        if design.sources.contains(where: { ![.cohort, .assignment, .takeUp].contains($0.kind) }) {
            let outcomes = try ImportStep.run(design: design, designPath: designPath, store: store, replace: replace, progress: progress)
            for o in outcomes {
                let s = o.stored
                let line = "import \(o.source): \(o.status.rawValue), \(s.rowsRead) rows read, \(s.rowsAccepted) accepted, \(s.rowsRejected) rejected"
                notes.append(line)
                progress(line)
            }
        }
        for s in try store.importSummaries() { fingerprints.append((s.source, s.fingerprint)) }
        let (records, exits) = scopeExits(design: design, units: units, records: try store.registryRecords())
        if !exits.isEmpty {
            let reasons = Dictionary(grouping: exits, by: \.reason).map { "\($0.value.count) \($0.key)" }.sorted()
            progress("scope exits: \(exits.count) (\(reasons.joined(separator: ", "))); registry outcomes censored from the exit date")
        }
        let responses = try store.surveyResponses()
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
        return RunInputs(units: units, records: records, responses: responses, exits: exits, screening: screening,
                         fingerprints: fingerprints, notes: notes)
    }

    /// Splits the stored registry records: those of the design's `scope_exit` sources become `ScopeExit`
    /// values (participant = the unit's study id, found through `AssignedUnit.registryKey`, or the key
    /// itself when the register is kept by study code; date = the
    /// record's start; reason = its `reason` attribute), the rest stay registry records. A record whose
    /// key matches no unit keeps its key, and the panel counts it as an unlinked exit.
    static func scopeExits(design: Design, units: [AssignedUnit], records: [RegistryRecord]) -> ([RegistryRecord], [ScopeExit]) {
        let exitSources = Set(design.sources.filter { $0.kind == .scopeExit }.map(\.id))
        guard !exitSources.isEmpty else { return (records, []) }
        var idOf = Dictionary(units.map { ($0.registryKey, $0.id) }, uniquingKeysWith: { a, _ in a })
        for u in units where idOf[u.id] == nil { idOf[u.id] = u.id }
        var kept: [RegistryRecord] = [], exits: [ScopeExit] = []
        for r in records {
            if exitSources.contains(r.source) {
                exits.append(ScopeExit(participant: idOf[r.participant] ?? r.participant, date: r.start,
                                       reason: r.attributes["reason"] ?? "other"))
            } else {
                kept.append(r)
            }
        }
        return (kept, exits)
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
