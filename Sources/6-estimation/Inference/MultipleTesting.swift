/// Adjusted p-values for a family of hypotheses. Every function takes p-values in any order and returns
/// the adjusted values in the same order. p-values must lie in [0, 1]; NaN is rejected (R's `p.adjust`
/// passes `NA` through; here a missing p-value is a caller error).
public enum MultipleTesting {
    public enum Method: String, Sendable, CaseIterable {
        case holm, bonferroni, bh, by
        case sharpenedQ = "sharpened_q"
    }

    /// Dispatches to the method's function.
    public static func adjust(_ p: [Double], method: Method) throws -> [Double] {
        switch method {
        case .holm: return try holm(p)
        case .bonferroni: return try bonferroni(p)
        case .bh: return try benjaminiHochberg(p)
        case .by: return try benjaminiYekutieli(p)
        case .sharpenedQ: return try sharpenedQValues(p)
        }
    }

    static func validate(_ p: [Double]) throws {
        guard !p.isEmpty else { throw InferenceError.invalidArgument("no p-values were given") }
        if let i = p.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw InferenceError.invalidArgument("p-value \(i + 1) is \(p[i]); p-values must lie between 0 and 1")
        }
    }

    /// Indices sorting `p` ascending; ties keep their input order (R's `order` is stable too).
    static func ascendingOrder(_ p: [Double]) -> [Int] {
        p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
    }

    /// Bonferroni: min(1, m · p_i). R: `p.adjust(p, "bonferroni")`.
    public static func bonferroni(_ p: [Double]) throws -> [Double] {
        try validate(p)
        return p.map { min(1, Double(p.count) * $0) }
    }

    /// Holm (1979) step-down: with p sorted ascending, p̃_(i) = min(1, max_{j ≤ i} (m − j + 1) p_(j)).
    /// R: `p.adjust(p, "holm")`.
    public static func holm(_ p: [Double]) throws -> [Double] {
        try validate(p)
        let m = p.count
        let order = ascendingOrder(p)
        var out = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, Double(m - rank) * p[i])
            out[i] = min(1, running)
        }
        return out
    }

    /// Benjamini–Hochberg (1995) step-up: with p sorted ascending,
    /// p̃_(i) = min(1, min_{j ≥ i} m p_(j) / j). R: `p.adjust(p, "BH")`.
    public static func benjaminiHochberg(_ p: [Double]) throws -> [Double] {
        try validate(p)
        return stepUp(p, factor: 1)
    }

    /// Benjamini–Yekutieli (2001), valid under any dependence: BH multiplied by c(m) = Σ_{k=1}^m 1/k.
    /// R: `p.adjust(p, "BY")`.
    public static func benjaminiYekutieli(_ p: [Double]) throws -> [Double] {
        try validate(p)
        let c = (1...p.count).reduce(0.0) { $0 + 1 / Double($1) }
        return stepUp(p, factor: c)
    }

    static func stepUp(_ p: [Double], factor: Double) -> [Double] {
        let m = p.count
        let order = ascendingOrder(p)
        var out = [Double](repeating: 0, count: m)
        var running = Double.infinity
        for rank in stride(from: m - 1, through: 0, by: -1) {
            let i = order[rank]
            running = min(running, factor * Double(m) / Double(rank + 1) * p[i])
            out[i] = min(1, running)
        }
        return out
    }

    /// Sharpened two-stage q-values (Benjamini, Krieger & Yekutieli 2006), computed as in Anderson's
    /// (2008, JASA) Stata code: for q = 1.000, 0.999, …, 0.001 (q = k / 1000, stepping down by 0.001),
    ///
    /// 1. first stage at q′ = q / (1 + q): r₁ = the largest rank r with p_(r) ≤ q′ r / m (0 if none);
    /// 2. second stage at q₂ = q′ · m / (m − r₁) (infinite when r₁ = m, as Stata's missing value is
    ///    larger than every number): r₂ = the largest rank r with p_(r) ≤ q₂ r / m;
    /// 3. every hypothesis of rank ≤ r₂ gets q-value q (so it ends at the smallest q that rejects it).
    ///
    /// Hypotheses never rejected keep 1. Results are on the 0.001 grid. Ties get the same q-value (a
    /// tie's larger rank meets the condition whenever the smaller does).
    public static func sharpenedQValues(_ p: [Double]) throws -> [Double] {
        try validate(p)
        let m = p.count
        let order = ascendingOrder(p)
        let sorted = order.map { p[$0] }
        var qSorted = [Double](repeating: 1, count: m)
        func largestRank(_ level: Double) -> Int {
            var r = 0
            for rank in 1...m where sorted[rank - 1] <= level * Double(rank) / Double(m) { r = rank }
            return r
        }
        for k in stride(from: 1000, through: 1, by: -1) {
            let q = Double(k) / 1000
            let qPrime = q / (1 + q)
            let r1 = largestRank(qPrime)
            let r2 = r1 == m ? m : largestRank(qPrime * Double(m) / Double(m - r1))
            for rank in 0..<r2 { qSorted[rank] = q }
        }
        var out = [Double](repeating: 1, count: m)
        for (rank, i) in order.enumerated() { out[i] = qSorted[rank] }
        return out
    }
}
