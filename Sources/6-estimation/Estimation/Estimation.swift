import NumericCore

/// Effect estimators for randomised trials, in agreement with R's estimatr 1.0.0.
///
/// One entry point, used by `rct estimate` and by the report step alike:
///
/// ```swift
/// let data = try EstimationData(columns: [("y", cells), ("z", cells), ...])
/// let spec = EstimationSpec(estimator: .lin, outcomes: ["y"], treatment: "z", covariates: ["x"],
///                           fixedEffects: "stratum")
/// let result = try Estimation.estimate(spec, data: data)   // tidy rows + notes
/// ```
///
/// Every estimate runs in three stages, as estimatr does:
/// 1. **validate** the specification against the data (columns exist, numbers are numbers, weights are
///    positive, treatment levels, blocks and clusters are usable) and delete incomplete rows listwise over
///    the columns the outcome uses (each outcome separately; the count goes into `notes`);
/// 2. **compute** on plain matrices through NumericCore (QR least squares, symmetric eigen-decomposition,
///    t and F distributions): `Regression.fit` for `ols`, `lin` and `iv`, `DifferenceInMeans` for `dim`;
/// 3. **shape** a tidy result: one `EstimateRow` per outcome and term with `estimate, std_error,
///    statistic, df, p_value, conf_low, conf_high, n_obs`, the t distribution with the row's df giving
///    the p-value and the interval.
///
/// Errors are `EstimationError` values and notes `EstimationNote` values that carry the column, block,
/// cluster or argument at fault as data; the caller words them in its own terms (`describe(_:)` with a
/// `SpecificationWording`: the command line's options, the design's keys). See docs/statistics.md for
/// every formula and its R / Stata equivalent.
public enum Estimation {
    public static func estimate(_ spec: EstimationSpec, data: EstimationData) throws -> EstimationResult {
        let prepared = try Prepared(spec: spec, data: data)
        var result = EstimationResult()
        result.notes = prepared.notes
        for outcome in spec.outcomes {
            try estimateOutcome(outcome, prepared: prepared, spec: spec, result: &result)
        }
        return result
    }

    // MARK: - Stage 1: validation

    /// The specification checked against the data, with every column parsed once.
    struct Prepared {
        var outcomes: [String: [Double?]] = [:]
        var treatment: [String?]?
        var covariates: [(name: String, values: [Double?])] = []
        var weights: [Double?]?
        var fixedEffects: [String?]?
        var blocks: [String?]?
        var clusters: [String?]?
        var endogenous: [(name: String, values: [Double?])] = []
        var instruments: [(name: String, values: [Double?])] = []
        var lines: [Int]?
        var notes: [EstimationNote] = []

