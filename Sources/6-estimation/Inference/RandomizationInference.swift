import Dispatch
import Foundation
import NumericCore

/// How the randomization distribution is obtained.
public enum RandomizationMethod: Sendable, Equatable {
    /// Every possible assignment (throws when there are more than `RandomizationInference.exactLimit`).
    case exact
    /// `draws` assignments drawn with mt19937 from `seed`.
    case monteCarlo(draws: Int, seed: UInt64)
    /// Exact when the number of possible assignments is at most `RandomizationInference.exactLimit`
    /// (ri2 likewise enumerates when `sims` exceeds the number of possible assignments), otherwise
    /// `draws` Monte Carlo draws from `seed`.
    case automatic(draws: Int, seed: UInt64)
}

/// The result for one outcome.
public struct RandomizationOutcomeResult: Sendable, Equatable {
    /// The statistic for the observed assignment.
    public let estimate: Double
    /// Share of assignments with |T*| ≥ |T| − ε.
    public let pTwoTailed: Double
    /// Share with T* ≥ T − ε.
    public let pUpper: Double
    /// Share with T* ≤ T + ε.
    public let pLower: Double
    /// √(p (1 − p) / S) for the two-tailed p under Monte Carlo; nil when exact.
    public let monteCarloStandardError: Double?
}

/// The randomization distribution of one statistic for several outcomes, and its p-values.
public struct RandomizationResult: Sendable {
    public let statistic: RandomizationStatistic
    public let outcomes: [RandomizationOutcomeResult]
    /// How many assignments were used (all possible ones when `exact`).
    public let assignments: Int
    public let exact: Bool
    /// The number of possible assignments, ∏_b C(n_b, m_b).
    public let possibleAssignments: Double
    /// The seed and generator when Monte Carlo; nil when exact.
    public let seed: UInt64?
    public let generator: String?
    /// `permuted[k][s]`: the statistic of outcome k under assignment s (the joint distribution used by
    /// the Westfall–Young and Romano–Wolf step-down adjustments).
    public let permuted: [[Double]]
}

/// Randomization inference under the sharp null of no effect for any unit (Fisher): the outcomes are
/// held fixed and the assignment is re-drawn with the trial's own procedure (`RandomizationScheme`).
///
/// p-values (ri2's conventions): two-tailed p = #{s: |T*_s| ≥ |T| − ε} / S, upper p = #{T*_s ≥ T − ε} / S,
/// lower p = #{T*_s ≤ T + ε} / S, where S is the number of assignments used (under exact enumeration S
/// includes the observed assignment, so p ≥ 1/S). The tie tolerance ε = `tieTolerance × max(1, |T|)`
/// makes assignments whose statistic equals the observed one in exact arithmetic count as ties despite
/// rounding. Monte Carlo p-values are plain shares of the draws (as ri2), with standard error
/// √(p(1 − p)/S).
///
/// Parallelism: the S assignments are split into chunks of `chunkSize`, run with
/// `DispatchQueue.concurrentPerform`. Monte Carlo chunk c draws from its own mt19937 stream seeded with
/// `chunkSeed(seed, c)`, so results depend on the seed only, never on the number of threads or their
/// scheduling.
public enum RandomizationInference {
    /// Designs with at most this many possible assignments are enumerated by default (100,000: at
    /// N = 20,000 that is still seconds; beyond it Monte Carlo error is negligible for the same cost).
    public static let exactLimit = 100_000
    /// Assignments per chunk (and per generator stream).
    public static let chunkSize = 1_000
    /// Relative tolerance for ties, √(machine ε) ≈ 1.5e-8.
    public static let tieTolerance = Double.ulpOfOne.squareRoot()

    /// The 32-bit seed of Monte Carlo chunk `chunk`: SplitMix64 of `seed + (chunk + 1) × φ·2⁶⁴`,
    /// keeping the low 32 bits (GSL's mt19937 takes a 32-bit seed).
    public static func chunkSeed(_ seed: UInt64, _ chunk: Int) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(chunk + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z = z ^ (z >> 31)
        return z & 0xFFFF_FFFF
    }

