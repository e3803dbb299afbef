import Basics
import Estimation
import Foundation
import Panel
import Analysis
import TrialData
import Reporting
import Robustness
import Testing
import TestSupport
import TrialDesign

/// A synthetic trial on the MISSION design: 80 families, alternately assigned within two strata, with
/// leefloon, OCMW-aid and VDAB records and survey answers drawn from a fixed xorshift stream, and the
/// intervention arm given a higher chance of supplementary aid. Plain values, no files.
enum SyntheticTrial {
    struct Stream {
        var state: UInt64
        mutating func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state % 1_000_000) / 1_000_000
        }
    }

    static let design = try! Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))

    static func panel(families: Int = 80, design: Design = design) throws -> PanelData {
        var r = Stream(state: 0x9E37_79B9_7F4A_7C15)
        var units: [AssignedUnit] = [], records: [RegistryRecord] = [], responses: [SurveyResponse] = []
        let start = CalendarDate(year: 2018, month: 1, day: 10)!
        for i in 0..<families {
            let band = i % 2 == 0 ? "3" : "4-6"
            let treated = (i / 2) % 2 == 1
            let on = start.adding(days: 5 * i)
            let id = "F\(i)", key = String(format: "P%032d", i)
            units.append(AssignedUnit(id: id, linkKey: key, arm: treated ? "intervention" : "control", assignedOn: on, stratum: band,
                                      probability: 0.5, attributes: ["domains_weak": band == "3" ? "3" : "\(4 + i % 3)",
                                                                     "single_parent": r.next() < 0.35 ? "1" : "0", "deprivation_band": band,
                                                                     "mandate": treated && r.next() < 0.85 ? "1" : "0"]))
            let receives = r.next() < 0.45
            for k in -12...12 where receives && r.next() < 0.8 {
                let m = on.adding(months: k)
                records.append(RegistryRecord(source: "leefloon", participant: key, line: records.count + 2, start: m, end: m.adding(days: 27),
                                              attributes: ["category": "3"], numbers: ["amount": 1_000]))
            }
            for k in [2, 9] where r.next() < (treated ? 0.6 : 0.3) {
                let d = on.adding(months: k)
                records.append(RegistryRecord(source: "ocmw_aid", participant: key, line: records.count + 2, start: d, end: d,
                                              attributes: ["kind": "supplementary_one_off"], numbers: ["amount": 100 + 400 * r.next()]))
            }
            for k in 1...12 where r.next() < 0.2 {
                let m = on.adding(months: k)
                records.append(RegistryRecord(source: "vdab", participant: key, line: records.count + 2, start: m, end: m.adding(days: 27),
                                              attributes: ["category": r.next() < 0.5 ? "00" : "80", "placement": r.next() < 0.5 ? "training" : "none"]))
            }
            if r.next() < 0.85 {
                var answers: [String: Double] = [:]
                for item in ["rights_leefloon", "rights_childcare", "rights_energy", "rights_health"] {
                    answers[item] = (1 + 4 * r.next() + (treated ? 0.5 : 0)).rounded(.down).clamped(1, 5)
                }
                answers["services_fit"] = (1 + 4 * r.next()).rounded(.down)
                answers["material_aid"] = r.next() < 0.35 ? 1 : 0
                responses.append(SurveyResponse(source: "survey_m6", wave: "m6", participant: id, line: i + 2,
                                                interviewDate: on.adding(months: 6).adding(days: 3), answers: answers))
            }
            if r.next() < 0.8 {
                responses.append(SurveyResponse(source: "survey_m12", wave: "m12", participant: id, line: i + 2,
                                                interviewDate: on.adding(months: 12),
                                                answers: ["household_income": (1_200 + 1_000 * r.next()).rounded(),
                                                          "social_housing": r.next() < 0.3 ? 1 : 0, "regular_employment": r.next() < 0.25 ? 1 : 0]))
            }
        }
        return try Panel.derive(design: design, units: units, records: records, responses: responses, exits: [],
                                options: PanelOptions(screening: Screening(screened: families + 20, excluded: ["consent": 20])))
    }

    static let provenance = Provenance(software: "test", designFile: "mission-kortrijk.yaml", designFingerprint: "0", dataFingerprints: [],
                                       seeds: [], generatedOn: "2026-01-01")
}

