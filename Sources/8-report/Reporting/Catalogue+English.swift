extension Catalogue {
    /// The report in English (`publication.language: en`, the default).
    public static let english = Catalogue(
        htmlLanguage: "en",
        numbers: .point,
        and: "and",

        effectsAfter: { "Effects after \($0), intention to treat." },
        summary: "Summary",
        summaryIntro: "The primary outcomes, as the design pre-specified them; the tables below give every outcome.",
        prespecified: "Pre-specified analysis",
        planChanges: "Changes to the pre-specified plan",
        noAmendments: "No amendments of the design after the first assignment.",
        amendmentsIntro: "Amendments (recorded with rct amend, checked by rct verify):",
        noDeviations: "No deviations from the pre-specified analysis.",
        deviationsIntro: "Deviations:",
        participantFlow: "Participant flow (CONSORT)",
        baselineBalance: "Baseline balance",
        familiesHeading: "Families",
        clustersHeading: { "Clusters (\($0))" },
        clusterBalanceNote: { cluster, counts in
            "Each covariate averaged per \(cluster) over its families, the arms compared across the clusters\(counts), as they "
                + "were randomised; means and SDs are of the cluster means, unweighted."
        },
        clusterCounts: { " (\($0) control, \($1) intervention)" },
        covariate: "Covariate",
        standardizedDifference: "Std. difference",
        followUp: "Follow-up and attrition",
        wave: "Wave",
        controlResponded: "Control responded",
        interventionResponded: "Intervention responded",
        differentialAttrition: "Differential attrition",
        leeBounds: "Lee bounds",
        countOf: { "\($0) of \($1)" },
        effects: "Effects",
        forestPlot: "Forest plot",
        subgroups: "Pre-specified subgroups",
        sensitivity: "Sensitivity analyses",
        reproducibility: "Reproducibility",
        software: "Software",
        design: "Design",
        data: "Data",
        generatedOn: "Generated on",
        suppressionRule: { "Cells with fewer than \($0) families are suppressed in this report (shown as “<\($0)” or “suppressed”)." },
        secondarySuppression: "So are the counts from which one could be worked out by adding or subtracting (shown as “not shown”).",
        consort: .english,
        methods: .english,

        outcome: "Outcome",
        better: "Better",
        higherIsBetter: "↑ higher",
        lowerIsBetter: "↓ lower",
        controlMean: "Control group: mean (SD)",
        interventionMean: "Intervention group: mean (SD)",
        differenceOfMeans: "Difference of means",
        adjustedEffect: "Adjusted effect (SE)",
        confidenceInterval: { "\($0) CI" },
        p: "p",
        randomizationP: "RI p",
        adjustedColumn: { method in
            switch method {
            case "sharpened_q": return "q (sharpened)"
            case "bh": return "q (BH)"
            case "by": return "q (BY)"
            case "holm": return "Holm p"
            case "bonferroni": return "Bonferroni p"
            case "westfall_young": return "Westfall–Young p"
            default: return "Adjusted p"
            }
        },
        relativeEffect: "Relative effect",
        n: "N",
        clusters: "Clusters",
        treatmentReceivedRow: "treatment received (IV)",
        suppressed: "suppressed",
        notShown: "not shown",
        estimatorName: { estimator in
            switch estimator {
            case "lin": return "Lin's (2013) regression (covariates centred and interacted with the arm)"
            case "ols": return "ordinary least squares"
            case "dim": return "the difference in means"
            case "iv": return "two-stage least squares"
            default: return nil
            }
        },
        effectNote: { estimator, covariates, strata, level in
            var text = "Adjusted effect: the effect of being assigned to the intervention (intention to treat)"
            if let estimator { text += ", estimated by \(estimator)" }
            if let covariates { text += ", adjusted for \(covariates)" }
            if strata { text += ", with the strata as fixed effects" }
            text += covariates != nil || strata
                ? ". The adjustment makes the estimate more precise; it is why the effect differs from the difference of means."
                : "."
            return text + " SE: its standard error; \(level) CI: its confidence interval; p: two-sided p-value of no effect."
        },
        differenceNote: "Difference of means: the intervention group's mean minus the control group's, without adjustment.",
        randomizationNote: "RI p: randomization-inference p-value of the effect (assignments re-drawn with the trial's procedure).",
        adjustedNote: { method in
            switch method {
            case "sharpened_q":
                return "q (sharpened): sharpened q-value (Benjamini, Krieger & Yekutieli 2006; Anderson 2008), on Anderson's grid of "
                    + "0.001; it controls the false discovery rate within the family: it can be smaller than p."
            case "bh": return "q (BH): Benjamini–Hochberg q-value; it controls the false discovery rate within the family and is never smaller than p."
            case "by": return "q (BY): Benjamini–Yekutieli q-value; it controls the false discovery rate within the family under any dependence and is never smaller than p."
            case "holm": return "Holm p: Holm's step-down adjusted p-value; it controls the chance of any false finding within the family and is never smaller than p."
            case "bonferroni": return "Bonferroni p: p times the number of outcomes of the family (at most 1); never smaller than p."
            case "westfall_young":
                return "Westfall–Young p: step-down adjusted p-value from the joint randomization distribution of the family's outcomes; "
                    + "it controls the chance of any false finding within the family."
            default: return "Adjusted p: \(method) within the family."
            }
        },
        relativeNote: "Relative effect: the adjusted effect as a share of the control group's mean.",
        nNote: "N: families in the comparison (both groups).",
        betterNote: "Better: which values are good for the families, as the design states it (↑ higher, ↓ lower); "
            + "with ↓, a negative effect favours the intervention.",
        clustersNote: "Clusters: the number of clusters the estimate rests on; standard errors are clustered by them.",
        primaryNote: "† primary outcome.",
        takeUpNote: "Treatment received: two-stage least squares with assignment as the instrument.",
        suppressedNote: { "suppressed: a group has fewer than \($0) families; its means and counts are not published." },

        summaryMeans: { outcome, wave, intervention, control in
            "\(outcome) (\(wave)): \(intervention) in the intervention group, \(control) in the control group."
        },
        summaryEffect: { effect, level, low, high, p in "Adjusted effect \(effect) (\(level) CI \(low) to \(high); \(p))" },
        summaryFavoursIntervention: "The point estimate favours the intervention.",
        summaryFavoursControl: "The point estimate favours the control group.",
        summaryNoDirection: "The design does not say which direction is better.",
        summaryIncludesZero: "The interval includes 0 (no effect).",
        summaryExcludesZero: "The interval excludes 0 (no effect).",
        summarySuppressed: "The group means are suppressed (small cells).",

        forestTitle: { "Effect in SDs of the control group (\($0) CI)" },
        forestAria: "Forest plot of standardized effects",
        favoursIntervention: "Favours intervention",
        directionUnstated: "not stated",
        lowerWithIntervention: "◀ lower with the intervention",
        higherWithIntervention: "higher with the intervention ▶",
        notStandardizable: "not standardizable",
        meansTitle: { "Means by group with \($0) confidence intervals" },
        meansAria: { "Means by group over time: \($0)" },
        baselinePoint: "Before",
        controlGroup: "Control group",
        interventionGroup: "Intervention group",

        subgroup: "Subgroup",
        level: "Level",
        nControl: "N control",
        nIntervention: "N intervention",
        effectSE: "Effect (SE)",
        interactionP: "Interaction p",
        subgroupNote: "Effect within each level of the subgroup (OLS, strata absorbed); interaction p: does the effect differ between "
            + "the levels? Levels with a group under the small-cell threshold are suppressed.",
        sensitivityNote: "Effect of assignment, estimate (standard error) and p-value, under each specification the design "
            + "names; the primary analysis (with randomization inference and adjusted p-values) is in the effect tables.",
        notEstimable: "not estimable")
}

