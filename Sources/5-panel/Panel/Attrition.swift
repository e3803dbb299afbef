import TrialDesign
import TrialData

/// Attrition per wave and arm, and the CONSORT counts, from the derived rows.
enum Attrition {
    static func count(design: Design, rows: [PanelRow], exitReason: [String: String]) -> [WaveAttrition] {
        // One pass over the rows, counting into per wave × arm cells (rows of other waves or arms are not counted).
        let waves = design.waves.map(\.id), arms = design.arms.map(\.id)
        var cells: [WaveAttrition] = []
        for wave in waves {
            for arm in arms {
                cells.append(WaveAttrition(wave: wave, arm: arm, randomised: 0, interviewed: 0, outsideWindowKept: 0,
                                           outsideWindowMissing: 0, noResponse: 0, censoredByReason: [:]))
            }
        }
        let scales = design.outcomes.enumerated().filter { $0.element.rule == .scale || ($0.element.rule == .indexMean && $0.element.impute == Imputation.none) }
        if !scales.isEmpty { for k in cells.indices { cells[k].tooFewItemsByOutcome = [:] } }
        var index = RowCellIndex(waves: waves, arms: arms)
        for i in rows.indices {
            guard let k = index.cell(wave: rows[i].wave, arm: rows[i].arm) else { continue }
            cells[k].randomised += 1
            switch rows[i].interview {
            case .interviewed: cells[k].interviewed += 1
            case .outsideWindowKept: cells[k].outsideWindowKept += 1
            case .outsideWindowMissing: cells[k].outsideWindowMissing += 1
            case .noResponse: cells[k].noResponse += 1
            case .noSurvey: break
            }
            if rows[i].outcomes.contains(where: { $0.status == .censored }) {
                cells[k].censoredByReason[exitReason[rows[i].unitID] ?? "unknown", default: 0] += 1
            }
            for (o, outcome) in scales where rows[i].outcomes[o].status == .tooFewItems {
                cells[k].tooFewItemsByOutcome![outcome.id, default: 0] += 1
            }
        }
        return cells
    }

    static func consort(design: Design, units: [AssignedUnit], rows: [PanelRow], outcomeIDs: [String],
                        takeUp: [Double?], screening: Screening?) throws -> ConsortCounts {
        let enrolment = try ConsortCounts.enrolment(design: design, screening: screening, randomised: units.count)
        var allocated: [String: Int] = [:]
        for arm in design.arms { allocated[arm.id] = 0 }
        for u in units { allocated[u.arm, default: 0] += 1 }
        var takeUpCounts: [String: ConsortCounts.TakeUpCounts]? = nil
        if design.analysis.takeUp != nil {
            var t: [String: ConsortCounts.TakeUpCounts] = [:]
            for arm in design.arms { t[arm.id] = .init(received: 0, notReceived: 0, unknown: 0) }
            for (u, unit) in units.enumerated() {
                switch takeUp[u] {
                case 1?: t[unit.arm]!.received += 1
                case 0?: t[unit.arm]!.notReceived += 1
                default: t[unit.arm]!.unknown += 1
                }
            }
            takeUpCounts = t
        }
        // One pass over the rows, counting into per wave × arm cells; outcome counts in arrays by outcome
        // index, turned into the by-id dictionaries at the end.
        let waveIDs = design.waves.map(\.id), armIDs = design.arms.map(\.id)
        // Outcomes measured at each wave.
        let measured = waveIDs.map { wave in design.outcomes.enumerated().filter { $0.element.windows[wave] != nil }.map(\.offset) }
        var cells: [ConsortCounts.ArmWave] = []
        var analysedByOutcome: [[Int]] = []
        for (w, _) in waveIDs.enumerated() {
            for arm in armIDs {
                cells.append(ConsortCounts.ArmWave(arm: arm, allocated: allocated[arm] ?? 0, followedUp: 0, lostNoResponse: 0,
                                                   lostOutsideWindow: 0, registryCensored: 0, analysed: 0, analysedByOutcome: [:]))
                analysedByOutcome.append([Int](repeating: 0, count: measured[w].count))
            }
        }
        var index = RowCellIndex(waves: waveIDs, arms: armIDs)
        for i in rows.indices {
            guard let k = index.cell(wave: rows[i].wave, arm: rows[i].arm) else { continue }
            switch rows[i].interview {
            case .interviewed, .outsideWindowKept: cells[k].followedUp += 1
            case .outsideWindowMissing: cells[k].lostOutsideWindow += 1
            case .noResponse: cells[k].lostNoResponse += 1
            case .noSurvey: break
            }
            let outcomes = rows[i].outcomes
            if outcomes.contains(where: { $0.status == .censored }) { cells[k].registryCensored += 1 }
            var any = false
            for (j, o) in measured[k / armIDs.count].enumerated() where outcomes[o].status == .observed {
                analysedByOutcome[k][j] += 1
                any = true
            }
            if any { cells[k].analysed += 1 }
        }
        var waves: [ConsortCounts.WaveCounts] = []
        for (w, wave) in waveIDs.enumerated() {
            var arms: [ConsortCounts.ArmWave] = []
            for a in armIDs.indices {
                let k = w * armIDs.count + a
                for (j, o) in measured[w].enumerated() { cells[k].analysedByOutcome[outcomeIDs[o], default: 0] += analysedByOutcome[k][j] }
                arms.append(cells[k])
            }
            waves.append(.init(wave: wave, arms: arms))
        }
        return ConsortCounts(screened: enrolment.screened, excluded: enrolment.excluded, eligible: enrolment.eligible,
                             eligibleNotRandomised: enrolment.notRandomised, randomised: units.count,
                             allocated: allocated, takeUp: takeUpCounts, waves: waves)
    }
}

/// The wave × arm cell of a row (wave-major), remembering the last answer: rows come unit by unit, so the
/// same few (wave, arm) pairs repeat and comparing two short strings is cheaper than hashing them.
struct RowCellIndex {
    let waves: [String]
    let arms: [String]
    private var last: (wave: String, arm: String, cell: Int?)?

    init(waves: [String], arms: [String]) {
        self.waves = waves
        self.arms = arms
    }

    /// nil when the wave or the arm is not the design's.
    mutating func cell(wave: String, arm: String) -> Int? {
        if let last, last.wave == wave, last.arm == arm { return last.cell }
        var cell: Int? = nil
        if let w = waves.firstIndex(of: wave), let a = arms.firstIndex(of: arm) { cell = w * arms.count + a }
        last = (wave, arm, cell)
        return cell
    }
}
