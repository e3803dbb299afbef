import Foundation
import Tabular
import TrialDesign

/// A file that does not look like the dialect its source declares, found from the file's first bytes
/// before any row is read: an import stops rather than absorb the mismatch as garbled fields, rows set
/// aside as unknown codes or advice about columns when the separator was wrong.
public struct DialectMismatch: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// UTF-16 text (Excel's "Unicode text"): byte-order mark FF FE or FE FF, or NUL bytes between ASCII.
        case utf16
        /// UTF-8 is declared, but the bytes are not valid UTF-8.
        case notUTF8
        /// Windows-1252 is declared, but the non-ASCII bytes are UTF-8 sequences.
        case utf8Declared1252
        /// The declared separator is not in the header line, another one is.
        case separator
    }

    public var kind: Kind
    /// What the design declares, in its own words (`encoding: windows-1252`, `separator: "|"`).
    public var declared: String
    /// What the file looks like, with the evidence (the line and the text that shows it).
    public var found: String
    /// The design line to write instead (`encoding: utf-8`), or the step to take when no design line helps.
    public var remedy: String
}

public enum DialectCheck {
    /// How much of the file is looked at: enough for the header and the first few hundred rows.
    static let sampleBytes = 64 * 1024
    static let separators: [(byte: UInt8, yaml: String)] = [(UInt8(ascii: ";"), ";"), (UInt8(ascii: "|"), "|"),
                                                             (UInt8(ascii: "\t"), "tab"), (UInt8(ascii: ","), ",")]