extension Double {
    func clamped(_ a: Double, _ b: Double) -> Double { Swift.min(b, Swift.max(a, self)) }
}

@Suite struct AnalysisTests {
    static let panel = try! SyntheticTrial.panel()
    static let result = try! TrialAnalysis.analyse(design: SyntheticTrial.design, panel: panel, provenance: SyntheticTrial.provenance,
                                              options: AnalysisOptions(permutations: 500))

    func effect(_ r: AnalysisResult, _ outcome: String, _ wave: String) throws -> WaveEffect {
        try #require(r.effects.outcomes.first { $0.id == outcome }?.waves[wave])
    }

    @Test func armSummariesAreThePanelsMeansAndCounts() throws {
        for o in Self.result.effects.outcomes {
            for (wave, e) in o.waves {
                let column = Self.panel.column(outcome: o.id, wave: wave)
                for (arm, summary) in [("control", e.control), ("intervention", e.intervention)] {
                    let xs = column.filter { $0.row.arm == arm }.compactMap(\.cell.value)
                    #expect(summary.n == xs.count, "\(o.id) \(wave) \(arm)")
                    #expect(isClose(summary.mean, xs.reduce(0, +) / Double(xs.count), relative: 1e-12))
                    if o.kind == .binary { #expect(summary.positives == xs.filter { $0 == 1 }.count) }
                }
            }
        }
    }

    /// `families[].correction: sharpened_q` → the q-values of the family's ITT p-values at each wave.
    @Test func adjustedPValuesAreSharpenedQWithinFamilyAndWave() throws {
        let design = SyntheticTrial.design
        var checked = 0
        for family in design.families {
            for wave in ["m6", "m12"] {
                // Outcomes without variation (p not a number) are left out of the family, as the pipeline does.
                let members = Self.result.effects.outcomes.filter { $0.family == family.id }.compactMap { $0.waves[wave] }
                    .filter { $0.itt.pValue.isFinite }
                guard !members.isEmpty else { continue }
                // Sharpened q-values (Anderson 2008), computed here from their definition on a grid of q.
                let p = members.map(\.itt.pValue)
                let m = Double(p.count)
                var q = [Double](repeating: 1, count: p.count)
                for qq in stride(from: 1.0, through: 0.001, by: -0.001) {
                    let q1 = qq / (1 + qq)
                    let sorted = p.sorted()
                    let r1 = sorted.indices.last { sorted[$0] <= q1 * Double($0 + 1) / m }.map { $0 + 1 } ?? 0
                    let q2 = q1 * m / (m - Double(r1))
                    let r2 = sorted.indices.last { sorted[$0] <= q2 * Double($0 + 1) / m }.map { $0 + 1 } ?? 0
                    for i in p.indices where r2 > 0 && p[i] <= sorted[r2 - 1] { q[i] = qq }
                }
                for (e, expected) in zip(members, q) {
                    let adjusted = try #require(e.adjustedP)
                    #expect(abs(adjusted - expected) <= 0.0011, "\(family.id) \(wave): \(adjusted) vs \(expected)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 15)
    }

    /// `analysis.estimator: dim` without strata fixed effects: the effect is the difference of the arm means.
    @Test func differenceInMeansDesignGivesTheDifferenceOfArmMeans() throws {
        var design = SyntheticTrial.design
        design.analysis.estimator = .dim
        design.analysis.fixedEffects = false
        let r = try TrialAnalysis.analyse(design: design, panel: Self.panel, provenance: SyntheticTrial.provenance, options: AnalysisOptions(permutations: 0))
        for o in r.effects.outcomes {
            for (wave, e) in o.waves {
                #expect(isClose(e.itt.estimate, e.intervention.mean - e.control.mean, relative: 1e-10, absolute: 1e-12), "\(o.id) \(wave)")
                #expect(e.randomizationP == nil)
            }
        }
        #expect(r.content.prespecified[0].contains("difference in means"))
    }

    /// The Lin estimate with HC2 is the one `Estimation.estimate` gives on the wave's rows.
    @Test func linWithStrataAndCovariatesMatchesADirectFit() throws {
        let rows = Self.panel.rows.filter { $0.wave == "m6" }
        let o = Self.panel.outcomeIDs.firstIndex(of: "supplementary_aid")!
        let cov = Self.panel.covariateIDs
        var columns: [(name: String, values: [String?])] = [("arm", rows.map(\.arm)), ("stratum", rows.map(\.stratum)),
                                                            ("y", rows.map { $0.outcomes[o].value.map { "\($0)" } })]
        for (c, id) in cov.enumerated() { columns.append((id, rows.map { $0.covariates[c].value.map { "\($0)" } })) }
        let fit = try Estimation.estimate(EstimationSpec(estimator: .lin, outcomes: ["y"], treatment: "arm", control: "control",
                                                         covariates: ["domains_weak", "single_parent", "leefloon_before"],
                                                         fixedEffects: "stratum", variance: .hc2), data: EstimationData(columns: columns))
        let row = try #require(fit.row(term: "arm=intervention"))
        let e = try effect(Self.result, "supplementary_aid", "m6")
        #expect(isClose(e.itt.estimate, row.estimate, relative: 1e-12) && isClose(e.itt.stdError, row.stdError, relative: 1e-12))
        #expect(e.itt.estimate > 0)
        // Take-up declared: the 2SLS effect is larger than the ITT by about 1 / (share of intervention families with a mandate).
        let tr = try #require(e.treatmentReceived)
        #expect(tr.term == "take_up" && tr.estimate > e.itt.estimate)
    }

    /// Randomization inference: p-values are shares of the draws, and the same seed gives the same p.
    @Test func randomizationPValuesAreReproducibleShares() throws {
        let again = try TrialAnalysis.analyse(design: SyntheticTrial.design, panel: Self.panel, provenance: SyntheticTrial.provenance,
                                         options: AnalysisOptions(permutations: 500))
        var n = 0
        for o in Self.result.effects.outcomes {
            for (wave, e) in o.waves where e.control.sd > 0 || e.intervention.sd > 0 {
                let p = try #require(e.randomizationP, "\(o.id) \(wave)")
                #expect(p >= 0 && p <= 1 && abs((p * 500).rounded() - p * 500) < 1e-9)
                #expect(try effect(again, o.id, wave).randomizationP == p)
                n += 1
            }
        }
        #expect(n >= 15)
        #expect(Self.result.content.provenance.seeds.contains { $0.contains("seed 2786") && $0.contains("500 re-drawn") })
    }

    /// Issue 22: the CONSORT "Analysed" lines give, per family of outcomes, each outcome's N in its arm as
    /// the effect table has it, so that the two arms' N add up to the table's N; and each wave's flow adds
    /// up from allocated through the survey and through the registries.
    @Test func consortAnalysedPerFamilyIsTheTablesN() throws {
        let flow = try #require(Self.result.content.consort)
        let table = Self.result.content.effects
        var compared = 0
        for wave in table.waves {
            for family in table.families {
                let outcomes = table.outcomes(in: family.id).filter { $0.waves[wave.id] != nil }
                guard !outcomes.isEmpty else { continue }
                var perOutcome: [String: Int] = [:]
                for arm in flow.arms {
                    let side = try #require(arm.comparedAs)
                    let w = try #require(arm.waves.first { $0.id == wave.id }, "\(arm.id) has no box at \(wave.id)")
                    let analysed = try #require(w.analysed.first { $0.label == family.label }, "\(family.id) at \(wave.id)")
                    #expect(analysed.outcomes.map(\.id) == outcomes.map(\.id))
                    for (o, a) in zip(outcomes, analysed.outcomes) {
                        let e = o.waves[wave.id]!
                        #expect(a.n == (side == "control" ? e.control.n : e.intervention.n))
                        perOutcome[o.id, default: 0] += a.n
                    }
                }
                for o in outcomes {
                    #expect(perOutcome[o.id] == o.waves[wave.id]!.itt.nObs, "\(o.id) at \(wave.id): the boxes add up to the table's N")
                    compared += 1
                }
            }
        }
        #expect(compared >= 4)
        for arm in flow.arms {
            for w in arm.waves {
                for f in [w.survey, w.registries].compactMap({ $0 }) { #expect(f.followedUp + f.lostTotal == arm.allocated) }
                #expect(w.survey != nil || w.registries != nil)
            }
        }
    }

    @Test func consortFlowAndAttritionComeFromThePanel() throws {
        let flow = try #require(Self.result.content.consort)
        #expect(flow.screened == 100 && flow.randomised == 80)
        #expect(flow.excluded.map(\.count) == [20])
        #expect(flow.arms.map(\.allocated) == [40, 40])
        let mandates = Self.panel.rows.filter { $0.wave == "m6" && $0.takeUp == 1 }.count
        #expect(flow.arms[1].received == mandates && flow.arms[0].received == 0)
        let m6 = try #require(Self.result.content.attrition.first { $0.wave == "Six months" })
        let interviewed = Self.panel.rows.filter { $0.wave == "m6" && $0.interview == .interviewed }
        #expect(m6.controlResponded + m6.interventionResponded == interviewed.count)
        #expect(m6.controlAllocated == 40)
        // The differential-attrition tests are Robustness's, on the wave's response indicator with the
        // strata absorbed and the design's analysis covariates.
        let rows = Self.panel.rows.filter { $0.wave == "m6" }
        let covariates = SyntheticTrial.design.analysis.covariates.map { id in
            Robustness.Covariate(name: id, values: rows.map { $0.covariates[Self.panel.covariateIDs.firstIndex(of: id)!].value })
        }
        let direct = try DifferentialAttrition(observed: rows.map { $0.interview.answersUsed }, treated: rows.map { $0.arm == "intervention" },
                                               strata: rows.map { $0.stratum ?? "" }, covariates: covariates)
        #expect(m6.differential.count == 2)
        #expect(m6.differential[0].name.hasPrefix("response rate, intervention − control"))
        #expect(isClose(m6.differential[0].statistic, direct.treatmentEffect.statistic, relative: 1e-12))
        #expect(isClose(m6.differential[0].pValue, direct.treatmentEffect.pValue, relative: 1e-12))
        let f = try #require(direct.interactionTest)
        #expect(isClose(m6.differential[1].statistic, f.fStatistic, relative: 1e-12))
        #expect(m6.differential[1].df == "3, \(Int(f.denominatorDF))")
        let balance = try #require(Self.result.content.balance)
        #expect(balance.rows.count == 3 && balance.omnibus != nil)
    }
}

@Suite struct SubgroupTests {
    /// Without covariates and fixed effects, the effect within a level is the difference of the arm means
    /// in that level; every primary outcome at every wave gets a row per two-level subgroup.
    @Test func effectsWithinLevelsAreDifferencesOfMeans() throws {
        var design = SyntheticTrial.design
        design.analysis.covariates = []
        design.analysis.fixedEffects = false
        let panel = try SyntheticTrial.panel(design: design)
        let r = try TrialAnalysis.analyse(design: design, panel: panel, provenance: SyntheticTrial.provenance, options: AnalysisOptions(permutations: 0))
        let rows = r.content.subgroups
        #expect(rows.count >= 8, "\(rows.count) subgroup rows")
        let row = try #require(rows.first { $0.outcome.hasPrefix("Receives supplementary") && $0.wave == "Six months" && $0.subgroup.hasPrefix("Single") })
        let o = panel.outcomeIDs.firstIndex(of: "supplementary_aid")!
        // The levels carry the design's labels, in the design's order, and the families of each arm.
        #expect(row.levels.map(\.label) == ["Two-parent families", "Single-parent families"])
        for (level, value) in zip(row.levels, ["0", "1"]) {
            let cells = panel.rows.filter { $0.wave == "m6" && $0.cohort["single_parent"] == value }
            func values(_ arm: String) -> [Double] { cells.filter { $0.arm == arm }.compactMap { $0.outcomes[o].value } }
            func mean(_ arm: String) -> Double { values(arm).reduce(0, +) / Double(values(arm).count) }
            #expect(isClose(level.estimate.estimate, mean("intervention") - mean("control"), relative: 1e-10, absolute: 1e-12), "\(level.label)")
            #expect(level.controlN == values("control").count && level.interventionN == values("intervention").count)
            #expect(level.controlN > 0 && level.interventionN > 0)
        }
        #expect(row.interactionP > 0 && row.interactionP <= 1)
        #expect(r.content.prespecified.contains { $0.hasPrefix("Subgroups (primary outcomes)") })
    }

    /// With the design's covariates and strata (deprivation band is both a stratum and a subgroup) every
    /// primary outcome still gets its subgroup rows: the level indicator is absorbed by the strata.
    @Test func aSubgroupThatIsAStratumIsEstimable() throws {
        let rows = AnalysisTests.result.content.subgroups.filter { $0.subgroup.hasPrefix("Weak on 3") }
        #expect(rows.count >= 4)
        for r in rows { #expect(r.levels.map(\.label) == ["Weak on 3 domains", "Weak on 4 to 6 domains"]) }
        // single_parent is a subgroup and an adjustment covariate: its indicator is not entered twice.
        let single = AnalysisTests.result.content.subgroups.filter { $0.subgroup.hasPrefix("Single") }
        #expect(single.count >= 4)
        #expect(!AnalysisTests.result.warnings.contains { $0.contains("interaction is not estimable") })
    }
}

/// `correction: westfall_young`: the free step-down on the joint randomization distribution of each
/// family's outcomes at a wave (all re-drawn on the same assignments), and Holm with a stated deviation
/// when there is no randomization inference to step down on.
@Suite struct WestfallYoungFamilyTests {
    static let design: Design = {
        let text = try! String(contentsOfFile: Fixtures.path("designs/mission-kortrijk.yaml"), encoding: .utf8)
        return try! Design.parse(yaml: text.replacingOccurrences(of: "correction: sharpened_q", with: "correction: westfall_young"))
    }()

    func members(_ r: AnalysisResult, family: String, wave: String) -> [WaveEffect] {
        r.effects.outcomes.filter { $0.family == family }.compactMap { $0.waves[wave] }.filter { $0.itt.pValue.isFinite }
    }

    @Test func stepDownOnTheJointRandomizationDistribution() throws {
        let panel = try SyntheticTrial.panel(design: Self.design)
        let r = try TrialAnalysis.analyse(design: Self.design, panel: panel, provenance: SyntheticTrial.provenance,
                                     options: AnalysisOptions(permutations: 400))
        #expect(!r.content.deviations.contains { $0.contains("Westfall") }, "\(r.content.deviations)")
        var checked = 0
        for family in ["financial_support", "employment"] {
            for wave in ["m6", "m12"] {
                let ms = members(r, family: family, wave: wave)
                guard !ms.isEmpty else { continue }
                for e in ms {
                    let adjusted = try #require(e.adjustedP), raw = try #require(e.randomizationP)
                    // Never below the outcome's own randomization p-value, never above Bonferroni's bound.
                    #expect(adjusted >= raw - 1e-12 && adjusted <= min(1, Double(ms.count) * raw) + 1e-9,
                            "\(family) \(wave): \(adjusted) vs raw \(raw)")
                    checked += 1
                }
                // Step-down order: a smaller randomization p-value never gets a larger adjusted one.
                for a in ms { for b in ms where a.randomizationP! < b.randomizationP! {
                    #expect(a.adjustedP! <= b.adjustedP! + 1e-12)
                } }
                if ms.count == 1 { #expect(ms[0].adjustedP == ms[0].randomizationP) }
            }
        }
        #expect(checked >= 8)
    }

    @Test func holmWithADeviationWithoutRandomizationInference() throws {
        let panel = try SyntheticTrial.panel(design: Self.design)
        let r = try TrialAnalysis.analyse(design: Self.design, panel: panel, provenance: SyntheticTrial.provenance,
                                     options: AnalysisOptions(permutations: 0))
        #expect(r.content.deviations.contains { $0.contains("Westfall–Young step-down needs randomization inference") })
        let ms = members(r, family: "financial_support", wave: "m6")
        let p = ms.map(\.itt.pValue)
        // Holm: sorted ascending, p_(i) · (m − i + 1), running maximum, capped at 1.
        let order = p.indices.sorted { p[$0] < p[$1] }
        var holm = [Double](repeating: 0, count: p.count), running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, p[i] * Double(p.count - rank)))
            holm[i] = running
        }
        for (e, h) in zip(ms, holm) { #expect(isClose(try #require(e.adjustedP), h, relative: 1e-12)) }
    }
}

/// A subgroup with more than two levels (`domains_weak`: 3, 4, 5, 6 in the synthetic trial; also an
/// adjustment covariate): the effect in every level and the joint test that the arm × level
/// interactions are all zero. The joint test does not depend on which level is the base; here it is
/// recomputed with the last level as base and must give the pipeline's p-value.
@Suite struct ManyLevelSubgroupTests {
    static let design: Design = {
        let text = try! String(contentsOfFile: Fixtures.path("designs/mission-kortrijk.yaml"), encoding: .utf8)
        return try! Design.parse(yaml: text.replacingOccurrences(of: """
            subgroups:
              - id: deprivation_band
            """, with: """
            subgroups:
              - id: domains
                label: Domains weak (3 to 6)
                column: domains_weak
              - id: deprivation_band
            """))
    }()

    @Test func jointInteractionTestOverFourLevels() throws {
        let panel = try SyntheticTrial.panel(design: Self.design)
        let r = try TrialAnalysis.analyse(design: Self.design, panel: panel, provenance: SyntheticTrial.provenance,
                                     options: AnalysisOptions(permutations: 0))
        let rows = r.content.subgroups.filter { $0.subgroup == "Domains weak (3 to 6)" }
        #expect(!rows.isEmpty, "\(r.warnings)")
        var checked = 0
        for row in rows {
            // No labels in the design: the codes themselves.
            #expect(row.levels.map(\.label) == ["3", "4", "5", "6"])
            let outcome = try #require(Self.design.outcomes.first { $0.label == row.outcome })
            let wave = try #require(Self.design.waves.first { $0.label == row.wave })
            // In the synthetic trial leefloon during follow-up is almost exactly the covariate
            // leefloon_before (the same families receive it all along): the fit is nearly perfect, the
            // residuals nearly zero and the F statistic numerically undetermined in any parametrisation.
            if outcome.id == "leefloon" { continue }
            // The same model with level 6 as the base: indicators and products of levels 3, 4, 5.
            let covariates = ["single_parent", "leefloon_before"].map { panel.covariateIDs.firstIndex(of: $0)! }
            let cells = panel.column(outcome: outcome.id, wave: wave.id).filter { c in
                c.cell.value != nil && c.row.cohort["domains_weak"] != nil && c.row.stratum != nil
                    && covariates.allSatisfy { c.row.covariates[$0].value != nil }
            }
            var regressors: [(name: String, values: [Double])] = [("arm", cells.map { $0.row.arm == "intervention" ? 1 : 0 })]
            var products: [String] = []
            for level in ["3", "4", "5"] {
                let indicator = cells.map { $0.row.cohort["domains_weak"] == level ? 1.0 : 0.0 }
                // Level 3 is the stratum "3" of the synthetic trial: absorbed by the strata.
                if level != "3" { regressors.append(("level \(level)", indicator)) }
                regressors.append(("arm x \(level)", zip(cells, indicator).map { $0.0.row.arm == "intervention" ? $0.1 : 0 }))
                products.append("arm x \(level)")
            }
            for (name, j) in zip(["single_parent", "leefloon_before"], covariates) {
                regressors.append((name, cells.map { $0.row.covariates[j].value! }))
            }
            let fit = try LinearModel.fit(y: cells.map { $0.cell.value! }, regressors: regressors,
                                          fixedEffects: cells.map { $0.row.stratum! }, variance: .hc2)
            let p = try WaldTest(fit: fit, zero: products).pValue
            #expect(isClose(row.interactionP, p, relative: 1e-9), "\(row.outcome) \(row.wave): \(row.interactionP) vs \(p)")
            #expect(p > 0 && p < 1)
            checked += 1
        }
        #expect(checked >= 2)
    }
}


/// `analysis.estimator: dim`: the difference in means chooses its own variance (Welch, blocked, clustered
/// CR2 or matched pairs), so the analysis passes it none and words nothing in command-line flags. With the
/// default `analysis.variance` (hc2) nothing is said; with another, one note in the design's words.
@Suite struct DifferenceInMeansDesignTests {
    static func design(variance: String) -> Design {
        let text = try! String(contentsOfFile: Fixtures.path("designs/mission-kortrijk.yaml"), encoding: .utf8)
        return try! Design.parse(yaml: text.replacingOccurrences(of: "estimator: lin", with: "estimator: dim")
            .replacingOccurrences(of: "variance: hc2", with: "variance: \(variance)"))
    }

    static func analyse(_ design: Design) throws -> AnalysisResult {
        try TrialAnalysis.analyse(design: design, panel: try SyntheticTrial.panel(design: design),
                                  provenance: SyntheticTrial.provenance, options: AnalysisOptions(permutations: 0))
    }

    @Test func noWordAboutTheCommandLinesSEAndOneNoteInDesignTerms() throws {
        let hc2 = try Self.analyse(Self.design(variance: "hc2"))
        #expect(!hc2.warnings.isEmpty)  // rows dropped listwise, as with any estimator
        #expect(!hc2.warnings.contains { $0.contains("--") || $0.contains("variance") }, "\(hc2.warnings)")
        #expect(!hc2.content.deviations.contains { $0.contains("--") }, "\(hc2.content.deviations)")

        let hc1 = try Self.analyse(Self.design(variance: "hc1"))
        #expect(!hc1.warnings.contains { $0.contains("--") }, "\(hc1.warnings)")
        #expect(hc1.warnings.filter { $0.contains("variance") } == [
            "analysis.variance is ignored by analysis.estimator: dim, which chooses its variance from the design (Welch, blocked, clustered CR2 or matched pairs)",
        ])
        // The variance is indeed the difference in means' own: the same estimates and standard errors.
        #expect(hc1.effects.outcomes.count == hc2.effects.outcomes.count && !hc2.effects.outcomes.isEmpty)
        for (a, b) in zip(hc1.effects.outcomes, hc2.effects.outcomes) {
            for (wave, e) in a.waves {
                let f = try #require(b.waves[wave])
                #expect(e.itt.estimate.isNaN && f.itt.estimate.isNaN || e.itt.estimate == f.itt.estimate, "\(a.id) \(wave)")
                #expect(e.itt.stdError.isNaN && f.itt.stdError.isNaN || e.itt.stdError == f.itt.stdError, "\(a.id) \(wave)")
            }
        }
    }

    /// The blocked difference in means with the strata as blocks, as `rct estimate --estimator dim
    /// --blocks stratum` computes it on the wave's rows.
    @Test func theEffectIsTheBlockedDifferenceInMeans() throws {
        let design = Self.design(variance: "hc2")
        let panel = try SyntheticTrial.panel(design: design)
        let r = try TrialAnalysis.analyse(design: design, panel: panel, provenance: SyntheticTrial.provenance,
                                          options: AnalysisOptions(permutations: 0))
        let e = try #require(r.effects.outcomes.first { $0.id == "supplementary_one_off" }?.waves["m12"])
        let column = panel.column(outcome: "supplementary_one_off", wave: "m12").filter { $0.cell.value != nil }
        // Blocked difference in means by hand: Σ_j (N_j / N) (Ȳ₁ⱼ − Ȳ₀ⱼ) over the strata.
        var byStratum: [String: [(arm: String, y: Double)]] = [:]
        for c in column { byStratum[c.row.stratum!, default: []].append((c.row.arm, c.cell.value!)) }
        let n = Double(column.count)
        var tau = 0.0
        for (_, rows) in byStratum {
            let mean = { (arm: String) -> Double in
                let ys = rows.filter { $0.arm == arm }.map(\.y)
                return ys.reduce(0, +) / Double(ys.count)
            }
            tau += Double(rows.count) / n * (mean("intervention") - mean("control"))
        }
        #expect(isClose(e.itt.estimate, tau, relative: 1e-10, absolute: 1e-12))
        #expect(e.itt.df == n - 2 * Double(byStratum.count))
    }
}
