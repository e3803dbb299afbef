/// Small exhaustive grids for property tests: every combination of the given values.
public enum Grid {
    public static func product<A, B>(_ a: [A], _ b: [B]) -> [(A, B)] {
        a.flatMap { x in b.map { (x, $0) } }
    }

    public static func product<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
        a.flatMap { x in b.flatMap { y in c.map { (x, y, $0) } } }
    }
}

/// |a − b| ≤ max(absolute, relative · |b|): the comparison used against reference values.
public func isClose(_ a: Double, _ b: Double, relative: Double = 1e-6, absolute: Double = 0) -> Bool {
    if a == b { return true }
    if a.isNaN || b.isNaN { return false }
    return abs(a - b) <= max(absolute, relative * abs(b))
}
