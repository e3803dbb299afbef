import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, so that a test's random cases can be
/// replayed from its seed.
public struct SplitMix {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A whole number in 0..<n.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Values written from several threads (one slot each), read when they are done.
public final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value]
    public init(count: Int, empty: Value) { storage = Array(repeating: empty, count: count) }
    public func set(_ i: Int, _ value: Value) { lock.lock(); storage[i] = value; lock.unlock() }
    public var values: [Value] { lock.lock(); defer { lock.unlock() }; return storage }
}
