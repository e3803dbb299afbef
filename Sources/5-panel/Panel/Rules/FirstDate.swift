/// `first_date`: the days from the assignment day to the first day of the window that a passing record
/// covers (a record that started before the window counts from the window's first day); missing
/// (`no_event`) when no passing record touches the window.
enum FirstDate: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        var earliest: Int? = nil
        for s in spans where Intervals.overlaps(s, w.first, w.last) {
            let d = max(s.start, w.first)
            if earliest == nil || d < earliest! { earliest = d }
        }
        guard let earliest else { return RuleResult(.missing(.noEvent, "no passing record in the window")) }
        return RuleResult(.observed(Double(earliest - w.assignedDay)))
    }
}
