import Foundation
import Basics
import Ingest
import Panel
import TrialData
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
            let register = try TakeUpRegister.read(path: path, source: takeUp, column: column) {
                try StoreSupport.pseudonymizer(design: design, designPath: designPath)
            }
            var matched = 0
            for i in units.indices {
                if let v = register.values[register.byLinkKey ? units[i].registryKey : units[i].id] {
                    units[i].attributes[column] = v
                    matched += 1
                }
            }
            fingerprints.append((takeUp.id, register.sha256))
            progress("take-up \(takeUp.id): \(register.values.count) families in the register")
            if matched < register.values.count {
                let line = "take-up \(takeUp.id): \(register.values.count - matched) of the register's \(register.values.count) identifiers match no assigned family (check the identifier column and its type: \(takeUp.identifierType.rawValue))"
                notes.append(line)
                progress(line)
            }
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
/// (`analysis.take_up.column`) holding 1 (received) or 0 (not), or raw values mapped to them with
/// `codes: { <column>: { ja: "1", nee: "0" } }` (docs/design-format.md). The dialect's separator, quote,
/// encoding and header are honoured. Identifiers are matched to the units by their kind: study codes
/// (`type: code`) to the unit's id, pseudonyms (`type: pseudonym`) to its link key, and national numbers
/// (`type: insz`) are pseudonymised on reading (never kept) and matched to the link key.
enum TakeUpRegister {
    struct Register {
        /// Match key → "1" or "0".
        var values: [String: String]
        /// Whether `values` is keyed by the unit's link key (`AssignedUnit.registryKey`) rather than its id.
        var byLinkKey: Bool
        var sha256: String
    }

    static func read(path: String, source: Source, column: String, pseudonymizer: () throws -> Pseudonymizer) throws -> Register {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("\(path): cannot read the take_up source \(source.id); check sources[].file in the design")
        }
        guard source.dialect.format == .delimited else {
            throw CommandFailure("\(path): the take_up source \(source.id) must be a delimited file (dialect: { format: delimited })")
        }
        let d = source.dialect
        let key = source.identifierType == .insz ? try pseudonymizer() : nil
        let codes = source.codes[column] ?? source.codes["take_up"] ?? [:]
        var values: [String: String] = [:]
        do {
            let reader = try d.delimitedReader(path: path)
            var header: [String]
            var pending: RawRecord?
            if d.header {
                guard let first = try reader.next() else { throw CommandFailure("\(path): the file is empty; it needs a header line") }
                header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            } else {
                pending = try reader.next()
                header = (0..<(pending?.fields.count ?? 0)).map { "V\($0 + 1)" }
            }
            guard let idIndex = header.firstIndex(of: source.identifierColumn) else {
                throw CommandFailure("\(path): the identifier column \"\(source.identifierColumn)\" of source \(source.id) is not in the header (\(header.joined(separator: ", ")))")
            }
            guard let valueIndex = header.firstIndex(of: column) else {
                throw CommandFailure("\(path): the take-up column \"\(column)\" (analysis.take_up.column) is not in the header (\(header.joined(separator: ", ")))")
            }
            while let r = try pending ?? reader.next() {
                pending = nil
                if let bad = r.badlyEncodedFields.first {
                    throw CommandFailure("\(path):\(r.line): column \(bad < header.count ? header[bad] : "\(bad + 1)"): the bytes are not valid \(d.encoding.rawValue); if the file comes from Windows, declare encoding: windows-1252")
                }
                let raw = idIndex < r.fields.count ? r.fields[idIndex].trimmingCharacters(in: .whitespaces) : ""
                let text = valueIndex < r.fields.count ? r.fields[valueIndex].trimmingCharacters(in: .whitespaces) : ""
                guard !raw.isEmpty else { throw CommandFailure("\(path):\(r.line): the identifier \(source.identifierColumn) is empty") }
                let v = codes[text] ?? text
                guard v.isEmpty || v == "0" || v == "1" else {
                    let mapped = codes.isEmpty ? "" : " (nor a raw value listed under codes: { \(column): … })"
                    throw CommandFailure("\(path):\(r.line): column \(column): \"\(text)\" is not 1 (received) or 0 (not received)\(mapped); map other values with codes: { \(column): { \"\(text)\": \"1\" } } in the design")
                }
                var id = raw
                if let key {
                    do { id = key.pseudonym(for: try NationalNumber(raw)) } catch let e as NationalNumber.ValidationError {
                        throw CommandFailure("\(path):\(r.line): the national number in \(source.identifierColumn) is not valid (\(e.description)); it is not shown")
                    }
                }
                if !v.isEmpty { values[id] = v }
            }
        } catch let error as RecordReadError {
            throw CommandFailure("\(path): \(error.description)")
        }
        return Register(values: values, byLinkKey: source.identifierType != .code, sha256: Fingerprint.sha256(data))
    }
}
