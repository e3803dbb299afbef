import Assignment
import Inference
import Panel
import Robustness
import Reporting
import TrialDesign

/// The parts of the report besides the effect table: pre-specified choices, CONSORT flow, baseline
/// balance and attrition.
enum ReportAssembly {
    /// One sentence per pre-specified choice of the design's `analysis` and `families`, in the report's
    /// language (`Catalogue.methods`).
    static func prespecified(design: Design, permutations: Int) -> [String] {
        let a = design.analysis
        let c = design.reportCatalogue, m = c.methods
        var out: [String] = []
        let estimator = m.estimator(a.estimator.rawValue, a.estimator.reportDescription)
        var varianceText = m.standardErrors(a.variance.rawValue.uppercased())
        if let clusters = design.analysisClusters, a.variance.isClustered || a.estimator.takesBlocks {
            let cr = a.estimator.takesBlocks ? "CR2" : a.variance.rawValue.uppercased()
            varianceText = m.clusteredStandardErrors(cr, clusters.column, cr == "CR2")
        }
        out.append(m.itt(estimator, varianceText, c.numbers.fixed(a.level * 100, 0) + "%"))
        if EffectEstimation.usesStrata(design) {
            let s = design.strata.map(\.column).joined(separator: ", ")
            out.append(a.estimator.takesBlocks ? m.strataAsBlocks(s) : m.strataAbsorbed(s))
        }
        if !a.estimator.takesBlocks, !a.covariates.isEmpty {
            let labels = a.covariates.map { id in design.covariates.first { $0.id == id }?.label ?? id }
            out.append(m.baselineCovariates(labels.joined(separator: "; ")))
        }
        if let t = a.takeUp { out.append(m.treatmentReceived(t.column)) }
        if permutations > 0 {
            let clusters = design.analysisClusters?.randomised == true ? design.analysisClusters!.column : nil
            out.append(m.randomizationInference(permutations, clusters, RandomizationInference.exactLimit, String(a.seed)))
        }
        for f in design.families { out.append(m.familyCorrection(f.label, m.correction(f.correction.rawValue))) }
        if !design.subgroups.isEmpty { out.append(m.subgroups(design.subgroups.map(\.label).joined(separator: "; "))) }
        for spec in a.sensitivity { out.append(m.sensitivity(spec.label, sentence(spec, design: design))) }
        let primary = design.outcomes.filter(\.primary).map(\.label)
        if !primary.isEmpty { out.append(m.primaryOutcomes(primary.joined(separator: "; "))) }
        return out
    }

    /// What a sensitivity specification does, in one sentence of the report's language.
    static func sentence(_ spec: AnalysisSpecification, design: Design) -> String {
        let m = design.reportCatalogue.methods
        var parts = [m.estimator(spec.estimator.rawValue, spec.estimator.reportDescription)]
        if !spec.estimator.takesBlocks { parts.append(m.standardErrors(spec.variance.rawValue.uppercased())) }
        if EffectEstimation.usesStrata(design, spec) { parts.append(spec.estimator.takesBlocks ? m.strataAsBlocksShort : m.strataAbsorbedShort) }
        if !spec.estimator.takesBlocks {
            parts.append(spec.covariates.isEmpty ? m.noCovariates
                : m.adjustedFor(spec.covariates.map { id in design.covariates.first { $0.id == id }?.label ?? id }.joined(separator: "; ")))
        }
        return parts.joined(separator: ", ") + "."
    }

