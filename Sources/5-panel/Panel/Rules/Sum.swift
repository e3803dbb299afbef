/// `sum`: the sum of the value field of the passing records that start in the window — signed, so a
/// recovery subtracts and a window's total may be negative; a record without a value makes the cell
/// missing (`value_missing`), never a silent zero. With `prorate: days` (`SumProrated`), every record
/// that overlaps the window counts, in proportion to its days inside the window.
enum Sum: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        var total = 0.0
        for s in spans where s.start >= w.first && s.start <= w.last {
            guard let v = s.value else { return RuleResult(.missing(.valueMissing, "record on line \(s.line) has no value")) }
            total += v
        }
        return RuleResult(.observed(total))
    }
}

/// `sum` with `prorate: days`: each overlapping record's value times the share of its days inside the
/// window (an open record counts whole from its start).
enum SumProrated: RegistryRule {
    static func evaluate(_ spans: [PassingSpan], _ w: WindowDays) -> RuleResult {
        var total = 0.0
        for s in spans where Intervals.overlaps(s, w.first, w.last) {
            guard let v = s.value else { return RuleResult(.missing(.valueMissing, "record on line \(s.line) has no value")) }
            total += v * Intervals.shareInside(s, w.first, w.last)
        }
        return RuleResult(.observed(total))
    }
}
