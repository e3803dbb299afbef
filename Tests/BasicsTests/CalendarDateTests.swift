import Basics
import Foundation
import Testing

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

    /// The byte-level fast path of `init(iso:)` agrees with the definition (three `-`-separated parts of
    /// 4, 2 and 2 characters read as integers, the day existing) on a grid of well- and ill-formed text.
    @Test func isoParsingAgreesWithItsDefinition() {
        func reference(_ text: String) -> CalendarDate? {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        }
        var texts = ["2019-2-01", "+123-01-01", " 2019-01-01", "2019-01-01 ", "2019/01/01", "2019-01-0a", "20190101",
                     "0000-01-01", "9999-12-31", "2019-00-10", "2019-01-00", "２０１９-01-01", "2019-+1-01", ""]
        for y in [1900, 1999, 2000, 2019, 2024] {
            for m in 0...13 { for d in [0, 1, 28, 29, 30, 31, 32] {
                texts.append(String(format: "%04d-%02d-%02d", y, m, d))
            } }
        }
        for t in texts {
            #expect(CalendarDate(iso: t) == reference(t), "\(t)")
            var copy = t
            #expect(copy.withUTF8 { CalendarDate(isoBytes: $0) } == reference(t), "\(t)")
        }
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

    /// `description` (ten bytes written in place) is `YYYY-MM-DD` zero-padded, and reads back to the same
    /// date, for every day of years 1, 999, 2024 and 9999 and for years outside four digits.
    @Test func descriptionIsZeroPaddedISO() {
        for year in [1, 999, 1970, 2024, 9999] {
            for month in 1...12 {
                for day in 1...CalendarDate.daysIn(year: year, month: month) {
                    let date = CalendarDate(year: year, month: month, day: day)!
                    let expected = String(format: "%04d-%02d-%02d", year, month, day)
                    #expect(date.description == expected)
                    #expect(CalendarDate(iso: date.description) == date)
                }
            }
        }
        #expect(CalendarDate(year: 12345, month: 1, day: 2)!.description == "12345-01-02")
        #expect(CalendarDate(year: 0, month: 3, day: 4)!.description == "0000-03-04")
    }
}
