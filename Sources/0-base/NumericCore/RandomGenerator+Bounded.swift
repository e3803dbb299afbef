import CGSL

extension RandomGenerator {
    /// The next raw 32-bit output of the generator (`gsl_rng_get`; mt19937 outputs cover 0 … 2³² − 1).
    public func nextRaw() -> UInt32 { UInt32(truncatingIfNeeded: gsl_rng_get(rng)) }

    /// An unbiased integer in 0..<n from raw outputs by Lemire's (2019) multiply-and-reject method:
    /// with x a raw output, m = x · n (64 bits) and ℓ = m mod 2³², accept ⌊m / 2³²⌋ unless
    /// ℓ < (2³² − n) mod n, in which case draw again. Unlike `integer(below:)` (`gsl_rng_uniform_int`,
    /// one integer division per draw) the common path has no division, which matters when millions of
    /// draws are made (randomization inference). Same stream, different mapping: the two methods give
    /// different integers from the same seed. `n` must be at least 1.
    @inline(__always)
    public func boundedInteger(below n: UInt32) -> UInt32 {
        precondition(n >= 1, "boundedInteger(below:) needs n ≥ 1")
        var m = UInt64(nextRaw()) &* UInt64(n)
        var low = UInt32(truncatingIfNeeded: m)
        if low < n {
            let threshold = (0 &- n) % n
            while low < threshold {
                m = UInt64(nextRaw()) &* UInt64(n)
                low = UInt32(truncatingIfNeeded: m)
            }
        }
        return UInt32(truncatingIfNeeded: m >> 32)
    }
}
