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

    static func derive(design: Design, units: [AssignedUnit], index: UnitIndex, records: RecordTable,
                       exits: [ScopeExit], options: PanelOptions, diagnostics: inout PanelDiagnostics) throws -> Cells {
        let targets = try Self.targets(design: design)
        var sourceIndex: [String: Int] = [:]
        for t in targets where sourceIndex[t.source] == nil { sourceIndex[t.source] = sourceIndex.count }
        let targetSource = targets.map { sourceIndex[$0.source]! }
        let through = targets.map { options.dataThrough[$0.source]?.dayNumber }

        // Group records by unit once: a counting sort of record indices by unit.
        let grouped = try RecordGroups(records: records, linkIndex: index.byLinkKey, sourceIndex: sourceIndex,
                                       unitCount: units.count, diagnostics: &diagnostics)

        let exitOf = earliestExits(exits, index: index, unitCount: units.count, diagnostics: &diagnostics)
        let coverage = Self.extractCoverage(design: design, sourceIndex: sourceIndex, latestStart: grouped.latestStart)
        let targetCoverage = targets.indices.map { t in through[t] == nil ? coverage[targetSource[t]] : nil }
        // Per target and window, the units whose window ends after the extract's last month (a warning).
        var pastData = targets.map { [(units: Int, latest: Int)](repeating: (0, Int.min), count: $0.windows.count) }

        // The span of periods any window needs, per anchor, for the per-unit month boundaries.
        var span: [WindowAnchor: (low: Int, high: Int)] = [:]
        for t in targets {
            for slot in t.windows {
                let (a, b) = slot.periods
                let current = span[slot.window.anchor] ?? (0, 0)
                span[slot.window.anchor] = (min(current.low, a), max(current.high, b))
            }
        }
        let dayLow = span[.assignmentDay]?.low ?? 0, monthLow = span[.assignmentMonth]?.low ?? 0
        var dayBounds = [Int](repeating: 0, count: span[.assignmentDay].map { $0.high - $0.low + 2 } ?? 0)
        var monthBounds = [Int](repeating: 0, count: span[.assignmentMonth].map { $0.high - $0.low + 2 } ?? 0)

        // Registry derivations, unit by unit.
        let outcomeCount = design.outcomes.count, waveCount = design.waves.count, covariateCount = design.covariates.count
        let companions = OutcomeColumns.companions(design)
        var outcomeCells = CellRows(rowCount: units.count * waveCount, width: outcomeCount + companions.count,
                                    initial: .missing(.notMeasured))
        var covariateCells = [PanelCell](repeating: .missing(.cohortMissing), count: units.count * covariateCount)
        // Targets that read the same source with the same filter, value and dates share one pass over the records.
        struct Selection: Hashable { var source: Int; var filter: RecordFilter?; var value: String?; var date: RecordDate }
        var selections: [Selection] = [], selectionOf: [Selection: Int] = [:]
        let targetSelection: [Int] = targets.enumerated().map { t, target in
            let key = Selection(source: targetSource[t], filter: target.filter, value: target.value, date: target.date)
            if let i = selectionOf[key] { return i }
            selections.append(key)
            selectionOf[key] = selections.count - 1
            return selections.count - 1
        }
        var spansOf = [[PassingSpan]](repeating: [], count: selections.count)
        // Filters resolved once per record (not per unit × selection), unit by unit: bit k of
        // `unitMasks[g - range.lowerBound]` says whether grouped record g passes selection k (its source, and
        // its filter attribute among the values). Filters other than one field's values are evaluated per
        // record (`RecordFilter.passes`).
        let simple = selections.map { $0.filter == nil || $0.filter?.simpleIn != nil }
        let useMasks = selections.count <= 64 && simple.allSatisfy { $0 }
        var passing = PassingMasks(selections: useMasks ? selections.map { ($0.source, $0.filter?.simpleIn?.field, Set($0.filter?.simpleIn?.values ?? [])) } : [],
                                   sourceCount: sourceIndex.count)
        var unitMasks: [UInt64] = []
        // Per target, what the unit loop reads (no copy of the target's strings and arrays per unit).
        let targetRules: [any RegistryRule.Type] = targets.map { t in t.prorate ? SumProrated.self : t.rule.registryRule! }
        let selectionValueFields = selections.map(\.value)
        for u in units.indices {
            let assignedOn = units[u].assignedOn
            for p in 0..<dayBounds.count { dayBounds[p] = assignedOn.adding(months: p + dayLow).dayNumber }
            if !monthBounds.isEmpty {
                let firstOfMonth = CalendarDate(year: assignedOn.year, month: assignedOn.month, day: 1)!
                for p in 0..<monthBounds.count { monthBounds[p] = firstOfMonth.adding(months: p + monthLow).dayNumber }
            }
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
                let date = selections[k].date
                func add(_ g: Int, _ r: Int) {
                    guard let (start, end) = Self.days(attributes: records.attributes(r), read: date, start: grouped.startDay(g),
                                                       end: grouped.endDay(g)) else { return }
                    spansOf[k].append(PassingSpan(start: start, end: end, value: valueField.flatMap { records.numbers(r)[$0] },
                                                  line: records.line[r]))
                }
                if useMasks {
                    let bit = UInt64(1) << UInt64(k)
                    for g in range where unitMasks[g - range.lowerBound] & bit != 0 { add(g, Int(grouped.record[g])) }
                    continue
                }
                let filter = selections[k].filter
                for g in range where grouped.source[g] == selections[k].source {
                    let r = Int(grouped.record[g])
                    if let filter {
                        guard filter.passes(attribute: { records.attributes(r)[$0] }, number: { records.numbers(r)[$0] }) else { continue }
                    }
                    add(g, r)
                }
            }
            for t in targets.indices {
                let spans = spansOf[targetSelection[t]]
                for (ws, slot) in targets[t].windows.enumerated() {
                    let days: WindowDays
                    let (from, to) = slot.periods
                    let window = slot.window
                    switch window.anchor {
                    case .assignmentDay: days = WindowDays(bounds: dayBounds[(from - dayLow)...(to - dayLow + 1)], assignedDay: assignedDay, reference: 0)
                    case .assignmentMonth: days = WindowDays(bounds: monthBounds[(from - monthLow)...(to - monthLow + 1)], assignedDay: assignedDay, reference: 0)
                    }
                    var w = days
                    switch window.on {
                    case .endOfMonth?:
                        // The window holds only that month: its last day.
                        w.reference = days.last
                    case let .day(k)?:
                        w.reference = assignedDay + k
                    case nil:
                        w.reference = days.last
                    }
                    // A rule that reads one day is decided by that day: censoring and the data's end count from it.
                    let lastDay = targets[t].rule.readsOneDay ? w.reference : w.last
                    let result: RuleResult
                    if let exitDay, exitDay <= lastDay, let e = exitOf[u] {
                        result = RuleResult(.missing(.censored, "\(e.reason) \(e.date)"),
                                            companion: targets[t].rule.hasCompanion ? .missing(.censored, "\(e.reason) \(e.date)") : nil)
                    } else if let limit = through[t], limit < lastDay {
                        let cell = PanelCell.missing(.beyondData, "\(targets[t].source) covers up to \(CalendarDate(dayNumber: limit))")
                        result = RuleResult(cell, companion: targets[t].rule.hasCompanion ? cell : nil)
                    } else {
                        if let covered = targetCoverage[t], covered < lastDay {
                            pastData[t][ws].units += 1
                            pastData[t][ws].latest = max(pastData[t][ws].latest, lastDay)
                        }
                        result = targetRules[t].evaluate(spans, w)
                    }
                    switch slot.slot {
                    case let .outcome(o, wv):
                        outcomeCells[(u * waveCount + wv) * outcomeCells.width + o] = result.cell
                        if let c = companions[o], let companion = result.companion {
                            outcomeCells[(u * waveCount + wv) * outcomeCells.width + c] = companion
                        }
                    case let .covariate(c): covariateCells[u * covariateCount + c] = result.cell
                    }
                }
            }
        }
        for t in targets.indices {
            for (ws, slot) in targets[t].windows.enumerated() where pastData[t][ws].units > 0 {
                let target: String, wave: String?
                switch slot.slot {
                case let .outcome(o, wv): (target, wave) = (design.outcomes[o].id, design.waves[wv].id)
                case let .covariate(c): (target, wave) = (design.covariates[c].id, nil)
                }
                diagnostics.windowsPastData = (diagnostics.windowsPastData ?? []) + [WindowPastData(
                    target: target, wave: wave, source: targets[t].source,
                    extractEnds: CalendarDate(dayNumber: coverage[targetSource[t]]!), units: pastData[t][ws].units,
                    latestWindowEnd: CalendarDate(dayNumber: pastData[t][ws].latest))]
            }
        }
        return Cells(outcomeCells: outcomeCells, covariateCells: covariateCells, exitOf: exitOf)
    }

    /// The last day each source's extract covers, by its own dates: the end of the month of its latest
    /// record start (a spell source's `extract_date`, when later); nil for a source without records.
    static func extractCoverage(design: Design, sourceIndex: [String: Int], latestStart: [Int]) -> [Int?] {
        var coverage = [Int?](repeating: nil, count: sourceIndex.count)
        let declared = Dictionary(design.sources.map { ($0.id, $0.extractDate) }, uniquingKeysWith: { a, _ in a })
        for (id, s) in sourceIndex {
            var latest = latestStart[s]
            if let d = declared[id] ?? nil { latest = max(latest, d.dayNumber) }
            guard latest != Int.min else { continue }
            coverage[s] = CalendarDate(dayNumber: latest).endOfMonth.dayNumber
        }
        return coverage
    }

    /// The days a record covers as the outcome reads it (`date:`): its span (start to end, an open record
    /// to `Int.max`), its first or last day, or a payment's period (`period_start`…`period_end`, else its
    /// payment month). Nil when the record has no such day (`end` of an open record).
    @inline(__always)
    static func days(attributes: @autoclosure () -> FieldMap<String>, read date: RecordDate, start: Int, end: Int) -> (Int, Int)? {
        switch date {
        case .span, .paymentMonth: return (start, end)
        case .start: return (start, start)
        case .end: return end == Int.max ? nil : (end, end)
        case .period:
            let attributes = attributes()
            guard let a = attributes["period_start"].flatMap(CalendarDate.init(iso:)) else { return (start, end) }
            let b = attributes["period_end"].flatMap(CalendarDate.init(iso:)) ?? a
            return (a.dayNumber, b.dayNumber)
        }
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
            var windows: [TargetWindow] = []
            for (w, wave) in waveIDs.enumerated() {
                if let window = outcome.windows[wave] { windows.append(TargetWindow(slot: .outcome(o, wave: w), window: window)) }
            }
            targets.append(RegistryTarget(source: outcome.source, rule: outcome.rule, filter: outcome.filter,
                                          value: outcome.value, date: outcome.date ?? .span, prorate: outcome.prorate,
                                          windows: windows))
        }
        for (c, covariate) in design.covariates.enumerated() where covariate.column == nil {
            guard let source = covariate.source, let rule = covariate.rule, let window = covariate.window else { continue }
            if rule.isSurveyRule { throw PanelError.unsupportedCovariateRule(covariate: covariate.id, rule: rule.rawValue) }
            guard sourceKinds[source] != nil else { throw PanelError.unknownSource(outcome: covariate.id, source: source) }
            targets.append(RegistryTarget(source: source, rule: rule, filter: covariate.filter, value: nil,
                                          date: covariate.date ?? .span, prorate: false,
                                          windows: [TargetWindow(slot: .covariate(c),
                                                                 window: OutcomeWindow(months: window, anchor: covariate.anchor))]))
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
    var filter: RecordFilter?
    var value: String?
    var date: RecordDate
    var prorate: Bool
    var windows: [TargetWindow]
}

