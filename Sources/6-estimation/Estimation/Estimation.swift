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
///    t and F distributions): each estimator in a file of its own under `Estimators/` (an
///    `EffectEstimator`: its checks of the specification and its estimate of one outcome);
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
            try spec.estimator.implementation.check(spec, notes: &notes)
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

    static func estimateOutcome(_ outcome: String, prepared p: Prepared, spec: EstimationSpec,
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

        let rowsOfOutcome = OutcomeRows(outcome: outcome, rows: rows, y: y, weights: weights, clusters: clusterLabels,
                                        fixedEffects: fixedLabels, prepared: p)
        let first = result.rows.count
        try spec.estimator.implementation.estimate(rowsOfOutcome, spec: spec, result: &result)
        if let clusterLabels {
            let count = Set(clusterLabels).count
            for i in first..<result.rows.count { result.rows[i].nClusters = count }
        }
    }

    /// The first-stage F of each endogenous regressor (see `FirstStage`).
    static func firstStages(problem: RegressionProblem, outcome: String, spec: EstimationSpec, rows: [Int],
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