    /// The CONSORT flow from the panel's counts (screening from the trial store when the panel had it) and
    /// the effect table: per arm and follow-up wave, allocated → followed up through the survey (those not
    /// interviewed by reason) and through the registries (those who left their scope) → analysed per family
    /// of outcomes, each outcome's N taken from the effect table so the box and the table agree. Reasons
    /// with no family are listed too (n = 0): a flow that adds up says so, and a zero is the cheapest cell
    /// for secondary suppression to take.
    static func consort(design: Design, panel: PanelData, effects: EffectTable, arms pair: ArmPair) -> ConsortFlow {
        let c = panel.consort
        var excluded = c.excluded.filter { $0.count > 0 }.map { CountedReason(reason: $0.reason, count: $0.count) }
        if let n = c.eligibleNotRandomised, n > 0 { excluded.append(CountedReason(reason: "eligible, not randomised", count: n)) }
        let waveLabels = Dictionary(uniqueKeysWithValues: design.waves.map { ($0.id, $0.label) })
        // Cluster-randomised: the clusters allocated to each arm (CONSORT's extension for cluster trials).
        var clustersPerArm: [String: Int] = [:]
        if design.analysisClusters?.randomised == true {
            var seen: [String: Set<String>] = [:]
            for row in panel.rows { if let c = row.cluster, !c.isEmpty { seen[row.arm, default: []].insert(c) } }
            clustersPerArm = seen.mapValues(\.count)
        }
        let arms = design.arms.map { arm -> ArmFlow in
            let side = arm.id == pair.control ? "control" : arm.id == pair.intervention ? "intervention" : nil
            // Follow-up waves only: a wave with no outcome (the baseline survey) analyses nobody.
            let waves = c.waves.compactMap { w -> WaveFlow? in
                let outcomes = design.outcomes.filter { $0.windows[w.wave] != nil }
                guard !outcomes.isEmpty, let a = w.arms.first(where: { $0.arm == arm.id }) else { return nil }
                let survey = outcomes.contains { $0.rule.isSurveyRule }
                    ? FollowUp(followedUp: a.followedUp,
                               lost: [CountedReason(reason: "no interview", count: a.lostNoResponse),
                                      CountedReason(reason: "interview outside the window", count: a.lostOutsideWindow)])
                    : nil
                let registries = outcomes.contains { !$0.rule.isSurveyRule }
                    ? FollowUp(followedUp: a.allocated - a.registryCensored,
                               lost: [CountedReason(reason: "left the registries' scope", count: a.registryCensored)])
                    : nil
                let analysed = effects.families.compactMap { family -> FamilyAnalysed? in
                    guard let side else { return nil }
                    let ns = effects.outcomes(in: family.id).compactMap { o -> FamilyAnalysed.Outcome? in
                        guard let e = o.waves[w.wave] else { return nil }
                        return .init(id: o.id, n: side == "control" ? e.control.n : e.intervention.n)
                    }
                    return ns.isEmpty ? nil : FamilyAnalysed(label: family.label, outcomes: ns)
                }
                return WaveFlow(id: w.wave, label: waveLabels[w.wave] ?? w.wave, survey: survey, registries: registries, analysed: analysed)
            }
            return ArmFlow(id: arm.id, label: arm.label, comparedAs: side, allocated: c.allocated[arm.id] ?? 0,
                           received: c.takeUp?[arm.id]?.received, waves: waves, clusters: clustersPerArm[arm.id])
        }
        return ConsortFlow(screened: c.screened ?? c.randomised, excluded: excluded, randomised: c.randomised, arms: arms)
    }

