import Foundation

/// One record of a file as read: its fields (decoded text, untrimmed) and the 1-based line it starts on.
public struct RawRecord: Sendable, Equatable {
    public var fields: [String]
    public var line: Int
    /// Fields whose bytes were not valid in the declared encoding (decoded with U+FFFD replacements);
    /// an importer rejects such a record rather than keep garbled text.
    public var badlyEncodedFields: [Int]
    /// Fixed-width files: the length of the line in characters without trailing spaces (to tell short or
    /// over-long lines; a blank-padded last field is not short).
    public var width: Int?

    public init(fields: [String], line: Int, badlyEncodedFields: [Int] = [], width: Int? = nil) {
        self.fields = fields
        self.line = line
        self.badlyEncodedFields = badlyEncodedFields
        self.width = width
    }
}

/// Problems that stop a whole file from being read (as opposed to one bad row, which an importer
/// reports as a rejection and reads on).
public enum RecordReadError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case unterminatedQuote(line: Int)
    case byteOrderMarkInWindows1252

    public var description: String {
        switch self {
        case let .unreadable(path):
            return "cannot read \(path); check the path (relative paths in a design are relative to the design's folder)"
        case let .unterminatedQuote(line):
            return "line \(line): a quoted field is opened but never closed before the end of the file; check the quotes (or set the dialect's quote)"
        case .byteOrderMarkInWindows1252:
            return "the file starts with a UTF-8 byte-order mark but the dialect says encoding: windows-1252; the file is UTF-8, so declare encoding: utf-8"
        }
    }
}

/// A source of records read one at a time in bounded memory (see `DelimitedRecordReader`,
/// `FixedWidthRecordReader`).
public protocol RecordSource: AnyObject {
    /// The next record, or nil at the end of the file. Blank lines are skipped.
    func next() throws -> RawRecord?
    /// Fills `row` with the next record; false at the end of the file. Blank lines are skipped.
    func nextRow(_ row: inout TextRow) throws -> Bool
    /// Whether the file started with a UTF-8 byte-order mark (skipped).
    var hadByteOrderMark: Bool { get }
}

/// Reads a delimited file record by record (RFC 4180 style): a one-byte separator (`;` `,` `|` tab), fields
/// optionally quoted (a doubled quote inside is one quote; quoted fields may hold separators and
/// newlines), lines ending in LF or CRLF, a UTF-8 byte-order mark skipped. The file is split on bytes
/// and each field is decoded in the declared encoding, so memory use does not grow with the file.
public final class DelimitedRecordReader: RecordSource {
    private let stream: ByteStream
    private let separator: UInt8
    private let quote: UInt8
    private let encoding: CharacterEncoding
    private var line = 1
    public private(set) var hadByteOrderMark = false
    private var started = false

    /// - Parameters:
    ///   - separator, quote: ASCII characters.
    ///   - observer: sees every chunk of bytes read (e.g. a hash of the file).
    ///   - chunkSize: bytes read at a time (1 MiB; small values are for tests of chunk boundaries).
    public init(path: String, separator: Character, quote: Character = "\"", encoding: CharacterEncoding = .utf8,
                observer: ((Data) -> Void)? = nil, chunkSize: Int = 1 << 20) throws {
        guard let s = separator.asciiValue, let q = quote.asciiValue else {
            preconditionFailure("separator and quote must be ASCII characters")
        }
        self.separator = s
        self.quote = q
        self.encoding = encoding
        stream = try ByteStream(path: path, chunkSize: chunkSize, observer: observer)
    }

    /// A reader of text already in memory (its bytes in the encoding given).
    public init(bytes: [UInt8], separator: Character, quote: Character = "\"", encoding: CharacterEncoding = .utf8) {
        guard let s = separator.asciiValue, let q = quote.asciiValue else {
            preconditionFailure("separator and quote must be ASCII characters")
        }
        self.separator = s
        self.quote = q
        self.encoding = encoding
        stream = ByteStream(bytes: bytes)
    }

    private func start() throws {
        started = true
        if stream.peek() == 0xEF {
            // Only a full EF BB BF is a byte-order mark; anything else is data.
            var probe: [UInt8] = []
            // Peek three bytes without losing them: read, and put back through `pending`.
            for _ in 0..<3 { if let b = stream.next() { probe.append(b) } }
            if probe == [0xEF, 0xBB, 0xBF] {
                hadByteOrderMark = true
                if encoding == .windows1252 { throw RecordReadError.byteOrderMarkInWindows1252 }
            } else {
                pending = probe
            }
        }
    }

    private var pending: [UInt8] = []

    @inline(__always)
    private func nextByte() -> UInt8? {
        if !pending.isEmpty { return pending.removeFirst() }
        return stream.next()
    }

    @inline(__always)
    private func peekByte() -> UInt8? {
        if let f = pending.first { return f }
        return stream.peek()
    }

    /// The row `next()` fills before decoding it.
    private var scratch = TextRow()

    public func next() throws -> RawRecord? {
        guard try nextRow(&scratch) else { return nil }
        return scratch.record
    }

