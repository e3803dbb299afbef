import Foundation

/// Reads delimited text (RFC 4180 style): a one-character separator, fields optionally quoted with `"`
/// (a doubled quote inside is one quote), quoted fields may hold separators and newlines, lines end in
/// LF or CRLF, a UTF-8 byte-order mark is skipped. Blank lines are skipped.
public struct DelimitedReader: Sendable {
    public var separator: Character
    public var quote: Character
    public var header: Bool
    /// The file's encoding (UTF-8 by default; Windows-1252 is decoded with its full table).
    public var encoding: CharacterEncoding

    public init(separator: Character = ",", quote: Character = "\"", header: Bool = true, encoding: CharacterEncoding = .utf8) {
        self.separator = separator
        self.quote = quote
        self.header = header
        self.encoding = encoding
    }

    /// Reads a whole file in the reader's encoding (UTF-8 unless told otherwise). For large files use
    /// `DelimitedRecordReader`, which streams.
    public func read(path: String) throws -> Table {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        switch encoding {
        case .utf8: return try read(text: String(decoding: data, as: UTF8.self))
        case .windows1252: return try read(text: encoding.decode([UInt8](data)) ?? "")
        }
    }

    /// Splits text into records: each record is its fields and the line it starts on.
    public func records(_ text: String) throws -> [(fields: [String], line: Int)] {
        var out: [(fields: [String], line: Int)] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var wasQuoted = false
        var line = 1
        var recordLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }
        let sep = separator.unicodeScalars.first!
        let q = quote.unicodeScalars.first!
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { out.append((fields, recordLine)) }
            fields = []
            field = ""
            wasQuoted = false
        }
        while let c = pending {
            pending = iterator.next()
            if inQuotes {
                if c == q {
                    if pending == q { field.unicodeScalars.append(q); pending = iterator.next() }
                    else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case q where field.isEmpty:
                inQuotes = true
                wasQuoted = true
            case sep:
                fields.append(field)
                field = ""
            case "\r":
                if pending == "\n" { pending = iterator.next() }
                endRecord(); line += 1; recordLine = line
            case "\n":
                endRecord(); line += 1; recordLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw TableError.unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return out
    }

    /// Reads text into a table. With `header`, the first record names the columns and every other
    /// record must have as many fields; without, columns are named `V1`, `V2`, ….
    public func read(text: String) throws -> Table {
        let all = try records(text)
        guard let first = all.first else { throw TableError.empty }
        let header = self.header ? first.fields : (1...first.fields.count).map { "V\($0)" }
        let body = self.header ? Array(all.dropFirst()) : all
        for r in body where r.fields.count != header.count {
            throw TableError.wrongFieldCount(line: r.line, expected: header.count, found: r.fields.count)
        }
        return Table(header: header, rows: body.map(\.fields), lines: body.map(\.line))
    }
}
