/// The counts a report prints, in one `CountLedger` with the sums a reader can use: the CONSORT flow
/// (screened = excluded + randomised, excluded = Σ reasons, randomised = Σ allocated, per arm and wave
/// allocated = followed up + not followed up through each data source, not followed up = Σ reasons), the
/// effect tables (N = control N + intervention N), the attrition table, the subgroup table (the levels'
/// N of an arm add up to its N in the effect table), the balance table (a binary covariate's share gives
/// the count with it and without it: n = with + without), and the equalities between them
/// (the analysed N of an outcome in the CONSORT box is its N in the effect table; an analysed N equal to a
/// follow-up count is recorded as equal, since a reader would read it so).
///
/// The keys are paths (`consort/ARM/WAVE/survey/not followed up/REASON`, `effects/OUTCOME/WAVE/control`);
/// `counts.json` lists them.
public enum ReportLedger {
    public static func ledger(_ r: ReportContent) -> CountLedger {
        var ledger = CountLedger()
        if let flow = r.consort { add(flow, to: &ledger) }
        add(r.effects, to: &ledger)
        if let flow = r.consort {
            // The CONSORT analysed N of an outcome is its N in the effect table.
            for arm in flow.arms {
                guard let side = arm.comparedAs else { continue }
                for wave in arm.waves {
                    for family in wave.analysed {
                        for o in family.outcomes {
                            ledger.sum(effect(o.id, wave.id, side), equals: [analysed(flow: flow, arm: arm, wave: wave, outcome: o)])
                        }
                    }
                }
            }
        }
        add(r.attrition, flow: r.consort, to: &ledger)
        add(r.subgroups, to: &ledger)
        if let balance = r.balance { add(balance, flow: r.consort, to: &ledger) }
        return ledger
    }

    /// The N of one arm (`control` or `intervention`) in one level of a subgroup, for an outcome at a wave.
    public static func subgroup(_ row: SubgroupRow, _ level: SubgroupLevelEffect, _ side: String) -> String {
        "subgroups/\(row.subgroupID ?? row.subgroup)/\(row.outcomeID ?? row.outcome)/\(row.waveID ?? row.wave)/\(level.code ?? level.label)/\(side)"
    }

    /// A balance row's count of an arm (`control` or `intervention`): `with` or `without` the (binary)
    /// covariate, or `n`, the families with a value.
    public static func balance(_ row: BalanceRow, _ side: String, _ what: String) -> String { "balance/\(row.label)/\(side)/\(what)" }

    /// The subgroup table: each arm's N in each level; the levels of a subgroup add up to the arm's N of
    /// the outcome at the wave in the effect table (recorded when they do: a family without the subgroup's
    /// value is in no level).
    static func add(_ rows: [SubgroupRow], to ledger: inout CountLedger) {
        for row in rows {
            for side in ["control", "intervention"] {
                var parts: [String] = []
                for level in row.levels {
                    let key = subgroup(row, level, side)
                    ledger.add(key, side == "control" ? level.controlN : level.interventionN)
                    parts.append(key)
                }
                if let o = row.outcomeID, let w = row.waveID { ledger.sum(effect(o, w, side), equals: parts) }
            }
        }
    }

    /// The balance table: a binary covariate's mean is a share, and with the arm's N it gives the count
    /// of families with it, and without it. Per arm `n = with + without`, the arm's N equal to its
    /// allocation in the CONSORT flow when it is; the four counts of a row are shown or hidden together
    /// (the table prints both arms' means or neither).
    static func add(_ table: BalanceTable, flow: ConsortFlow?, to ledger: inout CountLedger) {
        for row in table.rows {
            var cells: [String] = []
            for (side, arm) in [("control", row.control), ("intervention", row.intervention)] {
                let n = balance(row, side, "n"), with = balance(row, side, "with"), without = balance(row, side, "without")
                // Two covariates with one label: the second's counts are left to the count rule alone.
                guard let positives = arm.positives, ledger.values[n] == nil else { continue }
                ledger.add(n, arm.n)
                ledger.add(with, positives)
                ledger.add(without, arm.n - positives)
                ledger.sum(n, equals: [with, without])
                if let a = flow?.arms.first(where: { $0.comparedAs == side }) { ledger.sum(allocated(a), equals: [n]) }
                cells += [with, without]
            }
            ledger.together(cells)
        }
    }

    static let survey = "survey", registries = "registries"
    static let screened = "consort/screened"
    static let excluded = "consort/excluded"
    static let randomised = "consort/randomised"
    static func excluded(_ reason: String) -> String { "consort/excluded/\(reason)" }
    static func allocated(_ arm: ArmFlow) -> String { "consort/\(arm.id)/allocated" }
    static func received(_ arm: ArmFlow) -> String { "consort/\(arm.id)/received" }
    static func followedUp(_ arm: ArmFlow, _ wave: WaveFlow, _ source: String) -> String {
        "consort/\(arm.id)/\(wave.id)/\(source)/followed up"
    }
    static func lost(_ arm: ArmFlow, _ wave: WaveFlow, _ source: String) -> String {
        "consort/\(arm.id)/\(wave.id)/\(source)/not followed up"
    }
    static func lost(_ arm: ArmFlow, _ wave: WaveFlow, _ source: String, _ reason: String) -> String {
        "consort/\(arm.id)/\(wave.id)/\(source)/not followed up/\(reason)"
    }
    static func analysed(flow: ConsortFlow, arm: ArmFlow, wave: WaveFlow, outcome: FamilyAnalysed.Outcome) -> String {
        "consort/\(arm.id)/\(wave.id)/analysed/\(outcome.id)"
    }
    /// An arm's N (`control` or `intervention`) of an outcome at a wave in the effect table.
    public static func effect(_ outcome: String, _ wave: String, _ side: String) -> String { "effects/\(outcome)/\(wave)/\(side)" }
    /// The N of an outcome at a wave in the effect table.
    public static func effectN(_ outcome: String, _ wave: String) -> String { "effects/\(outcome)/\(wave)/N" }
    static func effectReceivedN(_ outcome: String, _ wave: String) -> String { "effects/\(outcome)/\(wave)/N treatment received" }
    /// The attrition table's cells (`responded` or `allocated`).
    public static func attrition(_ wave: String, _ side: String, _ what: String) -> String { "attrition/\(wave)/\(side)/\(what)" }

