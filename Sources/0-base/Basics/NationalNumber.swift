/// A Belgian national number (INSZ / rijksregisternummer), checked but never stored or printed.
///
/// Eleven digits: `YYMMDD` birth date, a three-digit sequence number (odd for men, even for women), and
/// two check digits. The check digits are `97 − (first nine digits mod 97)`; for people born in 2000 or
/// later a `2` is put in front of the nine digits first. A remainder of 0 gives 97, so the check digits
/// are never 00. Bis numbers (people outside the National Register) add 40 to the month when the sex
/// was known at issue and 20 when it was not; the check rule is the same. Month or day may be 00 when
/// the birth date is unknown. The sequence number is not range-checked: the domain's own valid examples
/// include sequence 999 (`88022999990`), so only the check digits decide.
public struct NationalNumber: Sendable, Hashable {
    /// Which century the check digits point to.
    public enum Century: Sendable, Hashable { case nineteenHundreds, twoThousands }

    public enum Kind: Sendable, Hashable {
        case register
        /// Bis number: month + 40 (sex known at issue) or + 20 (sex unknown).
        case bis(sexKnown: Bool)
    }

    /// The eleven digits. Internal on purpose: a real number must never travel further than the
    /// pseudonymiser.
    let digits: String
    public let century: Century
    public let kind: Kind

    /// Why a string is not a national number.
    public enum ValidationError: Error, Equatable, CustomStringConvertible {
        case wrongLength(Int)
        case notDigits
        case checkDigitsMismatch
        case invalidMonth(Int)
        case invalidDay(Int)

        public var description: String {
            switch self {
            case let .wrongLength(n): return "a national number has 11 digits, this one has \(n)"
            case .notDigits: return "a national number has only digits (dots, dashes and spaces are allowed as separators)"
            case .checkDigitsMismatch: return "the check digits do not match (mod 97) for a birth before or after 2000"
            case let .invalidMonth(m): return "month \(m) is not a month (01–12, 00 unknown, +20 or +40 for bis numbers)"
            case let .invalidDay(d): return "day \(d) is not a day (01–31, 00 unknown)"
            }
        }
    }

    /// Parses and validates. Accepts the printed form `YY.MM.DD-XXX.CC` and spaces as separators.
    public init(_ text: String) throws {
        let cleaned = text.filter { !($0 == "." || $0 == "-" || $0 == " ") }
        guard cleaned.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw ValidationError.notDigits }
        guard cleaned.count == 11 else { throw ValidationError.wrongLength(cleaned.count) }
        let d = cleaned.compactMap { Int(String($0)) }
        let month = d[2] * 10 + d[3]
        let day = d[4] * 10 + d[5]
        let check = d[9] * 10 + d[10]
        let kind: Kind
        let baseMonth: Int
        switch month {
        case 0...12: kind = .register; baseMonth = month
        case 20...32: kind = .bis(sexKnown: false); baseMonth = month - 20
        case 40...52: kind = .bis(sexKnown: true); baseMonth = month - 40
        default: throw ValidationError.invalidMonth(month)
        }
        _ = baseMonth
        guard (0...31).contains(day) else { throw ValidationError.invalidDay(day) }
        let nine = d[0..<9].reduce(0) { $0 * 10 + $1 }
        func expected(_ base: Int) -> Int { let r = base % 97; return 97 - r }
        if expected(nine) == check {
            century = .nineteenHundreds
        } else if expected(2_000_000_000 + nine) == check {
            century = .twoThousands
        } else {
            throw ValidationError.checkDigitsMismatch
        }
        self.kind = kind
        self.digits = cleaned
    }

    /// True when `text` is a valid national number.
    public static func isValid(_ text: String) -> Bool { (try? NationalNumber(text)) != nil }
}

extension NationalNumber: CustomStringConvertible {
    /// Never the number itself: a national number must not appear in any output or log.
    public var description: String { "NationalNumber(redacted)" }
}

extension NationalNumber {
    /// What a national number found in a text is replaced with.
    public static let maskText = "[national number]"

