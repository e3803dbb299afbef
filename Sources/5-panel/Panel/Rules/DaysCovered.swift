/// `days_covered`: the days of the window that passing records cover, both bounds included; a day covered
/// by two records (overlapping spells, a spell delivered twice) counts once.
enum DaysCovered: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        RuleResult(.observed(Double(Intervals.daysCovered(spans, w.first, w.last))))
    }
}
