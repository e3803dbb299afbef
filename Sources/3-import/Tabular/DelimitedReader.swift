import Foundation

/// Reads a whole delimited file (or text) into a `Table`: a header and rows of text cells with their
/// lines. It is the streaming reader (`DelimitedRecordReader`, RFC 4180 style: a one-character separator,
/// fields optionally quoted, a doubled quote inside is one quote, quoted fields may hold separators and
/// newlines, lines end in LF, CRLF or CR, a UTF-8 byte-order mark is skipped, blank lines are skipped)
/// collecting every record, for files small enough to hold: data files of the analysis commands, a
/// cohort. Extracts of any size are streamed with `DelimitedRecordReader` itself.
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

    /// Reads a whole file in the reader's encoding.
    public func read(path: String) throws -> Table {
        let reader: DelimitedRecordReader
        do { reader = try DelimitedRecordReader(path: path, separator: separator, quote: quote, encoding: encoding) } catch {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return try table(reader)
    }

    /// Reads text into a table. With `header`, the first record names the columns and every other
    /// record must have as many fields; without, columns are named `V1`, `V2`, ….
    public func read(text: String) throws -> Table {
        let bytes = encoding.encode(text) ?? Array(text.utf8)
        return try table(DelimitedRecordReader(bytes: bytes, separator: separator, quote: quote, encoding: encoding))
    }

    private func table(_ reader: DelimitedRecordReader) throws -> Table {
        var records: [RawRecord] = []
        do {
            while let r = try reader.next() { records.append(r) }
        } catch let RecordReadError.unterminatedQuote(line) {
            throw TableError.unterminatedQuote(line: line)
        }
        guard let first = records.first else { throw TableError.empty }
        let names = header ? first.fields : (1...first.fields.count).map { "V\($0)" }
        let body = header ? Array(records.dropFirst()) : records
        for r in body where r.fields.count != names.count {
            throw TableError.wrongFieldCount(line: r.line, expected: names.count, found: r.fields.count)
        }
        return Table(header: names, rows: body.map(\.fields), lines: body.map(\.line))
    }
}
