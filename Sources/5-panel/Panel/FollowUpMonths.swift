import Basics
import TrialDesign

/// The follow-up months of one unit, counted from its own assignment date (enrolment is rolling, so
/// "month 6" is a different calendar period for every family).
///
/// Definition (see docs/panel.md). Let `d` be the assignment date and `B(j) = d.adding(months: j)` for
/// every whole number `j`: the same day of the month `j` months later, clamped to the last day of the
/// target month (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year). `B` is always computed from `d`
/// itself, never from the previous boundary, so the anchor day does not drift (Jan 31 → Feb 28 →
/// Mar 31, not Mar 28). Then
///
/// - month `k ≥ 1` is the days `[B(k − 1), B(k) − 1 day]`: month 1 starts on the assignment day;
/// - month `−k ≤ −1` is the days `[B(−k), B(−k + 1) − 1 day]`: month −1 ends the day before assignment;
/// - a window `[a, b]` (both ≥ 1 or both ≤ −1) is the union of months a…b, i.e. the days
///   `[start(a), end(b)]`.
///
/// `B` is strictly increasing (consecutive `j` land in consecutive calendar months), so the months
/// tile the calendar: every day belongs to exactly one month, no month is empty, none overlap. Month 0
/// does not exist (month 1 already starts on the assignment day); a design window `[0, b]` is read as
/// `[1, b]`, and a pre-assignment window `[a, 0]` (a < 0) as `[a, −1]`. Equivalent in R: `lubridate::%m+%` on the assignment date (not chained); in Stata the
/// month boundaries must be clamped by hand (`mofd` arithmetic does not clamp days).
public struct FollowUpMonths: Sendable, Equatable {
    public let assignedOn: CalendarDate

    public init(assignedOn: CalendarDate) {
        self.assignedOn = assignedOn
    }

    /// The first day of period `j` (`B(j)`): period `j ≥ 0` is month `j + 1`, period `j < 0` is month `j`.
    @inline(__always)
    public func boundary(_ j: Int) -> CalendarDate { assignedOn.adding(months: j) }

    /// The index `j` of the period that month `k` occupies between `B(j)` and `B(j + 1)`.
    @inline(__always)
    static func period(ofMonth k: Int) -> Int { k >= 1 ? k - 1 : k }

    /// Month 0 is read as month 1 (month 1 starts on the assignment day).
    @inline(__always)
    static func normalised(_ k: Int) -> Int { k == 0 ? 1 : k }

    /// The days of month `k` (k ≠ 0; 0 is read as 1), inclusive.
    public func month(_ k: Int) -> ClosedRange<CalendarDate> {
        let j = FollowUpMonths.period(ofMonth: FollowUpMonths.normalised(k))
        return boundary(j)...boundary(j + 1).adding(days: -1)
    }

    /// The days of the window `[from, to]` in months, inclusive (the union of its months).
    public func window(_ w: MonthWindow) -> ClosedRange<CalendarDate> {
        window(from: w.fromMonth, to: w.toMonth)
    }

    public func window(from a: Int, to b: Int) -> ClosedRange<CalendarDate> {
        let (a, b) = FollowUpMonths.normalised(from: a, to: b)
        let first = month(a).lowerBound
        let last = month(b).upperBound
        return first...last
    }

    /// Month 0 does not exist: `[0, b]` is `[1, b]`, `[a, 0]` with `a < 0` is `[a, −1]`, `[0, 0]` is `[1, 1]`.
    static func normalised(from a: Int, to b: Int) -> (Int, Int) {
        let b2 = b == 0 ? (a < 0 ? -1 : 1) : b
        let a2 = a == 0 ? 1 : a
        return (a2, b2)
    }

    /// The month number (…, −2, −1, 1, 2, …) that contains `date`.
    public func monthContaining(_ date: CalendarDate) -> Int {
        // An estimate from calendar months, then a step or two to the exact period.
        var j = (date.year - assignedOn.year) * 12 + (date.month - assignedOn.month)
        while boundary(j) > date { j -= 1 }
        while boundary(j + 1) <= date { j += 1 }
        return j >= 0 ? j + 1 : j
    }

    /// The months of a window as a list of month numbers (month 0 read as 1, no month listed twice).
    static func months(of w: MonthWindow) -> [Int] {
        let (a, b) = normalised(from: w.fromMonth, to: w.toMonth)
        guard a <= b else { return [] }
        return (a...b).filter { $0 != 0 }
    }
}
