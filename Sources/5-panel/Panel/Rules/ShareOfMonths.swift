/// `share_of_months`: the share of the window's months in which a passing record covers at least one day.
enum ShareOfMonths: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        let n = w.monthCount
        let o = w.bounds.startIndex
        if n <= 64 {
            // The covered months as bits (no array per evaluation).
            var covered: UInt64 = 0
            for s in spans where Intervals.overlaps(s, w.first, w.last) {
                for i in 0..<n where covered & (1 << UInt64(i)) == 0 && s.start < w.bounds[o + i + 1] && s.end >= w.bounds[o + i] {
                    covered |= 1 << UInt64(i)
                }
            }
            return RuleResult(.observed(Double(covered.nonzeroBitCount) / Double(n)))
        }
        let k = Intervals.monthsCovered(spans, w.bounds).filter { $0 }.count
        return RuleResult(.observed(Double(k) / Double(n)))
    }
}