    /// Fills `row` with the next record (its fields' bytes, undecoded); false at the end of the file.
    /// Blank lines are skipped.
    public func nextRow(_ row: inout TextRow) throws -> Bool {
        if !started { try start() }
        row.reset()
        row.encoding = encoding
        if pending.isEmpty {
            if !stream.hasBufferedBytes { _ = stream.peek() }
            if stream.takeRecord(into: &row, separator: separator, quote: quote) {
                row.line = line
                line += 1
                return true
            }
        }
        var inQuotes = false
        var wasQuoted = false
        var any = false
        var recordLine = line
        var high: UInt8 = 0

        while true {
            guard let b = nextByte() else {
                if inQuotes { throw RecordReadError.unterminatedQuote(line: recordLine) }
                if !any { return false }
                row.endField(nonASCII: high & 0x80 != 0)
                if row.count == 1 && row.ends[0] == 0 && !wasQuoted { return false }
                row.line = recordLine
                return true
            }
            any = true
            if inQuotes {
                if b == quote {
                    if peekByte() == quote { _ = nextByte(); row.append(quote) } else { inQuotes = false }
                } else {
                    if b == 0x0A { line += 1 }
                    high |= b
                    row.append(b)
                }
                continue
            }
            switch b {
            case quote where row.currentFieldIsEmpty:
                inQuotes = true
                wasQuoted = true
            case separator:
                row.endField(nonASCII: high & 0x80 != 0)
                high = 0
            case 0x0D, 0x0A:
                if b == 0x0D && peekByte() == 0x0A { _ = nextByte() }
                line += 1
                row.endField(nonASCII: high & 0x80 != 0)
                high = 0
                if row.count == 1 && row.ends[0] == 0 && !wasQuoted {
                    // A blank line: skip it and start the next record.
                    row.reset()
                    any = false
                    recordLine = line
                    continue
                }
                row.line = recordLine
                return true
            default:
                high |= b
                row.append(b)
                // The rest of an unquoted field straight from the chunk (a quote inside a non-empty
                // unquoted field is an ordinary byte; stopping at it only hands it to the loop above).
                if pending.isEmpty { high |= stream.appendRun(into: &row, stop: separator, other: quote) }
            }
        }
    }
}

/// Reads a fixed-width file line by line and cuts each line into fields at 1-based character positions
/// (`start`, `length`). A line shorter than a field's start gives an empty field; `RawRecord.width`
/// tells the importer the line's length so it can reject short or over-long lines.
public final class FixedWidthRecordReader: RecordSource {
    private let stream: ByteStream
    private let encoding: CharacterEncoding
    private let layout: [(start: Int, length: Int)]
    private var line = 0
    public private(set) var hadByteOrderMark = false
    private var started = false
    /// The bytes of the current line, kept between lines.
    private var lineBytes: [UInt8] = []

    public init(path: String, layout: [(start: Int, length: Int)], encoding: CharacterEncoding = .utf8,
                observer: ((Data) -> Void)? = nil, chunkSize: Int = 1 << 20) throws {
        self.layout = layout
        self.encoding = encoding
        stream = try ByteStream(path: path, chunkSize: chunkSize, observer: observer)
    }

    /// The next line that is not blank, without its line end (and the byte-order mark on the first line),
    /// in `lineBytes`; false at the end of the file.
    private func nextLine() throws -> Bool {
        while true {
            lineBytes.removeAll(keepingCapacity: true)
            var sawAny = false
            while stream.peek() != nil {
                sawAny = true
                stream.appendRun(into: &lineBytes, stop: 0x0A)
                if let b = stream.next() {
                    if b == 0x0A { break }
                    lineBytes.append(b)
                }
            }
            if !sawAny { return false }
            line += 1
            if lineBytes.last == 0x0D { lineBytes.removeLast() }
            if !started {
                started = true
                if lineBytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                    hadByteOrderMark = true
                    if encoding == .windows1252 { throw RecordReadError.byteOrderMarkInWindows1252 }
                    lineBytes.removeFirst(3)
                }
            }
            if lineBytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return true
        }
    }

    /// The next record as a row. A line of ASCII bytes is cut by byte position (characters and bytes
    /// coincide) straight into the row; any other line is decoded first and cut by character.
    public func nextRow(_ row: inout TextRow) throws -> Bool {
        guard try nextLine() else { return false }
        if lineBytes.allSatisfy({ $0 < 0x80 }) {
            row.reset()
            row.encoding = encoding
            lineBytes.withUnsafeBufferPointer { b in
                for f in layout {
                    let lo = min(f.start - 1, b.count), hi = min(f.start - 1 + f.length, b.count)
                    row.append(contentsOf: UnsafeBufferPointer(rebasing: b[lo..<hi]))
                    row.endField(nonASCII: false)
                }
            }
            var width = lineBytes.count
            while width > 0 && (lineBytes[width - 1] == 0x20 || lineBytes[width - 1] == 0x09) { width -= 1 }
            row.line = line
            row.width = width
            return true
        }
        row = TextRow(record: decodedRecord())
        return true
    }

    public func next() throws -> RawRecord? {
        guard try nextLine() else { return nil }
        return decodedRecord()
    }

    /// The current line decoded and cut by character positions.
    private func decodedRecord() -> RawRecord {
        var badLine = false
        let text: [Unicode.Scalar]
        if let s = encoding.decode(lineBytes) { text = Array(s.unicodeScalars) } else {
            badLine = true
            text = Array(String(decoding: lineBytes, as: UTF8.self).unicodeScalars)
        }
        var fields: [String] = []
        fields.reserveCapacity(layout.count)
        for f in layout {
            let lo = min(f.start - 1, text.count), hi = min(f.start - 1 + f.length, text.count)
            var v = String.UnicodeScalarView()
            v.append(contentsOf: text[lo..<hi])
            fields.append(String(v))
        }
        var width = text.count
        while width > 0 && (text[width - 1] == " " || text[width - 1] == "\t") { width -= 1 }
        return RawRecord(fields: fields, line: line, badlyEncodedFields: badLine ? Array(0..<layout.count) : [], width: width)
    }
}
