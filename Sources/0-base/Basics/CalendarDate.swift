/// A calendar date without time or time zone (the registries and surveys record days, not instants).
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// nil when the day does not exist in that month (e.g. 2023-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: String) {
        var copy = text
        if let date = copy.withUTF8({ CalendarDate(tenBytes: $0) }) {
            self = date
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses `YYYY-MM-DD` from UTF-8 bytes (a store's column read in place), as `init(iso:)` does.
    public init?(isoBytes b: UnsafeBufferPointer<UInt8>) {
        if let date = CalendarDate(tenBytes: b) {
            self = date
            return
        }
        self.init(iso: String(decoding: b, as: UTF8.self))
    }

    /// The fast path: exactly `YYYY-MM-DD` in ASCII digits.
    private init?(tenBytes b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        func number(_ from: Int, _ to: Int) -> Int? {
            var v = 0
            for i in from..<to {
                let digit = b[i] &- 0x30
                guard digit < 10 else { return nil }
                v = v * 10 + Int(digit)
            }
            return v
        }
        guard let y = number(0, 4), let m = number(5, 7), let d = number(8, 10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        guard (0...9999).contains(year) else {
            func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
        // Ten ASCII bytes written in place (a store writes two per registry record, millions per import).
        return String(unsafeUninitializedCapacity: 10) { b in
            func put(_ v: Int, at i: Int, width: Int) {
                var v = v
                for k in stride(from: i + width - 1, through: i, by: -1) { b[k] = UInt8(48 + v % 10); v /= 10 }
            }
            put(year, at: 0, width: 4)
            b[4] = 0x2D
            put(month, at: 5, width: 2)
            b[7] = 0x2D
            put(day, at: 8, width: 2)
            return 10
        }
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for day arithmetic.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date with the given day number (inverse of `dayNumber`).
    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// The last day of this date's month.
    public var endOfMonth: CalendarDate {
        CalendarDate(year: year, month: month, day: CalendarDate.daysIn(year: year, month: month))!
    }

    /// The same day `months` later, clamped to the last day of the target month (Jan 31 + 1 month =
    /// Feb 28, or Feb 29 in a leap year), as R's `lubridate::%m+%` and Stata's month arithmetic do.
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(year: y, month: m)))!
    }
}