    /// Runs randomization inference.
    /// - Parameters:
    ///   - scheme: the design and observed assignment.
    ///   - outcomes: one or more outcome vectors (unit order of `scheme`); all share the same assignments.
    ///   - covariates: covariate columns for `ols` and `t` (must be empty for the other statistics).
    ///   - progress: called now and then with (assignments done, total), from any thread.
    public static func run(scheme: RandomizationScheme, outcomes: [[Double]], statistic: RandomizationStatistic,
                           covariates: [[Double]] = [], method: RandomizationMethod,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> RandomizationResult {
        let prepared = try PreparedStatistic(scheme: scheme, outcomes: outcomes, covariates: covariates, statistic: statistic)
        let possible = scheme.assignmentCountApproximate

        // Decide exact or Monte Carlo.
        let exact: Bool
        var draws = 0
        var seed: UInt64 = 0
        switch method {
        case .exact: exact = true
        case let .monteCarlo(d, s): exact = false; draws = d; seed = s
        case let .automatic(d, s):
            draws = d; seed = s
            exact = possible <= Double(exactLimit)
        }
        if !exact && draws < 1 {
            throw InferenceError.invalidArgument("the number of Monte Carlo draws must be at least 1, got \(draws)")
        }
        let enumerator: ExactEnumerator? = exact ? try ExactEnumerator(scheme, limit: exactLimit) : nil
        let total = enumerator?.total ?? draws
        let streamSeed = seed

        // Observed statistic.
        let observedTreated = (0..<scheme.clusterCount).filter { scheme.observedClusters[$0] }.map(Int32.init)
        var observed = [Double](repeating: 0, count: prepared.outcomeCount)
        var scratch = PreparedStatistic.Scratch(prepared)
        observedTreated.withUnsafeBufferPointer { t in
            observed.withUnsafeMutableBufferPointer { o in
                prepared.evaluate(treated: t, count: t.count, scratch: &scratch, out: o.baseAddress!, stride: 1)
            }
        }
        if let bad = observed.firstIndex(where: { !$0.isFinite }) {
            throw InferenceError.notEstimable(
                "the \(statistic.rawValue) statistic cannot be computed for outcome \(bad + 1) under the observed assignment "
                + "(is the treatment collinear with the covariates or blocks?)")
        }

        // The randomization distribution, outcome-major: buffer[k * total + s].
        let outcomeCount = prepared.outcomeCount
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: outcomeCount * total)
        defer { buffer.deallocate() }
        let shared = SendableBuffer(pointer: buffer)
        let chunkCount = (total + chunkSize - 1) / chunkSize
        let counter = ProgressCounter(total: total, report: progress)
        let blockOffsets = scheme.blockClusters.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let flatBlocks = scheme.blockClusters.flatMap { $0.map(Int32.init) }
        let treatedPerBlock = scheme.treatedPerBlock
        let clusterCount = scheme.clusterCount

        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            let end = min(total, start + chunkSize)
            var scratch = PreparedStatistic.Scratch(prepared)
            var treated = [Int32](repeating: 0, count: max(clusterCount, 1))
            let out = shared.pointer.baseAddress!
            if let enumerator {
                for s in start..<end {
                    let count = enumerator.treatedClusters(at: s, into: &treated)
                    treated.withUnsafeBufferPointer { t in
                        prepared.evaluate(treated: t, count: count, scratch: &scratch, out: out + s, stride: total)
                    }
                }
            } else {
                var draws = BoundedDraws(RandomGenerator(seed: chunkSeed(streamSeed, chunk)))
                var order = flatBlocks
                order.withUnsafeMutableBufferPointer { orderBuffer in
                    treated.withUnsafeMutableBufferPointer { treatedBuffer in
                        let order = orderBuffer.baseAddress!, picked = treatedBuffer.baseAddress!
                        for s in start..<end {
                            var filled = 0
                            for b in 0..<treatedPerBlock.count {
                                let offset = blockOffsets[b], n = blockOffsets[b + 1] - offset, m = treatedPerBlock[b]
                                // Partial Fisher–Yates over the block's clusters: the first k positions
                                // become a uniformly random k-subset (whatever the array's current order).
                                let k = min(m, n - m)
                                let segment = order + offset
                                for i in 0..<k {
                                    let j = i + draws.next(below: n - i)
                                    let held = segment[i]
                                    segment[i] = segment[j]
                                    segment[j] = held
                                }
                                let from = m <= n - m ? 0 : k
                                (picked + filled).update(from: segment + from, count: m)
                                filled += m
                            }
                            prepared.evaluate(treated: UnsafeBufferPointer(start: picked, count: filled), count: filled,
                                              scratch: &scratch, out: out + s, stride: total)
                        }
                    }
                }
            }
            counter.add(end - start)
        }

