import Basics
import Foundation
import Ingest
import Panel
import TrialData
import TrialDesign
import TrialStore

/// The inputs of the panel, read from the trial store (assigned units, registry records, survey
/// responses, screening counts) and the design's take-up register.
public struct PanelInputs: Sendable {
    public var units: [AssignedUnit]
    /// The registry records, column by column (`RecordTable`: a store's millions of records in a third of
    /// the memory of `RegistryRecord` values).
    public var records: RecordTable
    public var responses: [SurveyResponse]
    /// Families that left a registry's scope, from the design's `scope_exit` sources (their stored
    /// records, keyed by study id); they censor registry outcomes in the panel.
    public var exits: [ScopeExit] = []
    public var screening: Screening?
    /// Source id → SHA-256 of the file read (for the report's provenance).
    public var fingerprints: [(source: String, sha256: String)]
    /// Notes for the run's output (e.g. take-up identifiers that match no family).
    public var notes: [String]
    /// The recorded amendments of the design's locked part, for the report.
    public var amendments: [Amendment] = []

    /// Reads the inputs: the assigned units and screening counts, the active imports' records and
    /// responses (those of `scope_exit` sources turned into `ScopeExit` values), and the take-up column
    /// filled from the design's `take_up` source. Nothing is imported here (`ImportStep` does that).
    public static func read(_ file: DesignFile, store: TrialStore, progress: (String) -> Void = { _ in }) throws -> PanelInputs {
        let design = file.design
        var units = try store.assignedUnits()
        guard !units.isEmpty else {
            throw WorkflowError.noAssignments(store: store.path, howToAssign: file.howToAssign(storePath: store.path))
        }
        var fingerprints: [(String, String)] = [], notes: [String] = []
        for s in try store.importSummaries() { fingerprints.append((s.source, s.fingerprint)) }
        var records = try store.registryRecordTable()
        let exits = scopeExits(design: design, units: units, records: &records)
        if !exits.isEmpty {
            let reasons = Dictionary(grouping: exits, by: \.reason).map { "\($0.value.count) \($0.key)" }.sorted()
            progress("scope exits: \(exits.count) (\(reasons.joined(separator: ", "))); registry outcomes censored from the exit date")
        }
        let responses = try store.surveyResponses()
        if let takeUp = file.source(ofKind: .takeUp), let column = design.analysis.takeUp?.column {
            let path = file.path(of: takeUp)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw TakeUpError.missing(path: path, source: takeUp.id)
            }
            let register = try TakeUpReader.read(path: path, source: takeUp, column: column) { try TrialStoreAccess.linkingKey(try file.pseudonymizer(), store)! }
            var matched = 0
            for i in units.indices {
                if let v = register.values[register.byLinkKey ? units[i].registryKey : units[i].id] {
                    units[i].attributes[column] = v
                    matched += 1
                }
            }
            fingerprints.append((takeUp.id, try Fingerprint.sha256(file: path)))
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
        return PanelInputs(units: units, records: records, responses: responses, exits: exits, screening: screening,
                           fingerprints: fingerprints, notes: notes, amendments: try store.amendments())
    }

    /// Takes the records of the design's `scope_exit` sources out of `records` (in place: the records of a
    /// large store are not copied) and returns them as `ScopeExit` values (participant = the unit's study
    /// id, found through `AssignedUnit.registryKey`, or the key itself when the register is kept by study
    /// code; date = the record's start; reason = its `reason` attribute). A record whose key matches no
    /// unit keeps its key, and the panel counts it as an unlinked exit.
    public static func scopeExits(design: Design, units: [AssignedUnit], records: inout RecordTable) -> [ScopeExit] {
        let exitSources = Set(design.sources.filter { $0.kind == .scopeExit }.map(\.id))
        let isExit = records.sourceIDs.map { exitSources.contains($0) }
        guard isExit.contains(true) else { return [] }
        var idOf = Dictionary(units.map { ($0.registryKey, $0.id) }, uniquingKeysWith: { a, _ in a })
        for u in units where idOf[u.id] == nil { idOf[u.id] = u.id }
        // In file order first (the earliest exit of a unit is the first one listed on that day), then taken out.
        var exits: [ScopeExit] = []
        for r in 0..<records.count where isExit[Int(records.source[r])] {
            let key = records.participantKeys[Int(records.participant[r])]
            exits.append(ScopeExit(participant: idOf[key] ?? key, date: CalendarDate(dayNumber: Int(records.startDay[r])),
                                   reason: records.attributes(r)["reason"] ?? "other"))
        }
        records.removeRows(ofSources: exitSources.contains)
        return exits
    }
}
