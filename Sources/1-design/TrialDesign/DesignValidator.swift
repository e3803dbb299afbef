import Yams

/// Checks that the parts of a design fit together: unique identifiers, references that resolve, rules
/// that have what they need. Structural problems (types, unknown keys) are found by `DesignReader`.
struct DesignValidator {
    let design: Design
    let log: IssueLog

    private func issue(_ path: String, _ message: String) { log.add(nil, path, message) }

    private func checkUnique(_ ids: [String], _ path: String, _ what: String) {
        var seen: Set<String> = []
        for (i, id) in ids.enumerated() {
            if !seen.insert(id).inserted { issue("\(path)[\(i)].id", "the \(what) id \"\(id)\" is used twice; ids must be unique") }
            if !isIdentifier(id) {
                issue("\(path)[\(i)].id", "\"\(id)\" is not a valid id; use letters, digits, _ and -, starting with a letter")
            }
        }
    }

    private func isIdentifier(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    private func oneOf(_ value: String, _ allowed: [String]) -> String {
        "\"\(value)\" is not declared; declared: " + (allowed.isEmpty ? "(none)" : allowed.joined(separator: ", "))
    }

    func validate() {
        let d = design
        // Arms.
        checkUnique(d.arms.map(\.id), "arms", "arm")
        if d.arms.count < 2 { issue("arms", "a trial needs at least two arms; found \(d.arms.count)") }
        let controls = d.arms.filter(\.isControl)
        if controls.count != 1 {
            issue("arms", "exactly one arm has control: true; found \(controls.count)")
        }
        // Sites.
        checkUnique(d.sites.map(\.id), "sites", "site")
        if let column = d.siteColumn, column == d.trial.idColumn || column == d.trial.linkColumn {
            issue("trial.site_column", "the site column \"\(column)\" is also the identifier or link column; name another column")
        }
        if let s = d.strata.first(where: { $0.column == d.trial.siteColumn }), !d.sites.isEmpty, !s.levels.isEmpty,
           let unknown = s.levels.first(where: { l in !d.sites.contains { $0.id == l } }) {
            issue("strata", "the site stratum's level \"\(unknown)\" is not a declared site; " + oneOf(unknown, d.sites.map(\.id)))
        }
        // Strata.
        var seenStrata: Set<String> = []
        for (i, s) in d.strata.enumerated() where !seenStrata.insert(s.column).inserted {
            issue("strata[\(i)].column", "the stratum column \"\(s.column)\" is listed twice")
        }
        // Randomisation.
        let r = d.randomisation
        let ratioSum = d.arms.map(\.ratio).reduce(0, +)
        switch r.method {
        case .permutedBlocks:
            if r.blockSizes.isEmpty { issue("randomisation.block_sizes", "permuted_blocks needs block_sizes, e.g. [2, 4, 6]") }
            for size in r.blockSizes where ratioSum > 0 && size % ratioSum != 0 {
                issue("randomisation.block_sizes",
                      "block size \(size) is not a multiple of the sum of the arm ratios (\(ratioSum)); every block must hold whole ratios")
            }
        case .minimisation:
            if r.minimisationFactors.isEmpty { issue("randomisation.minimisation_factors", "minimisation needs factors (cohort columns)") }
            if r.followProbability == nil { issue("randomisation.follow_probability", "minimisation needs follow_probability, e.g. 0.8") }
        case .clustered, .blockedClustered:
            if r.clusterColumn == nil { issue("randomisation.cluster_column", "\(r.method.rawValue) needs cluster_column") }
            if r.method == .blockedClustered && d.strata.isEmpty { issue("strata", "blocked_clustered needs strata") }
        case .blocked:
            if d.strata.isEmpty { issue("strata", "blocked randomisation needs strata (the blocks)") }
        case .simple, .complete: break
        }
        if r.method != .permutedBlocks && !r.blockSizes.isEmpty {
            issue("randomisation.block_sizes", "block_sizes only apply to method permuted_blocks (method is \(r.method.rawValue))")
        }
        // Capacity.
        if let c = d.capacity {
            if let arm = d.arms.first(where: { $0.id == c.arm }) {
                if arm.isControl { issue("capacity.arm", "capacity limits an intervention arm, not the control arm \"\(arm.id)\"") }
            } else {
                issue("capacity.arm", oneOf(c.arm, d.arms.map(\.id)))
            }
        }
        // Waves.
        checkUnique(d.waves.map(\.id), "waves", "wave")
        if d.waves.isEmpty { issue("waves", "declare at least one wave (e.g. baseline, m6, m12)") }
        let waveIDs = d.waves.map(\.id)
        // Sources.
        checkUnique(d.sources.map(\.id), "sources", "source")
        for (i, s) in d.sources.enumerated() {
            if s.kind == .survey {
                if let w = s.wave { if !waveIDs.contains(w) { issue("sources[\(i)].wave", oneOf(w, waveIDs)) } }
                else { issue("sources[\(i)].wave", "a survey source says which wave it belongs to (wave: m6)") }
            } else if s.wave != nil {
                issue("sources[\(i)].wave", "only survey sources belong to a wave")
            }
            if s.dialect.format == .fixedWidth {
                let names = s.dialect.fields.map(\.name)
                if !names.contains(s.identifierColumn) {
                    issue("sources[\(i)].identifier.column", "\"\(s.identifierColumn)\" is not one of the fixed-width fields: \(names.joined(separator: ", "))")
                }
            }
        }
        if d.pseudonymisation == nil {
            var needing: [String] = []
            if d.trial.idType == .insz { needing.append("trial.id_type") }
            if d.trial.linkColumn != nil { needing.append("trial.link_column") }
            for (i, s) in d.sources.enumerated() where s.identifierType == .insz { needing.append("sources[\(i)].identifier.type") }
            if let first = needing.first {
                issue(first, "real national numbers are pseudonymised on arrival, so the design needs a pseudonymisation "
                    + "section with key_env or key_file (the secret key stays outside the data)")
            }
        }
        // Families and outcomes.
        checkUnique(d.families.map(\.id), "families", "family")
        checkUnique(d.outcomes.map(\.id), "outcomes", "outcome")
        let familyIDs = d.families.map(\.id)
        let sourceIDs = d.sources.map(\.id)
        for (i, o) in d.outcomes.enumerated() {
            let p = "outcomes[\(i)]"
            if !familyIDs.contains(o.family) { issue("\(p).family", oneOf(o.family, familyIDs)) }
            guard let source = d.sources.first(where: { $0.id == o.source }) else {
                issue("\(p).source", oneOf(o.source, sourceIDs))
                continue
            }
            for wave in o.windows.keys.sorted() where !waveIDs.contains(wave) {
                issue("\(p).windows.\(wave)", oneOf(wave, waveIDs))
            }
            if source.kind == .scopeExit {
                issue("\(p).source", "source \"\(source.id)\" is a scope_exit source: it censors the registry outcomes of families that left the scope, and no outcome derives from it; use a registry or survey source")
                continue
            }
            let isSurveyRule = o.rule.isSurveyRule
            if isSurveyRule && source.kind != .survey {
                issue("\(p).rule", "\(o.rule.rawValue) reads survey answers, but source \"\(source.id)\" is a \(source.kind.rawValue) source")
            }
            if !isSurveyRule && source.kind == .survey {
                issue("\(p).rule", "\(o.rule.rawValue) derives registry records; for survey source \"\(source.id)\" use survey_item, scale or an index")
            }
            if isSurveyRule, source.kind == .survey, let sourceWave = source.wave {
                for wave in o.windows.keys.sorted() where wave != sourceWave && waveIDs.contains(wave) {
                    issue("\(p).windows.\(wave)", "source \"\(source.id)\" holds the answers of wave \(sourceWave), not \(wave); read wave \(wave) from its own survey source")
                }
            }
            switch o.rule {
            case .sum, .surveyItem:
                if o.value == nil { issue("\(p).value", "rule \(o.rule.rawValue) needs value (the field to \(o.rule == .sum ? "add up" : "read"))") }
            case .indexMean, .indexInverseCovariance, .scale:
                if o.items.count < 2 { issue("\(p).items", "\(o.rule == .scale ? "a scale" : "an index") combines at least two survey items; found \(o.items.count)") }
            default: break
            }
            if o.type == .binary && !o.rule.isBinary && o.rule != .surveyItem {
                issue("\(p).type", "rule \(o.rule.rawValue) does not give a 0/1 value; use type count or continuous")
            }
            for (wave, window) in o.windows.sorted(by: { $0.key < $1.key }) {
                if window.on != nil && !o.rule.readsOneDay {
                    issue("\(p).windows.\(wave).on", "a reference day (on:) is read by active_on; rule \(o.rule.rawValue) reads a window of months")
                }
                if window.anchor == .assignmentMonth && isSurveyRule {
                    issue("\(p).windows.\(wave)", "a survey outcome reads its wave's interview; from: has no effect on it")
                }
            }
            if let date = o.date {
                if isSurveyRule { issue("\(p).date", "date: chooses a record's dates; a survey outcome has none") }
                if [.paymentMonth, .period].contains(date) && source.kind != .payments {
                    issue("\(p).date", "\(date.rawValue) is a date of payments; source \"\(source.id)\" is a \(source.kind.rawValue) source")
                }
            }
            if o.prorate && o.rule != .sum { issue("\(p).prorate", "prorate applies to rule sum") }
            if let scale = o.scale {
                if ![.scale, .indexMean].contains(o.rule) {
                    issue("\(p).scale", "scale: scores the items of rule scale (or index_mean); rule \(o.rule.rawValue) has no items to score")
                }
                for item in scale.reverse where !o.items.contains(item) {
                    issue("\(p).scale.reverse", "\"\(item)\" is not one of the outcome's items (\(o.items.joined(separator: ", ")))")
                }
                if let k = scale.minValid, k > o.items.count {
                    issue("\(p).scale.min_valid", "min_valid is \(k) but the scale has \(o.items.count) items")
                }
            }
            if o.impute != nil && !isSurveyRule { issue("\(p).impute", "impute: applies to survey outcomes") }
            if o.rule == .indexInverseCovariance && o.impute == Imputation.none {
                issue("\(p).impute", "index_inverse_covariance weighs the answered items (Anderson's rule); impute has no effect on it")
            }
        }
        // Covariates.
        checkUnique(d.covariates.map(\.id), "covariates", "covariate")
        for (i, c) in d.covariates.enumerated() {
            if let s = c.source, !sourceIDs.contains(s) { issue("covariates[\(i)].source", oneOf(s, sourceIDs)) }
            if let s = c.source, d.sources.first(where: { $0.id == s })?.kind == .scopeExit {
                issue("covariates[\(i)].source", "source \"\(s)\" is a scope_exit source: no covariate derives from it; use a registry source")
            }
        }
        for (i, c) in d.covariates.enumerated() {
            if let rule = c.rule, rule.isSurveyRule {
                issue("covariates[\(i)].rule", "a covariate derived from a source uses a registry rule; \(rule.rawValue) reads survey answers")
            }
            if c.rule == .firstStart { issue("covariates[\(i)].rule", "first_start gives a second column (its censoring); use it for outcomes") }
        }
        let covariateIDs = d.covariates.map(\.id)
        for c in d.analysis.covariates where !covariateIDs.contains(c) {
            issue("analysis.covariates", oneOf(c, covariateIDs))
        }
        for (i, o) in d.outcomes.enumerated() {
            if let b = o.baseline, !covariateIDs.contains(b) {
                issue("outcomes[\(i)].baseline", covariateIDs.isEmpty
                      ? "\"\(b)\" is not declared; declare the measure before assignment under covariates: and name it here"
                      : oneOf(b, covariateIDs))
            }
        }
        checkUnique(d.subgroups.map(\.id), "subgroups", "subgroup")
        if d.analysis.fixedEffectsGiven && d.analysis.fixedEffects && d.strata.isEmpty {
            issue("analysis.strata_fixed_effects", "the design declares no strata to absorb; declare strata:, or set strata_fixed_effects: false")
        }
        if d.analysis.estimator == .iv && d.analysis.takeUp == nil {
            issue("analysis.take_up", "estimator iv needs take_up (the column that says whether the intervention was received)")
        }
        // Clusters: a cluster-robust variance needs the design's clusters.
        if d.analysisClusters == nil && d.analysis.variance.isClustered {
            issue("analysis.variance", "\(d.analysis.variance.rawValue) is a cluster-robust variance but the design has no clusters; "
                  + "randomise clusters (randomisation.method: clustered or blocked_clustered with cluster_column), declare "
                  + "analysis.clusters: COLUMN, or use variance: hc2")
        }
        if let column = d.analysis.clusters, d.isClusterRandomised, column != d.randomisation.clusterColumn {
            issue("analysis.clusters", "the design randomised clusters of \(d.randomisation.clusterColumn!); the analysis follows "
                  + "the randomisation's clusters, so analysis.clusters must be \(d.randomisation.clusterColumn!) or be left out")
        }
        checkUnique(d.analysis.sensitivity.map(\.id), "analysis.sensitivity", "sensitivity analysis")
        for (i, s) in d.analysis.sensitivity.enumerated() {
            let path = "analysis.sensitivity[\(i)]"
            if s.id == AnalysisSpecification.primaryID {
                issue("\(path).id", "\"\(s.id)\" names the primary analysis (the keys of analysis: itself); choose another id")
            }
            for c in s.covariates where !covariateIDs.contains(c) { issue("\(path).covariates", oneOf(c, covariateIDs)) }
            if s.fixedEffects && !d.analysis.primary.fixedEffects && d.strata.isEmpty {
                issue("\(path).strata_fixed_effects", "the design declares no strata to absorb; declare strata:, or remove strata_fixed_effects")
            }
            if d.analysisClusters == nil && s.variance.isClustered && s.variance != d.analysis.variance {
                issue("\(path).variance", "\(s.variance.rawValue) is a cluster-robust variance but the design has no clusters; "
                      + "declare analysis.clusters: COLUMN, or use another variance")
            }
            if s.estimator == .iv {
                issue("\(path).estimator", "the effect of treatment received (iv) is estimated beside every specification when analysis.take_up "
                      + "is declared; choose lin, ols or dim")
            }
        }
        // Assignment lists at the cluster level.
        for (i, s) in d.sources.enumerated() where s.level == .cluster {
            if s.kind != .assignment {
                issue("sources[\(i)].level", "level: cluster is for an assignment list (kind: assignment); remove it from this \(s.kind.rawValue) source")
            } else if !d.isClusterRandomised {
                issue("sources[\(i)].level", "a list of clusters needs a cluster-randomised design: randomisation.method clustered or "
                      + "blocked_clustered with cluster_column (the cohort column naming each family's cluster); or list families (level: unit)")
            }
            if s.kind == .assignment && s.identifierType == .insz {
                issue("sources[\(i)].identifier.type", "a list of clusters names clusters, not people: use type: code")
            }
        }
        for (i, s) in d.sources.enumerated() where s.kind == .takeUp {
            if d.analysis.takeUp == nil {
                issue("sources[\(i)].kind", "a take_up source fills the column named by analysis.take_up; declare analysis.take_up: { column: NAME }")
            }
            if d.sources[..<i].contains(where: { $0.kind == .takeUp }) {
                issue("sources[\(i)].kind", "declare one take_up source (the register of who received the intervention)")
            }
        }
    }
}