        init(spec: EstimationSpec, data: EstimationData) throws {
            guard !spec.outcomes.isEmpty else {
                throw EstimationError.invalidSpecification(.noOutcome)
            }
            guard spec.level > 0, spec.level < 1 else {
                throw EstimationError.invalidSpecification(.levelOutOfRange(spec.level))
            }
            switch spec.estimator {
            case .iv:
                guard spec.treatment == nil else {
                    throw EstimationError.invalidSpecification(.treatmentWithIV)
                }
                guard !spec.endogenous.isEmpty, !spec.instruments.isEmpty else {
                    throw EstimationError.invalidSpecification(.ivWithoutInstruments)
                }
                guard spec.instruments.count >= spec.endogenous.count else {
                    throw EstimationError.invalidSpecification(.tooFewInstruments(instruments: spec.instruments.count, endogenous: spec.endogenous.count))
                }
            default:
                guard spec.treatment != nil else {
                    throw EstimationError.invalidSpecification(.noTreatment)
                }
                guard spec.endogenous.isEmpty, spec.instruments.isEmpty else {
                    throw EstimationError.invalidSpecification(.instrumentsWithoutIV)
                }
            }
            if spec.estimator == .dim {
                guard spec.covariates.isEmpty, spec.fixedEffects == nil else {
                    throw EstimationError.invalidSpecification(.dimWithCovariates)
                }
                if let variance = spec.variance { notes.append(.varianceIgnoredByDim(variance)) }
            } else {
                if let blocks = spec.blocks {
                    throw EstimationError.invalidSpecification(.blocksWithoutDim(spec.estimator, blocks: blocks))
                }
                if spec.effectiveVariance.isClustered && spec.clusters == nil {
                    throw EstimationError.invalidSpecification(.clusteredVarianceWithoutClusters(spec.effectiveVariance))
                }
                if !spec.effectiveVariance.isClustered, let clusters = spec.clusters {
                    throw EstimationError.invalidSpecification(.clustersIgnored(spec.effectiveVariance, clusters: clusters))
                }
            }
            if spec.estimator == .lin && spec.covariates.isEmpty {
                throw EstimationError.invalidSpecification(.linWithoutCovariates)
            }
            for o in spec.outcomes { outcomes[o] = try data.numbers(o, role: "outcome") }
            if let t = spec.treatment { treatment = try data.labels(t) }
            covariates = try spec.covariates.map { ($0, try data.numbers($0, role: "covariate")) }
            endogenous = try spec.endogenous.map { ($0, try data.numbers($0, role: "endogenous regressor")) }
            instruments = try spec.instruments.map { ($0, try data.numbers($0, role: "instrument")) }
            if let w = spec.weights {
                let values = try data.numbers(w, role: "weights")
                for (i, v) in values.enumerated() {
                    if let v, !(v > 0) { throw EstimationError.invalidWeight(column: w, value: v, line: data.lines?[i]) }
                }
                weights = values
            }
            if let f = spec.fixedEffects { fixedEffects = try data.labels(f) }
            if let b = spec.blocks { blocks = try data.labels(b) }
            if let c = spec.clusters { clusters = try data.labels(c) }
            lines = data.lines
        }

        /// Rows where every column the outcome uses is present, and the names of columns with gaps.
        func completeRows(outcome: String, spec: EstimationSpec) -> (rows: [Int], columnsWithGaps: [String]) {
            var columns: [(String, (Int) -> Bool)] = []
            let y = outcomes[outcome]!
            columns.append((outcome, { y[$0] != nil }))
            if let t = treatment { columns.append((spec.treatment!, { t[$0] != nil })) }
            for c in covariates { columns.append((c.name, { c.values[$0] != nil })) }
            for c in endogenous { columns.append((c.name, { c.values[$0] != nil })) }
            for c in instruments { columns.append((c.name, { c.values[$0] != nil })) }
            if let w = weights { columns.append((spec.weights!, { w[$0] != nil })) }
            if let f = fixedEffects { columns.append((spec.fixedEffects!, { f[$0] != nil })) }
            if let b = blocks { columns.append((spec.blocks!, { b[$0] != nil })) }
            if let c = clusters { columns.append((spec.clusters!, { c[$0] != nil })) }
            var seen = Set<String>()
            var gaps: [String] = []
            var rows: [Int] = []
            for i in 0..<y.count {
                var complete = true
                for (name, present) in columns where !present(i) {
                    complete = false
                    if seen.insert(name).inserted { gaps.append(name) }
                }
                if complete { rows.append(i) }
            }
            return (rows, gaps)
        }
    }

    // MARK: - Stage 2 and 3 per outcome

