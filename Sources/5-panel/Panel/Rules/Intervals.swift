/// The interval algebra the registry rules share. Days are whole day numbers; a span `[start, end]`
/// includes both bounds, so it covers `end − start + 1` days.
enum Intervals {
    /// Whether `[start, end]` and `[first, last]` share at least one day.
    @inline(__always)
    static func overlaps(_ s: PassingSpan, _ first: Int, _ last: Int) -> Bool { s.start <= last && s.end >= first }

    /// Whether `day` lies in the span.
    @inline(__always)
    static func covers(_ s: PassingSpan, _ day: Int) -> Bool { s.start <= day && s.end >= day }

    /// The days of `[first, last]` covered by at least one span: the length of the union of the spans
    /// clipped to the window (a day covered by two spans counts once).
    static func daysCovered(_ spans: [PassingSpan], _ first: Int, _ last: Int) -> Int {
        var clipped: [(Int, Int)] = []
        for s in spans where overlaps(s, first, last) { clipped.append((max(s.start, first), min(s.end, last))) }
        guard !clipped.isEmpty else { return 0 }
        clipped.sort { $0.0 < $1.0 }
        var total = 0
        var (lo, hi) = clipped[0]
        for (a, b) in clipped.dropFirst() {
            if a <= hi + 1 { hi = max(hi, b) } else { total += hi - lo + 1; (lo, hi) = (a, b) }
        }
        return total + hi - lo + 1
    }

    /// Which months of the window (by index, `bounds[i]..<bounds[i + 1]`) at least one span overlaps.
    static func monthsCovered(_ spans: [PassingSpan], _ bounds: ArraySlice<Int>) -> [Bool] {
        let n = bounds.count - 1, o = bounds.startIndex
        var covered = [Bool](repeating: false, count: n)
        for s in spans where overlaps(s, bounds[o], bounds[o + n] - 1) {
            for i in 0..<n where !covered[i] && s.start < bounds[o + i + 1] && s.end >= bounds[o + i] { covered[i] = true }
        }
        return covered
    }

    /// The days of the span inside the window, over the span's days (1 for a span inside; 0 outside).
    /// An open span (ending at `Int.max`) counts as inside from its start.
    static func shareInside(_ s: PassingSpan, _ first: Int, _ last: Int) -> Double {
        guard overlaps(s, first, last) else { return 0 }
        guard s.end != Int.max else { return 1 }
        let inside = min(s.end, last) - max(s.start, first) + 1
        return Double(inside) / Double(s.end - s.start + 1)
    }
}
