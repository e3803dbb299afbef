/// `first_start`: the days from the assignment day to the first start of a passing record in the window;
/// when none starts in it, the days to the window's last day, censored. The second column
/// (`<id>_censored`) is 1 when censored, 0 when a start was seen — the pair a survival analysis needs.
enum FirstStart: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        var earliest: Int? = nil
        for s in spans where s.start >= w.first && s.start <= w.last {
            if earliest == nil || s.start < earliest! { earliest = s.start }
        }
        if let earliest { return RuleResult(.observed(Double(earliest - w.assignedDay)), companion: .observed(0)) }
        return RuleResult(.observed(Double(w.last - w.assignedDay)), companion: .observed(1))
    }
}
