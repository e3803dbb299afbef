/// One record of a file as bytes: the fields' bytes one after the other (quotes removed, a doubled quote
/// made single) and where each field ends. A reader fills the same `TextRow` record after record, so
/// reading a file makes no allocation per record and no `String` per field: an importer decodes only the
/// fields it uses (`string(_:)`), and parses numbers and dates straight from the bytes (`withField`).
///
/// The bytes are in the file's encoding (`encoding`); `nonASCIIFields` lists the fields with a byte
/// above 0x7F, the only ones whose decoding can fail (`badlyEncodedFields()`).
public struct TextRow {
    /// The fields' bytes, concatenated.
    public private(set) var bytes: [UInt8] = []
    /// `ends[i]` is the offset in `bytes` just after field i.
    public private(set) var ends: [Int] = []
    /// The 1-based line the record starts on.
    public internal(set) var line = 0
    /// The fields holding a byte above 0x7F, ascending.
    public private(set) var nonASCIIFields: [Int] = []
    /// The encoding of `bytes`.
    public internal(set) var encoding: CharacterEncoding = .utf8
    /// Fixed-width files: the length of the line in characters without trailing spaces.
    public internal(set) var width: Int?

    public init() {
        bytes.reserveCapacity(256)
        ends.reserveCapacity(32)
    }

    /// A row holding the given decoded fields (as UTF-8).
    public init(fields: [String], line: Int, width: Int? = nil) {
        self.init()
        for f in fields {
            var nonASCII = false
            for b in f.utf8 { bytes.append(b); if b & 0x80 != 0 { nonASCII = true } }
            endField(nonASCII: nonASCII)
        }
        self.line = line
        self.width = width
    }

    /// A row holding a decoded record (as UTF-8), keeping its badly encoded fields.
    public init(record: RawRecord) {
        self.init(fields: record.fields, line: record.line, width: record.width)
        knownBadFields = record.badlyEncodedFields
    }

    /// Fields a reader already found badly encoded (decoded with U+FFFD before they reached the row).
    private var knownBadFields: [Int] = []

    /// The number of fields.
    @inline(__always) public var count: Int { ends.count }

    /// The byte range of field i in `bytes`.
    @inline(__always) public func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    /// The byte range of field i without leading and trailing spaces and tabs.
    @inline(__always) public func trimmedRange(_ i: Int) -> Range<Int> {
        var r = range(i)
        while r.lowerBound < r.upperBound, bytes[r.lowerBound] == 0x20 || bytes[r.lowerBound] == 0x09 {
            r = (r.lowerBound + 1)..<r.upperBound
        }
        while r.lowerBound < r.upperBound, bytes[r.upperBound - 1] == 0x20 || bytes[r.upperBound - 1] == 0x09 {
            r = r.lowerBound..<(r.upperBound - 1)
        }
        return r
    }

    /// Whether field i is empty once trimmed of spaces and tabs.
    @inline(__always) public func isBlank(_ i: Int) -> Bool { trimmedRange(i).isEmpty }

    /// Calls `body` with the bytes of field i (trimmed of spaces and tabs when `trimmed`).
    @inline(__always)
    public func withField<R>(_ i: Int, trimmed: Bool = true, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = trimmed ? trimmedRange(i) : range(i)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// Whether field i has a byte above 0x7F.
    public func isASCII(_ i: Int) -> Bool { !nonASCIIFields.contains(i) }

    /// Field i decoded (trimmed of spaces and tabs when `trimmed`); bytes that are not valid in the
    /// encoding become U+FFFD (see `badlyEncodedFields()`).
    public func string(_ i: Int, trimmed: Bool = true) -> String {
        let r = trimmed ? trimmedRange(i) : range(i)
        return bytes.withUnsafeBufferPointer { b in
            let slice = UnsafeBufferPointer(rebasing: b[r])
            if nonASCIIFields.isEmpty || isASCII(i) { return String(decoding: slice, as: UTF8.self) }
            return encoding.decode(slice) ?? String(decoding: slice, as: UTF8.self)
        }
    }

    /// All fields decoded, untrimmed.
    public var strings: [String] { (0..<count).map { string($0, trimmed: false) } }

    /// The fields whose bytes are not valid in the encoding.
    public func badlyEncodedFields() -> [Int] {
        if !knownBadFields.isEmpty { return knownBadFields }
        return nonASCIIFields.filter { i in
            bytes.withUnsafeBufferPointer { encoding.decode(UnsafeBufferPointer(rebasing: $0[range(i)])) == nil }
        }
    }

    /// The record as decoded strings (the `RawRecord` of `RecordSource.next()`).
    public var record: RawRecord {
        RawRecord(fields: strings, line: line, badlyEncodedFields: badlyEncodedFields(), width: width)
    }

    /// Makes this row a copy of `other`, reusing this row's buffers (no allocation once they are large
    /// enough, and no reference to `other`'s buffers: a row read on one thread is taken over by another
    /// without the two sharing reference counts).
    public mutating func copyContents(of other: UnsafePointer<TextRow>) {
        bytes.removeAll(keepingCapacity: true)
        other.pointee.bytes.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
        ends.removeAll(keepingCapacity: true)
        other.pointee.ends.withUnsafeBufferPointer { ends.append(contentsOf: $0) }
        if !nonASCIIFields.isEmpty { nonASCIIFields.removeAll(keepingCapacity: true) }
        if !other.pointee.nonASCIIFields.isEmpty {
            other.pointee.nonASCIIFields.withUnsafeBufferPointer { nonASCIIFields.append(contentsOf: $0) }
        }
        if !knownBadFields.isEmpty { knownBadFields.removeAll() }
        if !other.pointee.knownBadFields.isEmpty {
            other.pointee.knownBadFields.withUnsafeBufferPointer { knownBadFields.append(contentsOf: $0) }
        }
        line = other.pointee.line
        encoding = other.pointee.encoding
        width = other.pointee.width
    }

    // MARK: - Filling (by the readers)

    @inline(__always) mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        if !nonASCIIFields.isEmpty { nonASCIIFields.removeAll(keepingCapacity: true) }
        if !knownBadFields.isEmpty { knownBadFields.removeAll() }
        width = nil
    }

    @inline(__always) mutating func append(_ b: UInt8) { bytes.append(b) }

    @inline(__always) mutating func append(contentsOf run: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: run) }

    @inline(__always) mutating func endField(nonASCII: Bool) {
        if nonASCII { nonASCIIFields.append(ends.count) }
        ends.append(bytes.count)
    }

    /// Whether the current (unfinished) field is still empty.
    @inline(__always) var currentFieldIsEmpty: Bool { bytes.count == (ends.last ?? 0) }
}
