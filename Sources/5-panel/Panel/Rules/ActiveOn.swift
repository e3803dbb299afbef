/// `active_on` (and `status_at`): 1 when a passing record covers the reference day — the day `on:` names
/// (`end_of_month 12`, `day 365`), else the window's last day — else 0.
enum ActiveOn: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        for s in spans where Intervals.covers(s, w.reference) { return RuleResult(.observed(1)) }
        return RuleResult(.observed(0))
    }
}