    /// `text` with every national number in it replaced by `maskText`: eleven digits, bare or in the printed
    /// form with `.`, `-` or spaces between the groups (`85.07.30-033.28`), not part of a longer run of
    /// digits, that pass the check digits for either century, not inside a hash (a run of 32 or more
    /// hexadecimal characters) and not the fraction of a decimal number. The one masking function for every message that may quote a cell of a file.
    ///
    /// Cost: one pass over the bytes (`mayHold`) for a text that holds no candidate, which is returned as it
    /// is (a panel file of pseudonyms, amounts and dates); otherwise a second pass over the UTF-8 bytes
    /// (every character `mask` looks at is ASCII, so no text is decoded into characters), which copies the
    /// text with the numbers replaced.
    public static func mask(_ text: String) -> String {
        guard text.utf8.count >= 11, mayHold(text) else { return text }
        var copy = text
        let masked = copy.withUTF8 { bytes -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var copied = 0, i = 0, changed = false
            while i < bytes.count {
                if isDigit(bytes[i]), i == 0 || !isDigit(bytes[i - 1]), !fraction(bytes, i), let end = candidateEnd(bytes, from: i),
                   isValid(String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)), !insideHash(bytes, i) {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                    out.append(contentsOf: maskText.utf8)
                    changed = true
                    i = end
                    copied = end
                    continue
                }
                i += 1
            }
            guard changed else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: out, as: UTF8.self)
        }
        return masked ?? text
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// Whether `text` may hold what `mask` masks, from its bytes alone: eleven digits in a run of digits and
    /// separators that holds a separator, or eleven consecutive digits not inside a run of 32 or more
    /// hexadecimal characters (a pseudonym `P` + 32 hex digits, a SHA-256). Never false when `mask` would
    /// change the text; true also for some texts it leaves alone (eleven digits with wrong check digits).
    public static func mayHold(_ text: String) -> Bool {
        var run = 0, separated = false   // digits in the current run of digits and separators; whether it has one
        var streak = 0                   // consecutive digits
        var hex = 0, pending = false     // the current hexadecimal run's length; an 11-digit streak in it
        for b in text.utf8 {
            let digit = b >= 48 && b <= 57
            if digit || (b >= 97 && b <= 102) || (b >= 65 && b <= 70) {
                hex += 1
            } else {
                if pending && hex < 32 { return true }
                pending = false
                hex = 0
            }
            if digit {
                run += 1
                streak += 1
                if streak >= 11 { pending = true }
                if run >= 11 && separated { return true }
            } else if b == 46 || b == 45 || b == 32 {   // . - space
                streak = 0
                separated = true
            } else {
                run = 0
                streak = 0
                separated = false
            }
        }
        return pending && hex < 32
    }

    /// Whether the digits from `i` are the fraction of a decimal number (`0.36025487621`, as an estimate is
    /// written in a CSV or JSON output): a `.` right after a digit before them. Masking those would corrupt
    /// a value; a national number is never written after a decimal point.
    static func fraction(_ c: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i >= 2 && c[i - 1] == UInt8(ascii: ".") && isDigit(c[i - 2])
    }

    /// Whether position `i` lies in a run of 32 or more hexadecimal characters (a SHA-256, a chain head):
    /// eleven digits there are part of a hash, not a national number, and masking them would corrupt it.
    static func insideHash(_ c: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        func hex(_ b: UInt8) -> Bool { isDigit(b) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70) }
        var start = i, end = i
        while start > 0, hex(c[start - 1]) { start -= 1 }
        while end < c.count, hex(c[end]) { end += 1 }
        return end - start >= 32
    }

    /// Whether `text` holds a national number anywhere (as `mask` finds them).
    public static func occurs(in text: String) -> Bool { mask(text) != text }

    /// The end of eleven digits from `start`, separated only by single `.`, `-` or spaces at the group
    /// boundaries (2-2-2-3-2) or not at all, and not followed by another digit; nil otherwise.
    static func candidateEnd(_ c: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let groups = [2, 2, 2, 3, 2]
        var i = start
        for (g, n) in groups.enumerated() {
            if g > 0, i < c.count, c[i] == UInt8(ascii: ".") || c[i] == UInt8(ascii: "-") || c[i] == UInt8(ascii: " ") { i += 1 }
            for _ in 0..<n {
                guard i < c.count, isDigit(c[i]) else { return nil }
                i += 1
            }
        }
        if i < c.count, isDigit(c[i]) { return nil }
        return i
    }
}