    private static func estimateOutcome(_ outcome: String, prepared p: Prepared, spec: EstimationSpec,
                                        result: inout EstimationResult) throws {
        let (rows, gaps) = p.completeRows(outcome: outcome, spec: spec)
        let total = p.outcomes[outcome]!.count
        if rows.count < total {
            result.notes.append(.rowsDropped(outcome: outcome, dropped: total - rows.count, total: total, columns: gaps))
        }
        guard rows.count >= 2 else {
            throw EstimationError.tooFewObservations(outcome: outcome, detail: "only \(rows.count) complete row(s); check the missing values of the columns used")
        }
        let y = rows.map { p.outcomes[outcome]![$0]! }
        let weights = p.weights.map { w in rows.map { w[$0]! } }
        let clusterLabels = p.clusters.map { c in rows.map { c[$0]! } }
        let fixedLabels = p.fixedEffects.map { f in rows.map { f[$0]! } }

        switch spec.estimator {
        case .dim:
            let coding = try TreatmentCoding.make(column: spec.treatment!, labels: rows.map { p.treatment![$0]! },
                                                  control: spec.control, levelsOnly: true, outcome: outcome,
                                                  notes: &result.notes)
            let meanWeight = weights.map { $0.reduce(0, +) / Double($0.count) }
            let blockLabels = p.blocks.map { b in rows.map { b[$0]! } }
            for (arm, term) in zip(coding.arms, coding.terms) {
                let keep = (0..<rows.count).filter { coding.rowLevels[$0] == arm || coding.rowLevels[$0] == coding.control }
                let names = DifferenceInMeans.Names(outcome: outcome, treatment: spec.treatment!, treated: arm,
                                                    control: coding.control!, blocks: spec.blocks, clusters: spec.clusters)
                let e = try DifferenceInMeans.estimate(
                    y: keep.map { y[$0] }, treated: keep.map { coding.rowLevels[$0] == arm },
                    weights: weights.map { w in keep.map { w[$0] / meanWeight! } },
                    blocks: blockLabels.map { b in keep.map { b[$0] } },
                    clusters: clusterLabels.map { c in keep.map { c[$0] } }, names: names, notes: &result.notes)
                result.rows.append(try tidyRow(outcome: outcome, term: term, estimate: e.estimate, stdError: e.stdError,
                                               df: e.df, level: spec.level, nObs: keep.count))
            }
        case .ols, .lin, .iv:
            var columns: [[Double]] = []
            var names: [String] = []
            var zColumns: [[Double]] = []
            var zNames: [String] = []
            let absorbed = fixedLabels != nil
            if !absorbed {
                columns.append([Double](repeating: 1, count: rows.count)); names.append("(Intercept)")
                zColumns.append(columns[0]); zNames.append("(Intercept)")
            }
            let covariates = p.covariates.map { c in (c.name, rows.map { c.values[$0]! }) }
            switch spec.estimator {
            case .ols:
                let coding = try TreatmentCoding.make(column: spec.treatment!, labels: rows.map { p.treatment![$0]! },
                                                      control: spec.control, levelsOnly: false, outcome: outcome,
                                                      notes: &result.notes)
                columns += coding.regressors; names += coding.terms
                for (name, values) in covariates { columns.append(values); names.append(name) }
            case .lin:
                let coding = try TreatmentCoding.make(column: spec.treatment!, labels: rows.map { p.treatment![$0]! },
                                                      control: spec.control, levelsOnly: true, outcome: outcome,
                                                      notes: &result.notes)
                let arms = coding.regressors
                columns += arms; names += coding.terms
                var centred: [(String, [Double])] = []
                for (name, values) in covariates {
                    let w = weights ?? [Double](repeating: 1, count: values.count)
                    let mean = zip(values, w).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
                    centred.append((name + "_c", values.map { $0 - mean }))
                }
                for (name, values) in centred { columns.append(values); names.append(name) }
                for (arm, term) in zip(arms, coding.terms) {
                    for (name, values) in centred {
                        columns.append(zip(arm, values).map { $0 * $1 }); names.append(term + ":" + name)
                    }
                }
            case .iv:
                for e in p.endogenous { columns.append(rows.map { e.values[$0]! }); names.append(e.name) }
                for (name, values) in covariates { columns.append(values); names.append(name) }
                for z in p.instruments { zColumns.append(rows.map { z.values[$0]! }); zNames.append(z.name) }
                for (name, values) in covariates { zColumns.append(values); zNames.append(name) }
            case .dim:
                break
            }
            var problem = RegressionProblem(y: y, X: try Matrix(columns: columns), names: names, weights: weights,
                                            variance: spec.effectiveVariance, outcome: outcome)
            if let fixedLabels {
                let (codes, count) = encode(fixedLabels)
                problem.fixedEffects = codes
                problem.fixedEffectLevels = count
                problem.fixedEffectName = spec.fixedEffects
            }
            if let clusterLabels {
                let (codes, count) = encode(clusterLabels)
                problem.clusters = codes
                problem.clusterCount = count
            }
            if spec.estimator == .iv {
                problem.instruments = try Matrix(columns: zColumns)
                problem.instrumentNames = zNames
            }
            let fit = try Regression.fit(problem)
            for (j, name) in names.enumerated() {
                result.rows.append(try tidyRow(outcome: outcome, term: name, estimate: fit.coefficients[j],
                                               stdError: fit.covariance[j, j].squareRoot(), df: fit.df[j],
                                               level: spec.level, nObs: rows.count))
            }
            if spec.estimator == .iv {
                result.firstStages += try firstStages(problem: problem, outcome: outcome, spec: spec, rows: rows, prepared: p)
            }
        }
    }