        var results: [RandomizationOutcomeResult] = []
        var permuted: [[Double]] = []
        for k in 0..<outcomeCount {
            let column = Array(UnsafeBufferPointer(start: buffer.baseAddress! + k * total, count: total))
            let t = observed[k]
            let p = pValues(observed: t, distribution: column)
            let se: Double? = exact ? nil : (p.twoTailed * (1 - p.twoTailed) / Double(total)).squareRoot()
            results.append(RandomizationOutcomeResult(estimate: t, pTwoTailed: p.twoTailed, pUpper: p.upper,
                                                      pLower: p.lower, monteCarloStandardError: se))
            permuted.append(column)
        }
        return RandomizationResult(statistic: statistic, outcomes: results, assignments: total, exact: exact,
                                   possibleAssignments: possible, seed: exact ? nil : seed,
                                   generator: exact ? nil : "mt19937", permuted: permuted)
    }

    /// The three p-values of an observed statistic against a randomization distribution (see the type's
    /// documentation for the tie tolerance).
    public static func pValues(observed t: Double, distribution: [Double]) -> (twoTailed: Double, upper: Double, lower: Double) {
        let epsilon = tieTolerance * max(1, abs(t))
        var two = 0, up = 0, down = 0
        for v in distribution {
            if abs(v) >= abs(t) - epsilon { two += 1 }
            if v >= t - epsilon { up += 1 }
            if v <= t + epsilon { down += 1 }
        }
        let s = Double(distribution.count)
        return (Double(two) / s, Double(up) / s, Double(down) / s)
    }
}

/// Uniform integers in 0..<n for the Fisher–Yates draws. For n ≤ 2¹⁶ each raw 32-bit mt19937 output
/// gives two 16-bit halves (high half first), each mapped by Lemire's multiply-and-reject method
/// (x · n over 2¹⁶, rejecting x when (x · n) mod 2¹⁶ < (2¹⁶ − n) mod n), so the draws are exactly
/// uniform with half as many generator calls; larger n use `RandomGenerator.boundedInteger`.
struct BoundedDraws {
    let generator: RandomGenerator
    private var spare: UInt32 = 0
    private var hasSpare = false

    init(_ generator: RandomGenerator) { self.generator = generator }

    @inline(__always)
    private mutating func nextHalf() -> UInt32 {
        if hasSpare {
            hasSpare = false
            return spare
        }
        let raw = generator.nextRaw()
        spare = raw & 0xFFFF
        hasSpare = true
        return raw >> 16
    }

    @inline(__always)
    mutating func next(below n: Int) -> Int {
        guard n <= 0x1_0000 else { return Int(generator.boundedInteger(below: UInt32(n))) }
        let bound = UInt32(n)
        var m = nextHalf() &* bound
        var low = m & 0xFFFF
        if low < bound {
            let threshold = (0x1_0000 - bound) % bound
            while low < threshold {
                m = nextHalf() &* bound
                low = m & 0xFFFF
            }
        }
        return Int(m >> 16)
    }
}

/// A buffer written by disjoint chunks on several threads.
struct SendableBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Double>
}

/// Counts finished assignments across threads and reports roughly every 5%.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private var lastReported = 0
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    func add(_ count: Int) {
        guard let report else { return }
        lock.lock()
        done += count
        let now = done
        let due = now - lastReported >= max(1, total / 20) || now == total
        if due { lastReported = now }
        lock.unlock()
        if due { report(now, total) }
    }
}
