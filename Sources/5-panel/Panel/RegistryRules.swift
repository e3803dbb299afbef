import Basics
import TrialDesign

/// A registry record that passed an outcome's filter, reduced to what the rules need. Days are
/// `CalendarDate.dayNumber`s; an open record (no end date) ends at `Int.max`.
struct PassingSpan: Sendable, Equatable {
    var start: Int
    var end: Int
    /// The summed field (`sum` only); nil when the record has no value in it.
    var value: Double?
    /// The line of the file the record came from, for messages.
    var line: Int
}

/// The registry derivation rules, evaluated over one window of one unit. See docs/panel.md for the
/// exact definitions and the reasons behind them.
///
/// The window is given as its month boundaries: `bounds[i]` is the first day of the window's `i`-th
/// month and `bounds[n]` the day after its last month, so the window is `[bounds[0], bounds[n] − 1]`.
/// Cost: O(records × 1) per rule, plus O(records × months) for `share_of_months`.
enum RegistryRules {
    static func evaluate(_ rule: DerivationRule, spans: [PassingSpan], bounds: ArraySlice<Int>,
                         assignedDay: Int) -> PanelCell {
        let first = bounds.first!, dayAfter = bounds.last!
        let last = dayAfter - 1
        switch rule {
        case .any:
            // 1 when a passing record covers at least one day of the window.
            for s in spans where s.start <= last && s.end >= first { return .observed(1) }
            return .observed(0)
        case .count:
            // Passing records that start in the window (each record counts in exactly one month, so counts
            // over windows that tile add up).
            var n = 0
            for s in spans where s.start >= first && s.start <= last { n += 1 }
            return .observed(Double(n))
        case .sum:
            // The record's whole amount counts in the window where the record starts (no pro rata).
            var total = 0.0
            for s in spans where s.start >= first && s.start <= last {
                guard let v = s.value else {
                    return .missing(.valueMissing, "record on line \(s.line) has no value")
                }
                total += v
            }
            return .observed(total)
        case .shareOfMonths:
            // Share of the window's months that at least one passing record overlaps.
            let n = bounds.count - 1
            let o = bounds.startIndex
            if n <= 64 {
                // The covered months as bits (no array per evaluation).
                var covered: UInt64 = 0
                for s in spans where s.start <= last && s.end >= first {
                    for i in 0..<n where covered & (1 << UInt64(i)) == 0 && s.start < bounds[o + i + 1] && s.end >= bounds[o + i] {
                        covered |= 1 << UInt64(i)
                    }
                }
                return .observed(Double(covered.nonzeroBitCount) / Double(n))
            }
            var covered = [Bool](repeating: false, count: n)
            for s in spans where s.start <= last && s.end >= first {
                for i in 0..<n where !covered[i] && s.start < bounds[o + i + 1] && s.end >= bounds[o + i] {
                    covered[i] = true
                }
            }
            let k = covered.reduce(0) { $0 + ($1 ? 1 : 0) }
            return .observed(Double(k) / Double(n))
        case .statusAt:
            // 1 when a passing record covers the window's last day (the status at the end of the window).
            for s in spans where s.start <= last && s.end >= last { return .observed(1) }
            return .observed(0)
        case .firstDate:
            // Days from the assignment date to the first day in the window that a passing record covers.
            var earliest: Int? = nil
            for s in spans where s.start <= last && s.end >= first {
                let d = max(s.start, first)
                if earliest == nil || d < earliest! { earliest = d }
            }
            guard let earliest else { return .missing(.noEvent, "no passing record in the window") }
            return .observed(Double(earliest - assignedDay))
        case .surveyItem, .indexMean, .indexInverseCovariance:
            preconditionFailure("survey rules are not registry rules")
        }
    }
}
