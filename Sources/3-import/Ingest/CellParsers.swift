import Basics
import TrialDesign

/// Parsers for the cells of registry extracts. Each returns nil when the text is not in the declared
/// form: an import never guesses another form, it rejects the row and says why.
public enum CellParser {
    /// A decimal number with the given decimal mark (`.` or `,`) and optional thousands separator.
    ///
    /// Accepted: an optional sign (`+`/`-`), digits, optionally grouped in threes by `thousands`
    /// (`1.214,13` with `decimal: ","`, `thousands: "."`), and an optional fractional part after the
    /// decimal mark. Without a declared thousands separator, a `.` in a decimal-comma file (or a `,` in a
    /// decimal-point file) is an error, since `1.500` could mean 1.5 or 1500. Surrounding spaces are
    /// ignored. R: `readr::parse_number(locale = locale(decimal_mark = ",", grouping_mark = "."))`,
    /// which is more lenient (it drops any non-numeric text).
    public static func decimal(_ text: String, decimal mark: Character = ".", thousands: Character? = nil) -> Double? {
        guard let markByte = mark.asciiValue else { return nil }
        let groupByte = thousands?.asciiValue
        if let v = text.utf8.withContiguousStorageIfAvailable({ decimal(bytes: $0, mark: markByte, group: groupByte) }) {
            return v
        }
        return Array(text.utf8).withUnsafeBufferPointer { decimal(bytes: $0, mark: markByte, group: groupByte) }
    }

    /// `decimal(_:decimal:thousands:)` on the bytes of a cell (ASCII mark and separator).
    public static func decimal(bytes all: UnsafeBufferPointer<UInt8>, mark markByte: UInt8, group groupByte: UInt8?) -> Double? {
        var lo = 0, hi = all.count
        while lo < hi && all[lo] == 0x20 { lo += 1 }
        while hi > lo && all[hi - 1] == 0x20 { hi -= 1 }
        guard lo < hi else { return nil }
        var negative = false
        if all[lo] == 0x2D || all[lo] == 0x2B { negative = all[lo] == 0x2D; lo += 1 }
        // Integer part, with groups of three after the first group when a thousands separator is used.
        var mantissa: UInt64 = 0
        var digits = 0, scale = 0
        var groupLength = 0, grouped = false, firstGroup = 0
        var i = lo
        while i < hi, all[i] != markByte {
            let b = all[i]
            if b >= 0x30 && b <= 0x39 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(b - 0x30) } else { scale += 1 }
                digits += 1
                groupLength += 1
            } else if let g = groupByte, b == g {
                if grouped { guard groupLength == 3 else { return nil } } else { firstGroup = groupLength }
                guard (1...3).contains(firstGroup) else { return nil }
                grouped = true
                groupLength = 0
            } else {
                return nil
            }
            i += 1
        }
        if grouped && groupLength != 3 { return nil }
        if i < hi {
            i += 1
            guard i < hi else { return nil }
            while i < hi {
                let b = all[i]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                if digits < 19 { mantissa = mantissa * 10 + UInt64(b - 0x30); scale -= 1 }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        // m · 10^scale: exact when m < 2^53 and |scale| ≤ 22 (one correctly rounded operation, as strtod).
        var v: Double
        if mantissa < (1 << 53) && scale >= -22 && scale <= 22 {
            v = Double(mantissa)
            if scale < 0 { v /= pow10[-scale] } else if scale > 0 { v *= pow10[scale] }
        } else {
            let kept = String(decoding: all[lo..<hi].filter { $0 != groupByte }.map { $0 == markByte ? 0x2E : $0 }, as: UTF8.self)
            guard let d = Double(kept) else { return nil }
            v = d
        }
        return negative ? -v : v
    }

    private static let pow10: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { a, _ in a * 10 } }

    /// An amount in euro cents with no separator and a separate sign field: `00001460` with `-` is
    /// −14.60. The sign is `+` or `-` (a blank sign is not accepted: the statement layout always fills
    /// it).
    public static func cents(_ amount: String, sign: String) -> Double? {
        let a = amount.trimmingSpaces, s = sign.trimmingSpaces
        guard !a.isEmpty, a.allSatisfy(isDigit), let c = Int(a) else { return nil }
        switch s {
        case "+": return Double(c) / 100
        case "-": return -Double(c) / 100
        default: return nil
        }
    }

    /// A day in the given format's day form; nil when the text is not exactly that form or the day does
    /// not exist (see `DateFormat`).
    public static func date(_ text: String, format: DateFormat) -> CalendarDate? { format.day(text) }

    static func date(bytes c: UnsafeBufferPointer<UInt8>, format: DateFormat) -> CalendarDate? {
        format.day(bytes: trimmed(c))
    }

    /// A calendar month in the given format's month form (`DD/MM/YYYY` → `MM/YYYY`, `YYYY-MM-DD` →
    /// `YYYY-MM`, `YYYYMMDD` → `YYYYMM`); returns its first day.
    public static func month(_ text: String, format: DateFormat) -> CalendarDate? { format.month(text) }

    static func month(bytes c: UnsafeBufferPointer<UInt8>, format: DateFormat) -> CalendarDate? {
        format.month(bytes: trimmed(c))
    }

    /// Without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ c: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = c.count
        while lo < hi && (c[lo] == 0x20 || c[lo] == 0x09) { lo += 1 }
        while hi > lo && (c[hi - 1] == 0x20 || c[hi - 1] == 0x09) { hi -= 1 }
        return lo == 0 && hi == c.count ? c : UnsafeBufferPointer(rebasing: c[lo..<hi])
    }

    /// A quarter written `YYYYQn`, `YYYY-Qn` or `YYYY/Qn` (n = 1…4); returns its first day.
    public static func quarter(_ text: String) -> CalendarDate? {
        var t = text.trimmingSpaces.uppercased()
        guard t.count >= 6, let y = Int(t.prefix(4)) else { return nil }
        t.removeFirst(4)
        if t.first == "-" || t.first == "/" { t.removeFirst() }
        guard t.count == 2, t.first == "Q", let q = Int(t.dropFirst()), (1...4).contains(q) else { return nil }
        return CalendarDate(year: y, month: (q - 1) * 3 + 1, day: 1)
    }

    static func isDigit(_ c: Character) -> Bool { c >= "0" && c <= "9" && c.isASCII }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let u = self.utf8
        if let f = u.first, let l = u.last, f != 0x20, f != 0x09, l != 0x20, l != 0x09 { return self }
        if u.isEmpty { return "" }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
