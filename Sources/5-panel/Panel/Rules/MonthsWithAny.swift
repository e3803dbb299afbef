/// `months_with_any`: the number of the window's months in which a passing record covers at least one day.
enum MonthsWithAny: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        RuleResult(.observed(Double(Intervals.monthsCovered(spans, w.bounds).filter { $0 }.count)))
    }
}
