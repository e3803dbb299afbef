/// `starts_in`: 1 when a passing record starts in the window (a new decision or spell), else 0. A record
/// that started before the window and runs into it does not count.
enum StartsIn: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        for s in spans where s.start >= w.first && s.start <= w.last { return RuleResult(.observed(1)) }
        return RuleResult(.observed(0))
    }
}