/// One window of a target and where its value goes.
struct TargetWindow {
    var slot: Slot
    var window: OutcomeWindow

    /// The window's first and last period in the anchor's numbering: from the assignment day, month k ≥ 1
    /// is period k − 1 (month 0 is read as month 1) and month k ≤ −1 period k; in calendar months, month k
    /// is period k (month 0 the month of assignment).
    var periods: (Int, Int) {
        let m = window.months
        switch window.anchor {
        case .assignmentDay:
            let (a, b) = FollowUpMonths.normalised(from: m.fromMonth, to: m.toMonth)
            return (FollowUpMonths.period(ofMonth: a), FollowUpMonths.period(ofMonth: b))
        case .assignmentMonth:
            return (m.fromMonth, m.toMonth)
        }
    }
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
    /// Records with the same attribute map (an index of the record table: rows with the same stored
    /// fields share one) pass the same selections: a small direct-mapped memo of masks by map, per source.
    private var memo: [(map: Int32, mask: UInt64)]
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
        memo = [(map: Int32, mask: UInt64)](repeating: (-1, 0), count: sourceCount * Self.memoSlots)
    }

    /// The selections record r, of source index `s`, passes.
    mutating func mask(of r: Int, in records: RecordTable, source s: Int) -> UInt64 {
        var mask = always[s]
        if fields[s].isEmpty { return mask }
        let map = records.attributes[r]
        let slot = s * Self.memoSlots + Int(map) % Self.memoSlots
        if memo[slot].map == map { return memo[slot].mask }
        let attributes = records.attributeMaps[Int(map)]
        for f in fields[s].indices {
            guard let v = attributes[fields[s][f].field] else { continue }
            if let last = lastValue[s][f], last.value == v {
                mask |= last.mask
            } else {
                let m = fields[s][f].masks[v] ?? 0
                lastValue[s][f] = (v, m)
                mask |= m
            }
        }
        memo[slot] = (map, mask)
        return mask
    }
}