extension MethodTexts {
    /// The analysis's sentences in English.
    public static let english = MethodTexts(
        estimator: { $1 },
        standardErrors: { "\($0) standard errors" },
        clusteredStandardErrors: { variance, cluster, bm in
            "\(variance) standard errors clustered by \(cluster)" + (bm ? " (Bell–McCaffrey degrees of freedom)" : " (degrees of freedom: clusters − 1)")
        },
        itt: { "Effect of assignment (intention to treat) by \($0); \($1); \($2) confidence intervals." },
        strataAsBlocks: { "Strata (\($0)) as blocks of the difference in means." },
        strataAbsorbed: { "Strata (\($0)) absorbed as fixed effects." },
        baselineCovariates: { "Baseline covariates: \($0)." },
        treatmentReceived: { "Effect of treatment received (\($0)) by two-stage least squares with assignment as the instrument." },
        randomizationInference: { draws, clusters, limit, seed in
            let what = clusters.map { "assignments of whole clusters (\($0)) re-drawn within strata, the number of intervention clusters per stratum fixed" }
                ?? "assignments re-drawn within strata"
            return "Randomization-inference p-values from \(draws) \(what) (every possible assignment when there are at most \(limit); "
                + "otherwise mt19937, seed \(seed)); statistic: the studentized OLS coefficient of the arm (HC2 t) with stratum indicators and the covariates."
        },
        correction: { c in
            switch c {
            case "none": return "no adjustment"
            case "holm": return "Holm-adjusted p-values"
            case "bonferroni": return "Bonferroni-adjusted p-values"
            case "bh": return "Benjamini–Hochberg q-values"
            case "by": return "Benjamini–Yekutieli q-values"
            case "sharpened_q": return "sharpened q-values (Anderson 2008)"
            case "westfall_young": return "Westfall–Young step-down p-values"
            default: return c
            }
        },
        familyCorrection: { "\($0): \($1) within the family at each wave." },
        subgroups: { "Subgroups (primary outcomes): \($0): the effect within each level and the p-value of the arm × subgroup interaction (OLS, strata absorbed)." },
        sensitivity: { "Sensitivity analysis “\($0)”: \($1)" },
        strataAsBlocksShort: "strata as blocks",
        strataAbsorbedShort: "strata absorbed",
        noCovariates: "no covariates",
        adjustedFor: { "adjusted for \($0)" },
        primaryOutcomes: { "Primary outcomes: \($0)." },

        moreArms: { "The design has \($0) arms; this report compares \($1) with \($2) only." },
        varianceIgnoresClusters: { variance, key, column in
            "analysis.variance: \(variance) ignores the clusters (\(key): \(column)); the standard errors are not clustered. "
                + "Leave variance out (CR2 is the default with clusters) to follow the randomisation."
        },
        attritionOverFamiliesClustered: "Attrition: Lee (2009) bounds are computed over families, not clusters (they have no clustered version); "
            + "their intervals treat families as independent. The differential-attrition tests are clustered.",
        attritionOverFamilies: "Attrition: the differential-attrition tests and Lee (2009) bounds are computed over families, "
            + "not clusters (they have no clustered version here); read them as descriptive.",
        treatmentReceivedNotClustered: { "The effect of treatment received is estimated with \($0) standard errors, not clustered." },
        takeUpUnknown: {
            "The design declares take-up (\($0)) but no unit's take-up is known; the effect of treatment received is not reported. "
                + "Declare a take_up source or a cohort column."
        },
        westfallYoungNeedsRandomization: {
            "\($0), \($1): Westfall–Young step-down needs randomization inference (analysis.permutations > 0); Holm's adjustment is reported instead."
        },
        westfallYoungNeedsSameFamilies: {
            "\($0), \($1): Westfall–Young step-down needs every outcome of the family observed on the same families (here they differ, "
                + "e.g. survey respondents and registry outcomes); Holm's adjustment is reported instead."
        },

        omnibusCovariates: { "Omnibus F-test of the arm on the covariates (n = \($0))" },
        omnibusClusterMeans: { "Omnibus F-test of the arm on the cluster means (\($0) clusters)" },
        responseRate: { "response rate, intervention − control: \($0) (t-test\($1.map { ", \($0) clustered" } ?? ""))" },
        armByCovariates: { "arm × covariates (F-test\($0.map { ", \($0) clustered" } ?? ""))" },

        randomisationSeed: { "randomisation: \($0), generator mt19937, seed \($1)" },
        randomizationInferenceSeed: { draws, clusters, limit, seed in
            "randomization inference: \(draws) re-drawn \(clusters.map { "assignments of whole clusters (\($0))" } ?? "assignments") within strata "
                + "(every assignment when there are at most \(limit)), studentized statistic (HC2 t), generator mt19937, seed \(seed)"
        },
        randomizationInferenceDone: { "randomization inference done: \($0)" },
        procedure: { wave, families, clusters, exact, draws, possible in
            "\(wave), \(families) families" + (clusters.map { " in \($0) clusters" } ?? "")
                + (exact ? ": all \(draws) possible assignments (exact)" : ": \(draws) draws of \(possible) possible assignments")
        },

        amendment: { date, changes, reason, author, assignments, after in
            "\(date): \(changes). Reason: \(reason) (by \(author); after \(assignments) assignment\(assignments == 1 ? "" : "s"), "
                + (after ? "after outcome data were imported" : "before any outcome data were imported") + ")"
        },
        amendmentWord: "Amendment",
        deviationWord: "Deviation")
}
