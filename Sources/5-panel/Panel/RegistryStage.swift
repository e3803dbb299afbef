import Basics
import TrialDesign
import TrialData

/// The registry outcomes and covariates of the panel (`Panel.derive`'s second stage).
///
/// Every registry outcome (each of its waves) and every covariate derived from a source is a *target*: a
/// source, a derivation rule, a filter, a value field and one window of follow-up months per slot. The
/// records are grouped by unit once (`RecordGroups`); then, unit by unit, the month boundaries from the
/// unit's own assignment date are computed, each record is tested once against every selection (source,
/// filter and value field shared by targets) through bit masks (`PassingMasks`), and each target's windows
/// are evaluated by `RegistryRules`, unless the unit left the registry's scope before the window ends
/// (`censored`) or the source's extract ends before it (`beyond_data`).
///
/// Cost: O(records + units × (records per unit × selections + windows × months)); the unit loop reads the
/// records by index and allocates nothing per record.
enum RegistryStage {
    /// The stage's result: the cells it filled and the scope exits (for attrition).
    struct Cells {
        /// Outcome cells per row (unit × wave); survey outcomes are filled by `SurveyStage`.
        var outcomeCells: CellRows
        /// Covariate cells, `unit × covariateCount + covariate`; cohort covariates are filled by `CohortStage`.
        var covariateCells: [PanelCell]
        /// The earliest scope exit of each unit.
        var exitOf: [ScopeExit?]
    }