/// Record indices sorted by unit (a counting sort), with each record's days copied beside them (the unit
/// loop reads them in order).
struct RecordGroups {
    var offsets: [Int]
    var record: [Int32]
    var source: [Int32]
    private var start: [Int32]
    /// `RecordTable.openEnd` for a record still open.
    private var end: [Int32]
    /// Per source index, the latest day a record of the source starts on (linked or not): what the
    /// extract's own dates say about the last month it covers. `Int.min` for a source without records.
    var latestStart: [Int]

    /// - Parameters:
    ///   - linkIndex: unit by registry key.
    ///   - sourceIndex: the panel's index of each source it reads; records of other sources are unused.
    init(records: RecordTable, linkIndex: [String: Int], sourceIndex: [String: Int], unitCount: Int,
         diagnostics: inout PanelDiagnostics) throws {
        // The unit of each distinct participant and the panel's index of each source, looked up once.
        let unitOf = records.participantKeys.map { linkIndex[$0].map { Int32($0) } ?? -1 }
        let sourceOf = records.sourceIDs.map { sourceIndex[$0].map { Int32($0) } ?? -1 }
        var counts = [Int](repeating: 0, count: unitCount + 1)
        var latestStart = [Int](repeating: Int.min, count: sourceIndex.count)
        for r in 0..<records.count {
            let s = Int(sourceOf[Int(records.source[r])])
            guard s >= 0 else { diagnostics.unusedRecords += 1; continue }
            latestStart[s] = max(latestStart[s], Int(records.startDay[r]))
            let u = Int(unitOf[Int(records.participant[r])])
            guard u >= 0 else { diagnostics.unlinkedRecords += 1; continue }
            if let end = records.end(r), end < Int(records.startDay[r]) {
                throw PanelError.recordEndsBeforeStart(source: records.sourceIDs[Int(records.source[r])], line: records.line[r],
                                                       start: CalendarDate(dayNumber: Int(records.startDay[r])),
                                                       end: CalendarDate(dayNumber: end))
            }
            counts[u + 1] += 1
        }
        for u in 0..<unitCount { counts[u + 1] += counts[u] }
        self.latestStart = latestStart
        offsets = counts
        let n = counts[unitCount]
        record = [Int32](repeating: 0, count: n)
        source = [Int32](repeating: 0, count: n)
        start = [Int32](repeating: 0, count: n)
        end = [Int32](repeating: 0, count: n)
        var next = Array(counts.dropLast())
        for r in 0..<records.count {
            let s = sourceOf[Int(records.source[r])], u = Int(unitOf[Int(records.participant[r])])
            guard s >= 0, u >= 0 else { continue }
            let g = next[u]
            next[u] += 1
            record[g] = Int32(r)
            source[g] = s
            start[g] = records.startDay[r]
            end[g] = records.endDay[r]
        }
    }

    func range(of unit: Int) -> Range<Int> { offsets[unit]..<offsets[unit + 1] }

    /// Grouped record g's first day, and its last (`Int.max` when open).
    @inline(__always) func startDay(_ g: Int) -> Int { Int(start[g]) }
    @inline(__always) func endDay(_ g: Int) -> Int { end[g] == RecordTable.openEnd ? Int.max : Int(end[g]) }
}
