import NumericCore

/// One covariate of the baseline table: its mean and standard deviation in every arm, and the
/// standardized difference of every non-control arm from the control arm.
public struct BalanceRow: Sendable, Equatable {
    public var covariate: String
    /// Per arm (design order): non-missing count, mean and SD (n − 1 denominator; nil below two values).
    public var count: [Int]
    public var mean: [Double?]
    public var sd: [Double?]
    /// Per arm: (mean_arm − mean_control) / √((sd_arm² + sd_control²) / 2); nil for the control arm and
    /// when a mean or SD is missing or the pooled SD is 0.
    public var standardizedDifference: [Double?]
}

/// The omnibus test of one arm against the control arm: the F-test that all slopes are 0 in the linear
/// regression of the arm indicator on the covariates (with an intercept), on the families of the two
/// arms with every covariate present. R: `anova(lm(z ~ 1), lm(z ~ x1 + … + xk))`; Stata: the overall F
/// of `regress z x1 … xk`.
public struct OmnibusTest: Sendable, Equatable {
    public var arm: String
    public var observations: Int
    public var statistic: Double
    public var numeratorDF: Int
    public var denominatorDF: Int
    public var pValue: Double
}

public struct BalanceTable: Sendable, Equatable {
    public var arms: [String]
    public var control: String
    public var rows: [BalanceRow]
    public var tests: [OmnibusTest]
}

/// Baseline balance by arm (the "Table 1" of a trial report).
///
/// Standardized difference: the difference in means divided by the square root of the average of the two
/// arms' variances (Austin 2009, Statistics in Medicine 28:3083; R `cobalt::bal.tab` with
/// `s.d.denom = "pooled"`, Stata `tebalance summarize`). |d| > 0.1 is the usual flag; under a fair
/// randomisation imbalance is chance, so the table describes rather than tests each covariate, and the
/// single omnibus F-test guards against reading many covariate-wise tests.
public enum Balance {
    /// `armOfUnit[i]` is unit i's arm; `covariates` are named columns of values (nil = missing).
    public static func table(arms: [String], control: String, armOfUnit: [String],
                             covariates: [(name: String, values: [Double?])]) throws -> BalanceTable {
        guard let c = arms.firstIndex(of: control) else {
            throw NumericError.invalidArgument("the control arm \(control) is not among the arms \(arms)")
        }
        let rows = covariates.map { cov -> BalanceRow in
            var count: [Int] = [], mean: [Double?] = [], sd: [Double?] = []
            for arm in arms {
                let values = zip(armOfUnit, cov.values).compactMap { $0.0 == arm ? $0.1 : nil }
                count.append(values.count)
                let m = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
                mean.append(m)
                if let m, values.count >= 2 {
                    sd.append((values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot())
                } else { sd.append(nil) }
            }
            let diffs = arms.indices.map { k -> Double? in
                guard k != c, let mk = mean[k], let mc = mean[c], let sk = sd[k], let sc = sd[c] else { return nil }
                let pooled = ((sk * sk + sc * sc) / 2).squareRoot()
                return pooled > 0 ? (mk - mc) / pooled : nil
            }
            return BalanceRow(covariate: cov.name, count: count, mean: mean, sd: sd, standardizedDifference: diffs)
        }
        var tests: [OmnibusTest] = []
        for (k, arm) in arms.enumerated() where k != c && !covariates.isEmpty {
            var y: [Double] = [], X: [[Double]] = []
            for i in armOfUnit.indices where armOfUnit[i] == arm || armOfUnit[i] == control {
                let xs = covariates.map { $0.values[i] }
                guard xs.allSatisfy({ $0 != nil }) else { continue }
                y.append(armOfUnit[i] == arm ? 1 : 0)
                X.append([1] + xs.map { $0! })
            }
            if let test = try regressionFTest(y: y, X: X) {
                tests.append(OmnibusTest(arm: arm, observations: y.count, statistic: test.F, numeratorDF: test.df1,
                                         denominatorDF: test.df2, pValue: test.p))
            }
        }
        return BalanceTable(arms: arms, control: control, rows: rows, tests: tests)
    }

    /// Baseline balance at the cluster level, for a cluster-randomised trial: every covariate averaged per
    /// cluster over its units with a value (nil when none has one), then `table` over the clusters, each
    /// with its units' arm. The arms are compared across clusters (unweighted means and SDs of the cluster
    /// means, standardized differences with their pooled SD, the omnibus F-test of the arm on the cluster
    /// means over the clusters with every mean present), as the randomisation compared them. Units without
    /// a cluster are left out. nil when a cluster holds units of two arms (a clustering that was not the
    /// randomisation's has no arm of its own) or there are no clusters.
    public static func clusterTable(arms: [String], control: String, armOfUnit: [String], clusterOfUnit: [String?],
                                    covariates: [(name: String, values: [Double?])]) throws -> (table: BalanceTable, clusters: [String])? {
        precondition(clusterOfUnit.count == armOfUnit.count, "one cluster per unit")
        var order: [String] = [], members: [String: [Int]] = [:], armOf: [String: String] = [:]
        for (i, cluster) in clusterOfUnit.enumerated() {
            guard let cluster else { continue }
            if let arm = armOf[cluster] {
                guard arm == armOfUnit[i] else { return nil }
            } else {
                armOf[cluster] = armOfUnit[i]
                order.append(cluster)
            }
            members[cluster, default: []].append(i)
        }
        guard !order.isEmpty else { return nil }
        let means = covariates.map { cov -> (name: String, values: [Double?]) in
            (cov.name, order.map { cluster -> Double? in
                let values = members[cluster]!.compactMap { cov.values[$0] }
                return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            })
        }
        return (try table(arms: arms, control: control, armOfUnit: order.map { armOf[$0]! }, covariates: means), order)
    }

    /// The overall F-test of a regression with an intercept in column 0 of X:
    /// F = ((RSS₀ − RSS) / q) / (RSS / (n − r)), with RSS₀ the intercept-only residual sum of squares,
    /// r the rank of X (collinear columns dropped as R's `lm` does), q = r − 1; p = P(F_{q, n−r} > F).
    /// nil when q = 0, n − r ≤ 0, or RSS = 0 (perfect fit).
    public static func regressionFTest(y: [Double], X: [[Double]]) throws -> (F: Double, df1: Int, df2: Int, p: Double)? {
        guard !y.isEmpty else { return nil }
        let fit = try LeastSquares.fit(try Matrix(X), y)
        let n = y.count, r = fit.rank
        let q = r - 1, df2 = n - r
        guard q > 0, df2 > 0 else { return nil }
        let mean = y.reduce(0, +) / Double(n)
        let rss0 = y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        let rss = fit.residuals.map { $0 * $0 }.reduce(0, +)
        guard rss > 0 else { return nil }
        let F = ((rss0 - rss) / Double(q)) / (rss / Double(df2))
        let p = try FisherF(numerator: Double(q), denominator: Double(df2)).upperTail(max(F, 0))
        return (F, q, df2, p)
    }
}
