import CGSL

/// A named, seeded pseudo-random generator: GSL's Mersenne Twister (`gsl_rng_mt19937`). The same seed
/// gives the same sequence on every machine, so the seed and `name` are written next to every result
/// that depends on a draw.
///
/// Seeding follows GSL: `gsl_rng_set(r, seed)`; GSL replaces seed 0 by its default 4357, so seeds 0 and
/// 4357 give the same sequence. Seeds are taken modulo 2³² (GSL's mt19937 uses 32 bits of the seed).
public final class RandomGenerator {
    /// The generator's name as written into outputs.
    public let name: String = "mt19937"
    public let seed: UInt64
    let rng: UnsafeMutablePointer<gsl_rng>

    public init(seed: UInt64) {
        _ = GSLRuntime.ready
        guard let r = gsl_rng_alloc(cgsl_rng_type_mt19937()) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        rng = r
        self.seed = seed
        gsl_rng_set(rng, UInt(seed & 0xFFFF_FFFF))
    }

    deinit { gsl_rng_free(rng) }

    /// A uniform draw in [0, 1) (`gsl_rng_uniform`).
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A uniform integer in 0..<n (`gsl_rng_uniform_int`, which is unbiased: it rejects the top of the
    /// range). `n` must be between 1 and 2³².
    public func integer(below n: Int) -> Int {
        precondition(n >= 1 && n <= 0x1_0000_0000, "integer(below:) needs 1 ≤ n ≤ 2^32, got \(n)")
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// True with probability p.
    public func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// A normal draw with the given mean and standard deviation (`gsl_ran_gaussian`, Box–Muller polar).
    public func normal(mean: Double = 0, sd: Double = 1) -> Double { mean + gsl_ran_gaussian(rng, sd) }

    /// A Poisson draw (`gsl_ran_poisson`).
    public func poisson(mean: Double) -> Int { Int(gsl_ran_poisson(rng, mean)) }

    /// A binomial draw (`gsl_ran_binomial`).
    public func binomial(p: Double, trials: Int) -> Int { Int(gsl_ran_binomial(rng, p, UInt32(trials))) }

    /// Shuffles in place by Fisher–Yates, from the last element down: for i = n−1 … 1, swap element i
    /// with element `integer(below: i + 1)`. Written out here (not `gsl_ran_shuffle`) so the algorithm
    /// is documented and works on any Swift array.
    public func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, through: 1, by: -1) {
            let j = integer(below: i + 1)
            if i != j { elements.swapAt(i, j) }
        }
    }

    /// A uniformly random permutation of 0..<n.
    public func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    /// k distinct indices from 0..<n without replacement, in the order drawn (a partial Fisher–Yates from
    /// the front: for i = 0 … k−1, swap element i with element i + `integer(below: n − i)`).
    public func sample(_ k: Int, from n: Int) -> [Int] {
        precondition(k >= 0 && k <= n, "cannot sample \(k) of \(n)")
        var pool = Array(0..<n)
        for i in 0..<k {
            let j = i + integer(below: n - i)
            if i != j { pool.swapAt(i, j) }
        }
        return Array(pool[0..<k])
    }
}