    /// Baseline balance of every design covariate (`Assignment.Balance`: means, SDs, standardized
    /// differences, the omnibus F-test of the arm on the covariates).
    static func balance(design: Design, waves: [WaveData], arms: ArmPair) throws -> Reporting.BalanceTable? {
        guard let w = waves.first, !design.covariates.isEmpty, !w.rows.isEmpty else { return nil }
        let columns = design.covariates.map { c in (name: c.id, values: w.covariates[c.id] ?? []) }
        let table = try Balance.table(arms: [arms.control, arms.intervention], control: arms.control,
                                      armOfUnit: w.rows.map(\.arm), covariates: columns)
        let rows = zip(design.covariates, table.rows).map { c, r -> Reporting.BalanceRow in
            // Binary covariates carry their positives, so the small-cell rule can check them.
            let values = w.covariates[c.id] ?? []
            let binary = values.allSatisfy { $0 == nil || $0 == 0 || $0 == 1 }
            func arm(_ k: Int) -> ArmSummary {
                let armID = k == 0 ? arms.control : arms.intervention
                let positives = binary ? zip(values, w.rows).filter { $0.1.arm == armID && $0.0 == 1 }.count : nil
                return ArmSummary(n: r.count[k], mean: r.mean[k] ?? .nan, sd: r.sd[k] ?? .nan, positives: positives)
            }
            return Reporting.BalanceRow(label: c.label, control: arm(0), intervention: arm(1),
                                        standardizedDifference: r.standardizedDifference[1] ?? .nan)
        }
        let omnibus = table.tests.first.map {
            TestResult(name: design.reportCatalogue.methods.omnibusCovariates($0.observations), statistic: $0.statistic,
                       df: "\($0.numeratorDF), \($0.denominatorDF)", pValue: $0.pValue)
        }
        return Reporting.BalanceTable(rows: rows, omnibus: omnibus)
    }

    /// Baseline balance at the cluster level in a clustered design (`Assignment.Balance.clusterTable`: the
    /// covariates averaged per cluster, the arms compared across clusters), on the same wave's rows as the
    /// family-level table. nil when the design is unclustered or a cluster holds families of both arms (a
    /// clustering for the analysis only, not the randomisation's).
    static func clusterBalance(design: Design, waves: [WaveData], arms: ArmPair) throws -> ClusterBalanceTable? {
        guard let clusters = design.analysisClusters, let w = waves.first, let labels = w.clusters,
              !design.covariates.isEmpty, !w.rows.isEmpty else { return nil }
        let columns = design.covariates.map { c in (name: c.id, values: w.covariates[c.id] ?? []) }
        guard let (table, _) = try Balance.clusterTable(arms: [arms.control, arms.intervention], control: arms.control,
                                                        armOfUnit: w.rows.map(\.arm), clusterOfUnit: labels, covariates: columns)
        else { return nil }
        let rows = zip(design.covariates, table.rows).map { c, r -> Reporting.BalanceRow in
            // Cluster means are not binary: the small-cell rule counts clusters.
            func arm(_ k: Int) -> ArmSummary { ArmSummary(n: r.count[k], mean: r.mean[k] ?? .nan, sd: r.sd[k] ?? .nan) }
            return Reporting.BalanceRow(label: c.label, control: arm(0), intervention: arm(1),
                                        standardizedDifference: r.standardizedDifference[1] ?? .nan)
        }
        let omnibus = table.tests.first.map {
            TestResult(name: design.reportCatalogue.methods.omnibusClusterMeans($0.observations), statistic: $0.statistic,
                       df: "\($0.numeratorDF), \($0.denominatorDF)", pValue: $0.pValue)
        }
        return ClusterBalanceTable(cluster: clusters.column, table: Reporting.BalanceTable(rows: rows, omnibus: omnibus))
    }

