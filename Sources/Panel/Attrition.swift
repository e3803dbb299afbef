import TrialDesign
import Records

/// Attrition per wave and arm, and the CONSORT counts, from the derived rows.
enum Attrition {
    static func count(design: Design, rows: [PanelRow], exitReason: [String: String]) -> [WaveAttrition] {
        var out: [WaveAttrition] = []
        for wave in design.waves {
            for arm in design.arms {
                var a = WaveAttrition(wave: wave.id, arm: arm.id, randomised: 0, interviewed: 0, outsideWindowKept: 0,
                                      outsideWindowMissing: 0, noResponse: 0, censoredByReason: [:])
                for row in rows where row.wave == wave.id && row.arm == arm.id {
                    a.randomised += 1
                    switch row.interview {
                    case .interviewed: a.interviewed += 1
                    case .outsideWindowKept: a.outsideWindowKept += 1
                    case .outsideWindowMissing: a.outsideWindowMissing += 1
                    case .noResponse: a.noResponse += 1
                    case .noSurvey: break
                    }
                    if row.outcomes.contains(where: { $0.status == .censored }) {
                        a.censoredByReason[exitReason[row.unitID] ?? "unknown", default: 0] += 1
                    }
                }
                out.append(a)
            }
        }
        return out
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
        var waves: [ConsortCounts.WaveCounts] = []
        for wave in design.waves {
            // Outcomes measured at this wave.
            let measured = design.outcomes.enumerated().filter { $0.element.windows[wave.id] != nil }.map(\.offset)
            var arms: [ConsortCounts.ArmWave] = []
            for arm in design.arms {
                var c = ConsortCounts.ArmWave(arm: arm.id, allocated: allocated[arm.id] ?? 0, followedUp: 0, lostNoResponse: 0,
                                              lostOutsideWindow: 0, registryCensored: 0, analysed: 0, analysedByOutcome: [:])
                for o in measured { c.analysedByOutcome[outcomeIDs[o]] = 0 }
                for row in rows where row.wave == wave.id && row.arm == arm.id {
                    switch row.interview {
                    case .interviewed, .outsideWindowKept: c.followedUp += 1
                    case .outsideWindowMissing: c.lostOutsideWindow += 1
                    case .noResponse: c.lostNoResponse += 1
                    case .noSurvey: break
                    }
                    if row.outcomes.contains(where: { $0.status == .censored }) { c.registryCensored += 1 }
                    var any = false
                    for o in measured where row.outcomes[o].status == .observed {
                        c.analysedByOutcome[outcomeIDs[o], default: 0] += 1
                        any = true
                    }
                    if any { c.analysed += 1 }
                }
                arms.append(c)
            }
            waves.append(.init(wave: wave.id, arms: arms))
        }
        return ConsortCounts(screened: enrolment.screened, excluded: enrolment.excluded, eligible: enrolment.eligible,
                             eligibleNotRandomised: enrolment.notRandomised, randomised: units.count,
                             allocated: allocated, takeUp: takeUpCounts, waves: waves)
    }
}
