import Basics
import TrialDesign
import TrialData

/// Settings of a panel derivation that are not part of the design.
public struct PanelOptions: Sendable, Equatable {
    /// Source id → the last day its extract covers. A registry window that ends after it is missing
    /// (`beyond_data`), not zero. Sources not listed are taken to cover every window.
    public var dataThrough: [String: CalendarDate]
    /// Screening counts for the CONSORT diagram (until the trial store records screening).
    public var screening: Screening?

    public init(dataThrough: [String: CalendarDate] = [:], screening: Screening? = nil) {
        self.dataThrough = dataThrough
        self.screening = screening
    }
}

/// Turns assigned units, registry records, survey responses and scope exits into the analysis data set.
/// The rules are specified in docs/panel.md.
public enum Panel {
    /// Derives the panel: one row per unit × wave (in the order of `units`, then the design's waves).
    ///
    /// Stages, each in a file of its own, in this order (which is also the order of the errors they
    /// can throw):
    /// 1. the units: unique ids and link keys, known arms (`UnitIndex`);
    /// 2. the registry (`RegistryStage`): the targets (registry outcomes and covariates), the records
    ///    grouped by unit, the scope exits, and the unit loop that applies the derivation rules;
    /// 3. the cohort's covariates (`CohortStage.covariates`);
    /// 4. the surveys (`SurveyStage`): the interview that counts per unit, wave and source; survey items
    ///    and indices;
    /// 5. the cohort's take-up column (`CohortStage.takeUp`), then the rows, attrition and CONSORT counts
    ///    (`PanelAssembly`).
    ///
    /// Cost: O(records + responses + units × (records per unit × outcomes + windows × months)).
    /// Records are grouped by unit once (a counting sort over a dictionary from link key to unit), so
    /// no step scans all records per unit.
    public static func derive(design: Design, units: [AssignedUnit], records: [RegistryRecord],
                              responses: [SurveyResponse], exits: [ScopeExit],
                              options: PanelOptions = PanelOptions()) throws -> PanelData {
        try derive(design: design, units: units, records: RecordTable(records), responses: responses, exits: exits, options: options)
    }

    /// The same from the records as a table (what the trial store reads).
    public static func derive(design: Design, units: [AssignedUnit], records: RecordTable,
                              responses: [SurveyResponse], exits: [ScopeExit],
                              options: PanelOptions = PanelOptions()) throws -> PanelData {
        var diagnostics = PanelDiagnostics()
        let index = try UnitIndex(design: design, units: units)
        var registry = try RegistryStage.derive(design: design, units: units, index: index, records: records, exits: exits,
                                                options: options, diagnostics: &diagnostics)
        try CohortStage.covariates(design: design, units: units, cells: &registry.covariateCells)
        let survey = try SurveyStage.derive(design: design, units: units, unitIndex: index.byID, responses: responses,
                                            outcomeCells: &registry.outcomeCells, diagnostics: &diagnostics)
        let takeUp = try CohortStage.takeUp(design: design, units: units)
        return try PanelAssembly.assemble(design: design, units: units, registry: registry, survey: survey, takeUp: takeUp,
                                          options: options, diagnostics: diagnostics)
    }
}

/// The units by id and by registry link key, checked: unique ids and link keys, arms of the design.
struct UnitIndex {
    var byID: [String: Int] = [:]
    var byLinkKey: [String: Int] = [:]

    init(design: Design, units: [AssignedUnit]) throws {
        let armIDs = design.arms.map(\.id)
        byID.reserveCapacity(units.count)
        byLinkKey.reserveCapacity(units.count)
        for (i, u) in units.enumerated() {
            if byID.updateValue(i, forKey: u.id) != nil { throw PanelError.duplicateUnit(u.id) }
            if !armIDs.contains(u.arm) { throw PanelError.unknownArm(unit: u.id, arm: u.arm, known: armIDs) }
            if let other = byLinkKey.updateValue(i, forKey: u.registryKey) {
                throw PanelError.duplicateLinkKey(u.registryKey, units: [units[other].id, u.id])
            }
        }
    }
}


/// The outcome cells of the rows (unit × wave), one array per row, addressed by the flat index
/// `row × width + outcome`: the rows take their arrays over without copying.
struct CellRows {
    let width: Int
    var rows: [[PanelCell]]

    init(rowCount: Int, width: Int, initial: PanelCell) {
        self.width = width
        rows = [[PanelCell]](repeating: [], count: rowCount)
        for r in 0..<rowCount { rows[r] = [PanelCell](repeating: initial, count: width) }
    }

    subscript(flat: Int) -> PanelCell {
        get { rows[flat / width][flat % width] }
        set { rows[flat / width][flat % width] = newValue }
    }
}

/// The outcome columns of the panel: the design's outcomes, then the second columns of the rules that
/// give one (`first_start`: `<id>_censored`), in the design's order.
enum OutcomeColumns {
    static func ids(_ design: Design) -> [String] {
        design.outcomes.map(\.id) + design.outcomes.filter(\.rule.hasCompanion).map { "\($0.id)_censored" }
    }

    /// Outcome index → the column of its second column, for the outcomes that have one.
    static func companions(_ design: Design) -> [Int: Int] {
        var out: [Int: Int] = [:]
        var next = design.outcomes.count
        for (o, outcome) in design.outcomes.enumerated() where outcome.rule.hasCompanion {
            out[o] = next
            next += 1
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }

    var replacingComma: String { String(map { $0 == "," ? "." : $0 }) }
}