    /// Response by arm at every wave with a survey, the differential-attrition test (`Robustness.
    /// DifferentialAttrition`: the response indicator — answers used at the wave — regressed on the arm
    /// with the strata absorbed when `analysis.strata_fixed_effects`, HC2; the report shows its t-test and,
    /// with the design's analysis covariates, the joint F-test of arm × covariate interactions), and Lee
    /// (2009) bounds for the primary survey outcomes of the wave.
    static func attrition(design: Design, panel: PanelData, waves: [WaveData], arms: ArmPair) -> [AttritionRow] {
        let surveyed = Set(design.sources.filter { $0.kind == .survey }.compactMap(\.wave))
        return design.waves.filter { surveyed.contains($0.id) }.compactMap { wave -> AttritionRow? in
            let byArm = Dictionary(panel.attrition.filter { $0.wave == wave.id }.map { ($0.arm, $0) }, uniquingKeysWith: { a, _ in a })
            guard let c = byArm[arms.control], let t = byArm[arms.intervention] else { return nil }
            var bounds: [LeeBoundsRow] = []
            if let w = waves.first(where: { $0.wave == wave.id }), c.followedUp != c.randomised || t.followedUp != t.randomised {
                for o in design.outcomes where o.primary && [.surveyItem, .indexMean, .indexInverseCovariance].contains(o.rule) && o.windows[wave.id] != nil {
                    guard let values = w.outcomes[o.id] else { continue }
                    let treated = zip(values, w.treated).filter { $0.1 }.map(\.0)
                    let control = zip(values, w.treated).filter { !$0.1 }.map(\.0)
                    if let lb = try? LeeBounds(treated: treated, control: control, level: design.analysis.level) {
                        bounds.append(LeeBoundsRow(outcome: o.label, lower: lb.lower, upper: lb.upper))
                    }
                }
            }
            return AttritionRow(wave: wave.label, controlResponded: c.followedUp, controlAllocated: c.randomised,
                                interventionResponded: t.followedUp, interventionAllocated: t.randomised,
                                differential: differentialAttrition(design: design, wave: waves.first { $0.wave == wave.id }) ?? [],
                                leeBounds: bounds)
        }
    }

    /// The differential-attrition tests of one wave as report text: the t-test of the arm in the response
    /// regression, and the F-test of arm × covariate interactions when the design names covariates; in a
    /// clustered design with a cluster-robust variance both are clustered (the F on G − 1 df). Nil
    /// when every unit responded or none did (nothing to test), or the wave has no rows.
    static func differentialAttrition(design: Design, wave: WaveData?) -> [TestResult]? {
        guard let wave, !wave.rows.isEmpty else { return nil }
        let observed = wave.rows.map { $0.interview.answersUsed }
        let strata: [String]? = design.analysis.fixedEffects && wave.strata.allSatisfy({ $0 != nil }) && Set(wave.strata).count > 1
            ? wave.strata.map { $0 ?? "" } : nil
        let covariates = design.analysis.covariates.compactMap { id in wave.covariates[id].map { Robustness.Covariate(name: id, values: $0) } }
        // A clustered design (its variance cluster-robust, CR2 by default): both fits clustered as the effects are.
        let variance = design.analysis.variance
        let clusters: [String]? = design.analysisClusters != nil && variance.isClustered
            ? wave.clusters.flatMap { c in c.allSatisfy { $0 != nil } ? c.map { $0! } : nil } : nil
        guard let test = try? DifferentialAttrition(observed: observed, treated: wave.treated, strata: strata, covariates: covariates,
                                                     treatmentName: "arm", observedName: "responded", strataName: "stratum",
                                                     level: design.analysis.level, clusters: clusters,
                                                     clusterVariance: clusters == nil ? .cr2 : variance) else { return nil }
        let c = design.reportCatalogue
        let how = clusters == nil ? nil : variance.rawValue.uppercased()
        var out = [TestResult(name: c.methods.responseRate(NumberText.signed(test.treatmentEffect.estimate, c.numbers), how),
                              statistic: test.treatmentEffect.statistic, df: NumberText.df(test.treatmentEffect.df),
                              pValue: test.treatmentEffect.pValue)]
        if let f = test.interactionTest {
            out.append(TestResult(name: c.methods.armByCovariates(how), statistic: f.fStatistic,
                                  df: "\(NumberText.df(f.numeratorDF)), \(NumberText.df(f.denominatorDF))", pValue: f.pValue))
        }
        return out
    }
}

extension Design {
    /// The catalogue of the report's language (`publication.language`).
    var reportCatalogue: Catalogue { (ReportLanguage(rawValue: publication.language.rawValue) ?? .en).catalogue }
}

/// Small number texts for test labels.
enum NumberText {
    static func signed(_ x: Double, _ style: NumberStyle = .point) -> String { (x >= 0 ? "+" : "−") + style.fixed(abs(x), 3) }
    static func df(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }
}