    static func derive(design: Design, units: [AssignedUnit], index: UnitIndex, records: [RegistryRecord],
                       exits: [ScopeExit], options: PanelOptions, diagnostics: inout PanelDiagnostics) throws -> Cells {
        let targets = try Self.targets(design: design)
        var sourceIndex: [String: Int] = [:]
        for t in targets where sourceIndex[t.source] == nil { sourceIndex[t.source] = sourceIndex.count }
        let targetSource = targets.map { sourceIndex[$0.source]! }
        let through = targets.map { options.dataThrough[$0.source]?.dayNumber }

        // Group records by unit once: a counting sort of record indices by unit.
        let grouped = try RecordGroups(records: records, linkIndex: index.byLinkKey, unitKeys: units.map(\.registryKey), sourceIndex: sourceIndex,
                                   unitCount: units.count, diagnostics: &diagnostics)

        let exitOf = earliestExits(exits, index: index, unitCount: units.count, diagnostics: &diagnostics)

        // The span of periods any window needs, for the per-unit month boundaries.
        var lowPeriod = 0, highPeriod = 0
        for t in targets {
            for (_, w) in t.windows {
                let (a, b) = FollowUpMonths.normalised(from: w.fromMonth, to: w.toMonth)
                lowPeriod = min(lowPeriod, FollowUpMonths.period(ofMonth: a))
                highPeriod = max(highPeriod, FollowUpMonths.period(ofMonth: b))
            }
        }
        let targetPeriods: [[(slot: Slot, from: Int, to: Int)]] = targets.map { t in
            t.windows.map { slot, w in
                let (a, b) = FollowUpMonths.normalised(from: w.fromMonth, to: w.toMonth)
                return (slot, FollowUpMonths.period(ofMonth: a) - lowPeriod, FollowUpMonths.period(ofMonth: b) - lowPeriod)
            }
        }

        // Registry derivations, unit by unit.
        let outcomeCount = design.outcomes.count, waveCount = design.waves.count, covariateCount = design.covariates.count
        var outcomeCells = CellRows(rowCount: units.count * waveCount, width: outcomeCount, initial: .missing(.notMeasured))
        var covariateCells = [PanelCell](repeating: .missing(.cohortMissing), count: units.count * covariateCount)
        var bounds = [Int](repeating: 0, count: highPeriod - lowPeriod + 2)
        // Targets that read the same source with the same filter and value share one pass over the records.
        struct Selection: Hashable { var source: Int; var field: String?; var values: [String]; var value: String? }
        var selections: [Selection] = [], selectionOf: [Selection: Int] = [:]
        let targetSelection: [Int] = targets.enumerated().map { t, target in
            let key = Selection(source: targetSource[t], field: target.filter?.field,
                                values: (target.filter?.values ?? []).sorted(), value: target.value)
            if let i = selectionOf[key] { return i }
            selections.append(key)
            selectionOf[key] = selections.count - 1
            return selections.count - 1
        }
        let selectionValues = selections.map { Set($0.values) }
        var spansOf = [[PassingSpan]](repeating: [], count: selections.count)
        // Filters resolved once per record (not per unit × selection), unit by unit: bit k of
        // `unitMasks[g - range.lowerBound]` says whether grouped record g passes selection k (its source, and
        // its filter attribute among the values).
        let useMasks = selections.count <= 64
        var passing = PassingMasks(selections: useMasks ? zip(selections, selectionValues).map { ($0.source, $0.field, $1) } : [],
                                   sourceCount: sourceIndex.count)
        var unitMasks: [UInt64] = []
        // Per target, what the unit loop reads (no copy of the target's strings and arrays per unit).
        let targetRules = targets.map(\.rule)
        let selectionValueFields = selections.map(\.value)
        for u in units.indices {
            let assignedOn = units[u].assignedOn
            for p in 0..<bounds.count { bounds[p] = assignedOn.adding(months: p + lowPeriod).dayNumber }
            let assignedDay = assignedOn.dayNumber
            let exitDay = exitOf[u]?.date.dayNumber
            let range = grouped.range(of: u)
            if useMasks {
                unitMasks.removeAll(keepingCapacity: true)
                for g in range {
                    unitMasks.append(passing.mask(of: Int(grouped.record[g]), in: records, source: Int(grouped.source[g])))
                }
            }
            for k in selections.indices {
                spansOf[k].removeAll(keepingCapacity: true)
                let valueField = selectionValueFields[k]
                if useMasks {
                    let bit = UInt64(1) << UInt64(k)
                    for g in range where unitMasks[g - range.lowerBound] & bit != 0 {
                        let r = Int(grouped.record[g])
                        spansOf[k].append(PassingSpan(start: grouped.start[g], end: grouped.end[g],
                                                      value: valueField.flatMap { records[r].numbers[$0] }, line: records[r].line))
                    }
                    continue
                }
                for g in range where grouped.source[g] == selections[k].source {
                    let r = Int(grouped.record[g])
                    if let field = selections[k].field {
                        guard let v = records[r].attributes[field], selectionValues[k].contains(v) else { continue }
                    }
                    spansOf[k].append(PassingSpan(start: grouped.start[g], end: grouped.end[g],
                                                  value: valueField.flatMap { records[r].numbers[$0] }, line: records[r].line))
                }
            }
            for t in targets.indices {
                let spans = spansOf[targetSelection[t]]
                for (slot, from, to) in targetPeriods[t] {
                    let window = bounds[from...(to + 1)]
                    let lastDay = window.last! - 1
                    let cell: PanelCell
                    if let exitDay, exitDay <= lastDay, let e = exitOf[u] {
                        cell = .missing(.censored, "\(e.reason) \(e.date)")
                    } else if let limit = through[t], limit < lastDay {
                        cell = .missing(.beyondData, "\(targets[t].source) covers up to \(CalendarDate(dayNumber: limit))")
                    } else {
                        cell = RegistryRules.evaluate(targetRules[t], spans: spans, bounds: window, assignedDay: assignedDay)
                    }
                    switch slot {
                    case let .outcome(o, w): outcomeCells[(u * waveCount + w) * outcomeCount + o] = cell
                    case let .covariate(c): covariateCells[u * covariateCount + c] = cell
                    }
                }
            }
        }
        return Cells(outcomeCells: outcomeCells, covariateCells: covariateCells, exitOf: exitOf)
    }

