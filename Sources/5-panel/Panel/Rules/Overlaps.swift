/// `overlaps` (and its original name `any`): 1 when a passing record covers at least one day of the
/// window, else 0.
enum Overlaps: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        for s in spans where Intervals.overlaps(s, w.first, w.last) { return RuleResult(.observed(1)) }
        return RuleResult(.observed(0))
    }
}