    static func add(_ flow: ConsortFlow, to ledger: inout CountLedger) {
        ledger.add(screened, flow.screened)
        ledger.add(excluded, flow.excludedTotal)
        for r in flow.excluded { ledger.add(excluded(r.reason), r.count) }
        ledger.add(randomised, flow.randomised)
        ledger.sum(excluded, equals: flow.excluded.map { excluded($0.reason) })
        ledger.sum(screened, equals: [excluded, randomised])
        for arm in flow.arms {
            ledger.add(allocated(arm), arm.allocated)
            if let r = arm.received { ledger.add(received(arm), r) }
        }
        ledger.sum(randomised, equals: flow.arms.map(allocated))
        for arm in flow.arms {
            for wave in arm.waves {
                for (source, f) in [(survey, wave.survey), (registries, wave.registries)] {
                    guard let f else { continue }
                    let followed = followedUp(arm, wave, source)
                    ledger.add(followed, f.followedUp)
                    for r in f.lost { ledger.add(lost(arm, wave, source, r.reason), r.count) }
                    if f.lost.count > 1 {
                        ledger.add(lost(arm, wave, source), f.lostTotal)
                        ledger.sum(lost(arm, wave, source), equals: f.lost.map { lost(arm, wave, source, $0.reason) })
                        ledger.sum(allocated(arm), equals: [followed, lost(arm, wave, source)])
                    } else {
                        ledger.sum(allocated(arm), equals: [followed] + f.lost.map { lost(arm, wave, source, $0.reason) })
                    }
                }
                for family in wave.analysed {
                    for o in family.outcomes {
                        let key = analysed(flow: flow, arm: arm, wave: wave, outcome: o)
                        ledger.add(key, o.n)
                        for (source, f) in [(survey, wave.survey), (registries, wave.registries)] where f?.followedUp == o.n {
                            ledger.sum(followedUp(arm, wave, source), equals: [key])
                        }
                    }
                }
            }
        }
    }

    static func add(_ table: EffectTable, to ledger: inout CountLedger) {
        for o in table.outcomes {
            for wave in table.waves {
                guard let e = o.waves[wave.id] else { continue }
                let c = effect(o.id, wave.id, "control"), i = effect(o.id, wave.id, "intervention"), n = effectN(o.id, wave.id)
                ledger.add(c, e.control.n)
                ledger.add(i, e.intervention.n)
                ledger.add(n, e.itt.nObs, lastResort: true)
                ledger.sum(n, equals: [c, i])
                if let r = e.treatmentReceived {
                    ledger.add(effectReceivedN(o.id, wave.id), r.nObs, lastResort: true)
                    ledger.sum(n, equals: [effectReceivedN(o.id, wave.id)])
                }
            }
        }
    }

    static func add(_ rows: [AttritionRow], flow: ConsortFlow?, to ledger: inout CountLedger) {
        for row in rows {
            for (side, responded, allocatedN) in [("control", row.controlResponded, row.controlAllocated),
                                                  ("intervention", row.interventionResponded, row.interventionAllocated)] {
                let r = attrition(row.wave, side, "responded"), a = attrition(row.wave, side, "allocated")
                ledger.add(r, responded)
                ledger.add(a, allocatedN)
                guard let arm = flow?.arms.first(where: { $0.comparedAs == side }) else { continue }
                ledger.sum(allocated(arm), equals: [a])
                if let wave = arm.waves.first(where: { $0.label == row.wave }), wave.survey != nil {
                    ledger.sum(followedUp(arm, wave, survey), equals: [r])
                }
            }
        }
    }
}

extension SmallCellPolicy {
    /// The report's counts after primary and secondary suppression: the one value set its writers print.
    public func disclose(_ report: ReportContent) -> DisclosedCounts { disclose(ReportLedger.ledger(report)) }
}

extension DisclosedCounts {
    /// A count as a table cell: the number, "<5" for a small cell, the catalogue's "not shown" for a
    /// secondary one (and for a key the ledger does not hold).
    public func text(_ key: String, catalogue: Catalogue = .english) -> String {
        text(shown(key) ?? .secondary, catalogue: catalogue)
    }

    /// A shown count as a table cell, in the catalogue's words.
    public func text(_ shown: Shown, catalogue: Catalogue = .english) -> String {
        switch shown {
        case let .value(n): return String(n)
        case let .small(t): return "<\(t)"
        case .secondary: return catalogue.notShown
        }
    }
}
