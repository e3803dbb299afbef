import Testing
import TrialDesign

@Suite struct CalendarDateTests {
    @Test func parsesAndRejects() {
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2023-02-29") == nil)
        #expect(CalendarDate(iso: "2023-13-01") == nil)
        #expect(CalendarDate(iso: "23-01-01") == nil)
        #expect(CalendarDate(iso: "2023-04-31") == nil)
        #expect(CalendarDate(iso: "2000-02-29") != nil)   // divisible by 400
        #expect(CalendarDate(iso: "1900-02-29") == nil)   // divisible by 100, not 400
    }

    @Test func dayNumbersRoundTripAndMatchKnownDates() {
        #expect(CalendarDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CalendarDate(year: 2000, month: 3, day: 1)!.dayNumber == 11017)
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CalendarDate(dayNumber: n).dayNumber == n)
        }
        let d = CalendarDate(year: 2024, month: 2, day: 28)!
        #expect(d.adding(days: 1).description == "2024-02-29")
        #expect(d.adding(days: 2).description == "2024-03-01")
    }

    @Test func monthArithmeticClampsToMonthEnd() {
        let jan31 = CalendarDate(year: 2019, month: 1, day: 31)!
        #expect(jan31.adding(months: 1).description == "2019-02-28")
        #expect(CalendarDate(year: 2020, month: 1, day: 31)!.adding(months: 1).description == "2020-02-29")
        #expect(jan31.adding(months: 3).description == "2019-04-30")
        #expect(jan31.adding(months: 12).description == "2020-01-31")
        #expect(CalendarDate(year: 2018, month: 8, day: 31)!.adding(months: 6).description == "2019-02-28")
        #expect(CalendarDate(year: 2019, month: 3, day: 15)!.adding(months: -3).description == "2018-12-15")
        #expect(CalendarDate(year: 2020, month: 2, day: 29)!.adding(months: 12).description == "2021-02-28")
    }
}
