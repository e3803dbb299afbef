import Basics
import Testing
import TrialDesign
import TestSupport
@testable import Panel

/// Month boundaries per family (docs/panel.md): month k ≥ 1 = [B(k−1), B(k) − 1], month −k = [B(−k),
/// B(−k+1) − 1], B(j) = assignedOn.adding(months: j). Expected dates computed by hand from a calendar.
@Suite struct FollowUpMonthsTests {
    func date(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

    func span(_ m: FollowUpMonths, _ k: Int) -> String {
        let r = m.month(k)
        return "\(r.lowerBound)…\(r.upperBound)"
    }

    @Test func assignedOnThe31stClampsWithoutDrift() {
        let m = FollowUpMonths(assignedOn: date("2019-01-31"))
        #expect(span(m, 1) == "2019-01-31…2019-02-27")
        #expect(span(m, 2) == "2019-02-28…2019-03-30")
        #expect(span(m, 3) == "2019-03-31…2019-04-29")
        #expect(span(m, 4) == "2019-04-30…2019-05-30")   // anchored on the 31st again, not on the 28th
        #expect(span(m, 12) == "2019-12-31…2020-01-30")
        #expect(span(m, 13) == "2020-01-31…2020-02-28")   // leap year: Feb 29 is the next boundary
        #expect(span(m, 14) == "2020-02-29…2020-03-30")
    }

    @Test func leapYearAssignmentOnJanuary31() {
        let m = FollowUpMonths(assignedOn: date("2020-01-31"))
        #expect(span(m, 1) == "2020-01-31…2020-02-28")
        #expect(span(m, 2) == "2020-02-29…2020-03-30")
    }

    @Test func assignedOnFebruary29() {
        let m = FollowUpMonths(assignedOn: date("2020-02-29"))
        #expect(span(m, 1) == "2020-02-29…2020-03-28")
        #expect(span(m, 12) == "2021-01-29…2021-02-27")
        #expect(span(m, 13) == "2021-02-28…2021-03-28")
        #expect(span(m, -1) == "2020-01-29…2020-02-28")
        #expect(span(m, -12) == "2019-02-28…2019-03-28")
    }

    @Test func assignedOnFebruary28() {
        let m = FollowUpMonths(assignedOn: date("2019-02-28"))
        #expect(span(m, 1) == "2019-02-28…2019-03-27")
        #expect(span(m, 12) == "2020-01-28…2020-02-27")
        #expect(span(m, 13) == "2020-02-28…2020-03-27")
        let leap = FollowUpMonths(assignedOn: date("2020-02-28"))
        #expect(span(leap, 1) == "2020-02-28…2020-03-27")   // Feb 29 belongs to month 1
        #expect(leap.monthContaining(date("2020-02-29")) == 1)
    }

    @Test func monthsBeforeAssignment() {
        let m = FollowUpMonths(assignedOn: date("2019-03-31"))
        #expect(span(m, -1) == "2019-02-28…2019-03-30")
        #expect(span(m, -2) == "2019-01-31…2019-02-27")
        #expect(span(m, -12) == "2018-03-31…2018-04-29")
        let w = m.window(from: -12, to: -1)
        #expect(w.lowerBound == date("2018-03-31") && w.upperBound == date("2019-03-30"))
        // [a, 0] before assignment is [a, −1].
        #expect(m.window(from: -12, to: 0) == w)
    }

    @Test func windowStraddlingYearEnd() {
        let m = FollowUpMonths(assignedOn: date("2018-08-15"))
        let w = m.window(from: 4, to: 6)
        #expect(w.lowerBound == date("2018-11-15"))
        #expect(w.upperBound == date("2019-02-14"))
        #expect(m.window(from: 0, to: 6) == m.window(from: 1, to: 6))   // month 0 is read as month 1
        let m6 = FollowUpMonths(assignedOn: date("2018-08-31")).window(from: 1, to: 6)
        #expect(m6.lowerBound == date("2018-08-31") && m6.upperBound == date("2019-02-27"))
    }

    /// Property: over a grid of assignment dates (every day of Jan–Mar in a common and a leap year, the
    /// 28th–31st of every month of 2019–2020, century years), months −24…−1 and 1…24 tile the days: each
    /// month is non-empty, starts the day after the previous one ends, month 1 starts on the assignment
    /// day, month −1 ends the day before, and every day maps back to its month.
    @Test func monthsTileTheCalendar() {
        var grid: [CalendarDate] = []
        for year in [2019, 2020] {
            for month in 1...3 {
                for day in 1...CalendarDate.daysIn(year: year, month: month) { grid.append(CalendarDate(year: year, month: month, day: day)!) }
            }
            for month in 1...12 {
                for day in 28...CalendarDate.daysIn(year: year, month: month) { grid.append(CalendarDate(year: year, month: month, day: day)!) }
            }
        }
        grid += [date("2000-02-29"), date("2100-02-28"), date("2099-12-31"), date("1999-12-31")]
        for d in grid {
            let m = FollowUpMonths(assignedOn: d)
            #expect(m.month(1).lowerBound == d, "month 1 of \(d)")
            #expect(m.month(-1).upperBound == d.adding(days: -1), "month -1 of \(d)")
            let order = Array(-24...(-1)) + Array(1...24)
            var previousEnd: CalendarDate? = nil
            var total = 0
            for k in order {
                let r = m.month(k)
                #expect(r.lowerBound <= r.upperBound, "month \(k) of \(d) is empty")
                let length = r.upperBound.dayNumber - r.lowerBound.dayNumber + 1
                #expect((28...31).contains(length), "month \(k) of \(d) has \(length) days")
                if let previousEnd {
                    #expect(r.lowerBound == previousEnd.adding(days: 1), "gap or overlap before month \(k) of \(d)")
                }
                previousEnd = r.upperBound
                total += length
                for day in r.lowerBound.dayNumber...r.upperBound.dayNumber where day % 7 == 0 || day == r.lowerBound.dayNumber || day == r.upperBound.dayNumber {
                    #expect(m.monthContaining(CalendarDate(dayNumber: day)) == k, "day \(day) of \(d)")
                }
            }
            // 48 months cover exactly the days from B(−24) to B(24) − 1.
            #expect(total == d.adding(months: 24).dayNumber - d.adding(months: -24).dayNumber)
        }
    }
}
