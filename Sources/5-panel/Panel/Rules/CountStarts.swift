/// `count_starts` (and its original name `count`): the number of passing records that start in the
/// window. Each record counts in exactly one window, so counts over windows that tile add up.
enum CountStarts: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        var n = 0
        for s in spans where s.start >= w.first && s.start <= w.last { n += 1 }
        return RuleResult(.observed(Double(n)))
    }
}