    /// The first-stage F of each endogenous regressor (see `FirstStage`).
    private static func firstStages(problem: RegressionProblem, outcome: String, spec: EstimationSpec, rows: [Int],
                                    prepared p: Prepared) throws -> [FirstStage] {
        let excluded = problem.instrumentNames.enumerated()
            .filter { spec.instruments.contains($0.element) }.map(\.offset)
        var out: [FirstStage] = []
        for e in p.endogenous {
            var first = problem
            first.y = rows.map { e.values[$0]! }
            first.X = problem.instruments!
            first.names = problem.instrumentNames
            first.instruments = nil
            first.instrumentNames = []
            let fit = try Regression.fit(first)
            let q = excluded.count
            var V = Matrix(rows: q, columns: q)
            for (a, i) in excluded.enumerated() { for (b, j) in excluded.enumerated() { V[a, b] = fit.covariance[i, j] } }
            let b = excluded.map { fit.coefficients[$0] }
            let vb = try V.inverse().multiplied(by: b)
            let f = zip(b, vb).reduce(0) { $0 + $1.0 * $1.1 } / Double(q)
            let denominator = problem.variance.isClustered ? Double(problem.clusterCount - 1) : Double(fit.residualDF)
            let pValue = try FisherF(numerator: Double(q), denominator: denominator).upperTail(f)
            out.append(FirstStage(outcome: outcome, endogenous: e.name, fStatistic: f, numeratorDF: Double(q),
                                  denominatorDF: denominator, pValue: pValue))
        }
        return out
    }

    /// Codes labels 0..<count in order of first appearance.
    static func encode(_ labels: [String]) -> ([Int], Int) {
        var index: [String: Int] = [:]
        let codes = labels.map { l -> Int in
            if let k = index[l] { return k }
            index[l] = index.count
            return index.count - 1
        }
        return (codes, index.count)
    }

    /// Stage 3: statistic = estimate / se, p = 2 P(T_df > |statistic|), interval estimate ∓ t_{df,1−α/2} se.
    /// A missing (NaN) or non-positive df or standard error gives NaN for the quantities that need it.
    static func tidyRow(outcome: String, term: String, estimate: Double, stdError: Double, df: Double,
                        level: Double, nObs: Int) throws -> EstimateRow {
        let statistic = estimate / stdError
        var p = Double.nan, low = Double.nan, high = Double.nan
        if df > 0, stdError.isFinite, !statistic.isNaN {
            let t = try StudentT(degreesOfFreedom: df)
            p = try t.twoSidedTail(statistic)
            let q = try t.quantile(1 - (1 - level) / 2)
            low = estimate - q * stdError
            high = estimate + q * stdError
        }
        return EstimateRow(outcome: outcome, term: term, estimate: estimate, stdError: stdError, statistic: statistic,
                           df: df, pValue: p, confLow: low, confHigh: high, nObs: nObs)
    }
}
