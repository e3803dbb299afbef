/// The text encodings registry extracts arrive in. Separators, quotes and line ends are ASCII in both,
/// so files are split into records on bytes and only each field is decoded.
public enum CharacterEncoding: String, Sendable, CaseIterable, Equatable {
    case utf8 = "utf-8"
    /// Windows code page 1252 (Western European): one byte per character; 0x80–0x9F hold € ‚ ƒ „ … † ‡
    /// ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ, the rest is ISO 8859-1. The five unassigned bytes (0x81,
    /// 0x8D, 0x8F, 0x90, 0x9D) decode to the C1 control with the same value, as the WHATWG encoding
    /// standard does.
    case windows1252 = "windows-1252"

    /// Decodes one field. Returns nil for bytes that are not valid UTF-8 (Windows-1252 always decodes).
    public func decode<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        switch self {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .windows1252:
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(Windows1252.scalar(b)) }
            return String(scalars)
        }
    }

    /// Encodes text; nil when a character has no byte in the encoding (Windows-1252 only).
    public func encode(_ text: String) -> [UInt8]? {
        switch self {
        case .utf8: return Array(text.utf8)
        case .windows1252:
            var out: [UInt8] = []
            out.reserveCapacity(text.unicodeScalars.count)
            for s in text.unicodeScalars {
                guard let b = Windows1252.byte(s) else { return nil }
                out.append(b)
            }
            return out
        }
    }
}

/// The Windows-1252 code page (https://encoding.spec.whatwg.org/index-windows-1252.txt).
public enum Windows1252 {
    /// Code points of bytes 0x80–0x9F; the other bytes map to the code point of the same value.
    static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    @inline(__always)
    public static func scalar(_ byte: UInt8) -> Unicode.Scalar {
        if byte >= 0x80 && byte <= 0x9F { return Unicode.Scalar(high[Int(byte) - 0x80])! }
        return Unicode.Scalar(byte)
    }

    public static func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v < 0x80 || (v >= 0xA0 && v <= 0xFF) { return UInt8(v) }
        if let i = high.firstIndex(of: v) { return UInt8(0x80 + i) }
        return nil
    }
}