    /// The targets: every registry outcome (one slot per wave with a window) and every covariate derived
    /// from a source, in the design's order. A source the design does not declare, or a survey rule for a
    /// covariate, is an error.
    static func targets(design: Design) throws -> [RegistryTarget] {
        let waveIDs = design.waves.map(\.id)
        let sourceKinds = Dictionary(design.sources.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
        var targets: [RegistryTarget] = []
        for (o, outcome) in design.outcomes.enumerated() where !outcome.rule.isSurveyRule {
            guard sourceKinds[outcome.source] != nil else { throw PanelError.unknownSource(outcome: outcome.id, source: outcome.source) }
            var windows: [(slot: Slot, window: MonthWindow)] = []
            for (w, wave) in waveIDs.enumerated() {
                if let window = outcome.windows[wave] { windows.append((.outcome(o, wave: w), window)) }
            }
            targets.append(RegistryTarget(source: outcome.source, rule: outcome.rule, filter: outcome.filter,
                                          value: outcome.value, windows: windows))
        }
        for (c, covariate) in design.covariates.enumerated() where covariate.column == nil {
            guard let source = covariate.source, let rule = covariate.rule, let window = covariate.window else { continue }
            if rule.isSurveyRule { throw PanelError.unsupportedCovariateRule(covariate: covariate.id, rule: rule.rawValue) }
            guard sourceKinds[source] != nil else { throw PanelError.unknownSource(outcome: covariate.id, source: source) }
            targets.append(RegistryTarget(source: source, rule: rule, filter: covariate.filter, value: nil,
                                          windows: [(.covariate(c), window)]))
        }
        return targets
    }

    /// The earliest scope exit of each unit; exits of no unit are counted in the diagnostics.
    static func earliestExits(_ exits: [ScopeExit], index: UnitIndex, unitCount: Int,
                              diagnostics: inout PanelDiagnostics) -> [ScopeExit?] {
        var exitOf = [ScopeExit?](repeating: nil, count: unitCount)
        for e in exits {
            guard let u = index.byID[e.participant] else { diagnostics.unlinkedExits += 1; continue }
            if exitOf[u] == nil || e.date < exitOf[u]!.date { exitOf[u] = e }
        }
        return exitOf
    }
}

/// Where a registry derivation's value goes.
enum Slot {
    case outcome(Int, wave: Int)
    case covariate(Int)
}

/// A registry outcome or covariate with its windows.
struct RegistryTarget {
    var source: String
    var rule: DerivationRule
    var filter: OutcomeFilter?
    var value: String?
    var windows: [(slot: Slot, window: MonthWindow)]
}

/// Per record, a bit mask of the selections (source, filter) it passes: one attribute look-up per distinct
/// filter field of the record's source and one look-up of its value, instead of one look-up per selection.
struct PassingMasks {
    /// Per source: the selections without a filter.
    private var always: [UInt64]
    /// Per source and filter field: the selections each value passes.
    private var fields: [[(field: String, masks: [String: UInt64])]]
    /// The last value seen per source and field with its mask: runs of equal values skip the hashing.
    private var lastValue: [[(value: String, mask: UInt64)?]]
    /// Records whose attribute maps share storage hold the same attributes, so pass the same selections: a
    /// small direct-mapped memo of masks by storage identity, per source. Use one `PassingMasks` only while
    /// the records it is asked about are alive (then an identity is never reused for other attributes).
    private var memo: [(id: UnsafeRawPointer?, mask: UInt64)]
    private static let memoSlots = 64

    init(selections: [(source: Int, field: String?, values: Set<String>)], sourceCount: Int) {
        always = [UInt64](repeating: 0, count: sourceCount)
        fields = [[(field: String, masks: [String: UInt64])]](repeating: [], count: sourceCount)
        for (k, selection) in selections.enumerated() {
            let bit = UInt64(1) << UInt64(k)
            guard let field = selection.field else { always[selection.source] |= bit; continue }
            var f = fields[selection.source].firstIndex { $0.field == field }
            if f == nil {
                fields[selection.source].append((field, [:]))
                f = fields[selection.source].count - 1
            }
            for v in selection.values { fields[selection.source][f!].masks[v, default: 0] |= bit }
        }
        lastValue = fields.map { [(value: String, mask: UInt64)?](repeating: nil, count: $0.count) }
        memo = [(id: UnsafeRawPointer?, mask: UInt64)](repeating: (nil, 0), count: sourceCount * Self.memoSlots)
    }