    /// The first mismatch between the file at `path` and `dialect`, or nil when the sample fits (or the
    /// file cannot be read, which opening it reports).
    public static func mismatch(path: String, dialect: Dialect) -> DialectMismatch? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: sampleBytes)) ?? Data()
        return mismatch(sample: [UInt8](data), complete: data.count < sampleBytes, dialect: dialect)
    }

    /// The check on the file's first bytes; `complete` when they are the whole file.
    public static func mismatch(sample raw: [UInt8], complete: Bool, dialect: Dialect) -> DialectMismatch? {
        guard dialect.format == .delimited || dialect.format == .fixedWidth else { return nil }
        if let m = utf16(raw, dialect) { return m }
        var bytes = raw
        let utf8BOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if utf8BOM { bytes.removeFirst(3) }
        // A sample cut inside a line (and perhaps inside a character) is checked up to its last line end.
        if !complete, let lastNewline = bytes.lastIndex(of: 0x0A) { bytes.removeSubrange((lastNewline + 1)...) }
        if let m = encoding(bytes, dialect) { return m }
        if dialect.format == .delimited, dialect.header, let m = separator(bytes, dialect) { return m }
        return nil
    }

    private static func utf16(_ bytes: [UInt8], _ dialect: Dialect) -> DialectMismatch? {
        let bom = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        // Without a byte-order mark: ASCII text in UTF-16 has a NUL beside nearly every character.
        let head = bytes.prefix(512)
        let nuls = head.lazy.filter { $0 == 0 }.count
        guard bom || (head.count >= 8 && nuls * 3 >= head.count) else { return nil }
        return DialectMismatch(
            kind: .utf16, declared: "encoding: \(dialect.encoding.rawValue)",
            found: "UTF-16 text (Excel saves \"Unicode text\" so)" + (bom ? ", with a byte-order mark" : ", two bytes per character"),
            remedy: "save the file again as \"CSV UTF-8\", or convert it with `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.csv`, and keep encoding: utf-8")
    }

    private static func encoding(_ bytes: [UInt8], _ dialect: Dialect) -> DialectMismatch? {
        guard let firstHigh = bytes.firstIndex(where: { $0 >= 0x80 }) else { return nil }
        let valid = String(validating: bytes, as: UTF8.self) != nil
        switch dialect.encoding {
        case .utf8:
            // A UTF-8 file with a damaged row has valid sequences beside the bad bytes: its rows are read
            // and the damaged ones set aside. Only bad bytes and no UTF-8 at all is another encoding.
            guard !valid, !containsUTF8Sequence(bytes) else { return nil }
            let at = firstInvalidUTF8(bytes) ?? firstHigh
            let (line, text) = lineAround(bytes, at)
            return DialectMismatch(
                kind: .notUTF8, declared: "encoding: utf-8",
                found: String(format: "bytes that are not UTF-8: line %d has the byte 0x%02X", line, bytes[at])
                    + " (\"\(text)\" when read as Windows-1252)",
                remedy: "encoding: windows-1252")
        case .windows1252:
            guard valid else { return nil }
            let (line, text) = lineAround(bytes, firstHigh)
            let asRead = as1252(snippetBytes(bytes, firstHigh))
            return DialectMismatch(
                kind: .utf8Declared1252, declared: "encoding: windows-1252",
                found: "UTF-8 text: line \(line) has \"\(text)\", which Windows-1252 would read as \"\(asRead)\"",
                remedy: "encoding: utf-8")
        }
    }

    private static func separator(_ bytes: [UInt8], _ dialect: Dialect) -> DialectMismatch? {
        guard let declared = dialect.separator.utf8.first, dialect.separator.utf8.count == 1 else { return nil }
        let end = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) ?? bytes.endIndex
        let header = bytes[..<end]
        guard !header.isEmpty, !header.contains(declared) else { return nil }
        // The candidate found most often in the header; ties go to the order of `separators`.
        let counts = separators.filter { $0.byte != declared }.map { s in (s, header.lazy.filter { $0 == s.byte }.count) }
        guard let best = counts.max(by: { $0.1 < $1.1 }), best.1 > 0,
              counts.first(where: { $0.1 == best.1 })?.0.byte == best.0.byte else { return nil }
        let shown = dialect.separator == "\t" ? "tab" : dialect.separator
        let text = as1252(header.prefix(60))
        return DialectMismatch(
            kind: .separator, declared: "separator: \"\(shown)\"",
            found: "a header separated by \"\(best.0.yaml)\" (\(best.1 + 1) columns) with no \"\(shown)\": \"\(text)\(header.count > 60 ? "…" : "")\"",
            remedy: "separator: \"\(best.0.yaml)\"")
    }

    /// Bytes as Windows-1252 reads them (it reads every byte).
    private static func as1252<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        CharacterEncoding.windows1252.decode(bytes) ?? ""
    }

    /// Whether any non-ASCII character is written as a valid UTF-8 sequence.
    private static func containsUTF8Sequence(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            let length = sequenceLength(bytes[i])
            if length > 1, i + length <= bytes.count, String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil {
                return true
            }
            i += max(length, 1)
        }
        return false
    }

    /// The length of the UTF-8 sequence a lead byte starts (1 for ASCII), 0 for a byte no sequence starts with.
    private static func sequenceLength(_ b: UInt8) -> Int {
        b < 0x80 ? 1 : b >= 0xC2 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF5 ? 4 : 0
    }

    /// The offset of the first byte that breaks UTF-8, or nil.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let length = sequenceLength(bytes[i])
            guard length > 0, i + length <= bytes.count,
                  String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return i }
            i += length
        }
        return nil
    }

    /// The 1-based line of `offset`, and a few characters around it as Windows-1252 reads them (one byte a
    /// character, so a snippet never splits what it shows) or as UTF-8 when they are valid UTF-8.
    private static func lineAround(_ bytes: [UInt8], _ offset: Int) -> (Int, String) {
        let line = 1 + bytes[..<offset].lazy.filter { $0 == 0x0A }.count
        let snippet = snippetBytes(bytes, offset)
        return (line, String(validating: snippet, as: UTF8.self) ?? as1252(snippet))
    }

    /// The bytes of the word around `offset`, within its line (at most 12 bytes each side).
    private static func snippetBytes(_ bytes: [UInt8], _ offset: Int) -> ArraySlice<UInt8> {
        func stop(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D || b == 0x20 || separators.contains { $0.byte == b } }
        var start = offset
        while start > 0, offset - start < 12, !stop(bytes[start - 1]) { start -= 1 }
        var end = offset
        while end < bytes.count, end - offset < 12, !stop(bytes[end]) { end += 1 }
        // Keep a UTF-8 sequence whole at the end of the snippet.
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return bytes[start..<end]
    }
}
