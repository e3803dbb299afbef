import Basics

/// The written forms of days and months that extracts, surveys and cohorts use, named as a dialect
/// declares them (`date_format: DD.MM.YYYY`). A day form has a month form (the same order and separator
/// without the day) and the other way round, so one `date_format` reads both the days and the months of
/// a file; `month_format` overrides the month form where a file writes them differently.
///
/// Reading is exact: a cell must be the form to the byte (surrounding spaces aside), and the day must
/// exist (31/02/2018 is refused, not moved to March).
public enum DateFormat: String, Sendable, CaseIterable, Equatable {
    case dmy = "DD/MM/YYYY"
    case dmyDots = "DD.MM.YYYY"
    case dmyDashes = "DD-MM-YYYY"
    case iso = "YYYY-MM-DD"
    case compact = "YYYYMMDD"
    case yearMonth = "YYYY-MM"
    case compactYearMonth = "YYYYMM"
    case monthYear = "MM/YYYY"
    case monthYearDots = "MM.YYYY"
    case monthYearDashes = "MM-YYYY"

    /// The order of a form's fields.
    public enum Order: Sendable { case dayMonthYear, yearMonthDay, monthYear, yearMonth }

    public var order: Order {
        switch self {
        case .dmy, .dmyDots, .dmyDashes: return .dayMonthYear
        case .iso, .compact: return .yearMonthDay
        case .monthYear, .monthYearDots, .monthYearDashes: return .monthYear
        case .yearMonth, .compactYearMonth: return .yearMonth
        }
    }

    /// The byte between the fields; nil when they are written together.
    public var separator: UInt8? {
        switch self {
        case .dmy, .monthYear: return UInt8(ascii: "/")
        case .dmyDots, .monthYearDots: return UInt8(ascii: ".")
        case .dmyDashes, .monthYearDashes, .iso, .yearMonth: return UInt8(ascii: "-")
        case .compact, .compactYearMonth: return nil
        }
    }

    /// Whether the form writes a month (no day).
    public var isMonthForm: Bool { order == .monthYear || order == .yearMonth }

    /// The day form: a day form itself, a month form the day form it abbreviates.
    public var dayForm: DateFormat {
        switch self {
        case .monthYear: return .dmy
        case .monthYearDots: return .dmyDots
        case .monthYearDashes: return .dmyDashes
        case .yearMonth: return .iso
        case .compactYearMonth: return .compact
        default: return self
        }
    }

    /// The month form: a month form itself, a day form the form without its day.
    public var monthForm: DateFormat {
        switch self {
        case .dmy: return .monthYear
        case .dmyDots: return .monthYearDots
        case .dmyDashes: return .monthYearDashes
        case .iso: return .yearMonth
        case .compact: return .compactYearMonth
        default: return self
        }
    }

    /// The day written in this form's day form.
    public func format(day d: CalendarDate) -> String {
        let y = Self.pad(d.year, 4), m = Self.pad(d.month, 2), day = Self.pad(d.day, 2)
        let sep = dayForm.separator.map { String(UnicodeScalar($0)) } ?? ""
        switch dayForm.order {
        case .dayMonthYear: return day + sep + m + sep + y
        default: return y + sep + m + sep + day
        }
    }

    /// The month of `d` written in this form's month form.
    public func format(month d: CalendarDate) -> String {
        let y = Self.pad(d.year, 4), m = Self.pad(d.month, 2)
        let sep = monthForm.separator.map { String(UnicodeScalar($0)) } ?? ""
        return monthForm.order == .monthYear ? m + sep + y : y + sep + m
    }

    /// The day in `bytes` (already trimmed), read in this form's day form; nil when the bytes are not
    /// exactly that form or the day does not exist.
    public func day(bytes c: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        let f = dayForm
        let s = f.separator
        let n = s == nil ? 8 : 10
        guard c.count == n else { return nil }
        let (a, b, y): (Range<Int>, Range<Int>, Range<Int>)
        switch f.order {
        case .dayMonthYear:
            guard s == nil || (c[2] == s && c[5] == s) else { return nil }
            (a, b, y) = s == nil ? (0..<2, 2..<4, 4..<8) : (0..<2, 3..<5, 6..<10)
            guard let d = Self.number(c, a), let m = Self.number(c, b), let year = Self.number(c, y) else { return nil }
            return CalendarDate(year: year, month: m, day: d)
        default:
            guard s == nil || (c[4] == s && c[7] == s) else { return nil }
            (y, b, a) = s == nil ? (0..<4, 4..<6, 6..<8) : (0..<4, 5..<7, 8..<10)
            guard let year = Self.number(c, y), let m = Self.number(c, b), let d = Self.number(c, a) else { return nil }
            return CalendarDate(year: year, month: m, day: d)
        }
    }

    /// The month in `bytes` (already trimmed), read in this form's month form; its first day.
    public func month(bytes c: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        let f = monthForm
        let s = f.separator
        guard c.count == (s == nil ? 6 : 7) else { return nil }
        switch f.order {
        case .monthYear:
            guard s == nil || c[2] == s, let m = Self.number(c, 0..<2), let y = Self.number(c, (s == nil ? 2 : 3)..<c.count) else { return nil }
            return CalendarDate(year: y, month: m, day: 1)
        default:
            guard s == nil || c[4] == s, let y = Self.number(c, 0..<4), let m = Self.number(c, (s == nil ? 4 : 5)..<c.count) else { return nil }
            return CalendarDate(year: y, month: m, day: 1)
        }
    }

    /// `day(bytes:)` on text (surrounding spaces and tabs ignored).
    public func day(_ text: String) -> CalendarDate? { Self.trimmedBytes(text) { day(bytes: $0) } }

    /// `month(bytes:)` on text (surrounding spaces and tabs ignored).
    public func month(_ text: String) -> CalendarDate? { Self.trimmedBytes(text) { month(bytes: $0) } }

    private static func trimmedBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        var bytes = Array(text.utf8)
        while let f = bytes.first, f == 0x20 || f == 0x09 { bytes.removeFirst() }
        while let l = bytes.last, l == 0x20 || l == 0x09 { bytes.removeLast() }
        return bytes.withUnsafeBufferPointer(body)
    }

    @inline(__always)
    private static func number(_ c: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        var v = 0
        for i in r {
            let digit = c[i] &- 0x30
            guard digit < 10 else { return nil }
            v = v * 10 + Int(digit)
        }
        return v
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