    /// The selections `records[r]`, of source index `s`, passes.
    mutating func mask(of r: Int, in records: [RegistryRecord], source s: Int) -> UInt64 {
        var mask = always[s]
        if fields[s].isEmpty { return mask }
        let id = records[r].attributes.storageIdentity
        var slot = -1
        if let id {
            slot = s * Self.memoSlots + Int((UInt(bitPattern: id) >> 4) % UInt(Self.memoSlots))
            if memo[slot].id == id { return memo[slot].mask }
        }
        for f in fields[s].indices {
            guard let v = records[r].attributes[fields[s][f].field] else { continue }
            if let last = lastValue[s][f], last.value == v {
                mask |= last.mask
            } else {
                let m = fields[s][f].masks[v] ?? 0
                lastValue[s][f] = (v, m)
                mask |= m
            }
        }
        if slot >= 0 { memo[slot] = (id, mask) }
        return mask
    }
}

/// Record indices sorted by unit (a counting sort), with each record's days precomputed.
struct RecordGroups {
    var offsets: [Int]
    var record: [Int32]
    var source: [Int32]
    var start: [Int]
    var end: [Int]

    /// - Parameters:
    ///   - linkIndex: unit by registry key; `unitKeys[u]` is unit u's registry key.
    init(records: [RegistryRecord], linkIndex: [String: Int], unitKeys: [String], sourceIndex: [String: Int], unitCount: Int,
         diagnostics: inout PanelDiagnostics) throws {
        var unitOf = [Int32](repeating: -1, count: records.count)
        var sourceOf = [Int32](repeating: -1, count: records.count)
        var counts = [Int](repeating: 0, count: unitCount + 1)
        // The last source looked up: records come in runs of one source, and comparing two equal short
        // strings is cheaper than hashing one.
        var lastSource: String? = nil, lastIndex: Int? = nil
        var lastParticipant: String? = nil, lastUnit: Int? = nil
        // Index loops that read single fields: iterating the records by value would copy (retain) every
        // record's strings and dictionaries.
        for r in records.indices {
            let s: Int?
            if let lastSource, records[r].source == lastSource {
                s = lastIndex
            } else {
                s = sourceIndex[records[r].source]
                lastSource = records[r].source
                lastIndex = s
            }
            guard let s else { diagnostics.unusedRecords += 1; continue }
            // Likewise the last participant: an extract usually lists a person's records together, and
            // often in the order of the units (then the next unit's key is tried before hashing).
            let unit: Int?
            if let lastParticipant, records[r].participant == lastParticipant {
                unit = lastUnit
            } else {
                if let next = lastUnit.map({ $0 + 1 }), next < unitKeys.count, unitKeys[next] == records[r].participant {
                    unit = next
                } else {
                    unit = linkIndex[records[r].participant]
                }
                lastParticipant = records[r].participant
                lastUnit = unit
            }
            guard let u = unit else { diagnostics.unlinkedRecords += 1; continue }
            if let end = records[r].endDay, end < records[r].startDay {
                throw PanelError.recordEndsBeforeStart(source: records[r].source, line: records[r].line,
                                                       start: records[r].start, end: CalendarDate(dayNumber: end))
            }
            unitOf[r] = Int32(u)
            sourceOf[r] = Int32(s)
            counts[u + 1] += 1
        }
        for u in 0..<unitCount { counts[u + 1] += counts[u] }
        offsets = counts
        let n = counts[unitCount]
        record = [Int32](repeating: 0, count: n)
        source = [Int32](repeating: 0, count: n)
        start = [Int](repeating: 0, count: n)
        end = [Int](repeating: 0, count: n)
        var next = Array(counts.dropLast())
        for r in records.indices where unitOf[r] >= 0 {
            let u = Int(unitOf[r])
            let g = next[u]
            next[u] += 1
            record[g] = Int32(r)
            source[g] = sourceOf[r]
            start[g] = records[r].startDay
            end[g] = records[r].endDay ?? Int.max
        }
    }

    func range(of unit: Int) -> Range<Int> { offsets[unit]..<offsets[unit + 1] }
}
