/// The counts a report prints, in one `CountLedger` with the sums a reader can use: the CONSORT flow
/// (screened = excluded + randomised, excluded = Σ reasons, randomised = Σ allocated, per arm and wave
/// allocated = followed up + not followed up through each data source, not followed up = Σ reasons), the
/// effect tables (N = control N + intervention N), the attrition table, and the equalities between them
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
        return ledger
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
    /// A count as a table cell: the number, "<5" for a small cell, "not shown" for a secondary one.
    public func text(_ key: String) -> String {
        switch shown(key) {
        case let .value(n)?: return String(n)
        case let .small(t)?: return "<\(t)"
        case .secondary?, nil: return "not shown"
        }
    }
}
