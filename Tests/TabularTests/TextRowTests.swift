import Foundation
import Tabular
import Testing
import TestSupport

/// `TextRow` and `DelimitedRecordReader.nextRow`: the byte-level rows the importer reads, checked against a
/// plain reference splitter on generated files (quotes, doubled quotes, separators and newlines inside
/// quotes, CR, CRLF, blank lines, non-ASCII bytes) at chunk sizes that cut records anywhere.
@Suite struct TextRowTests {
    func file(_ bytes: [UInt8]) throws -> String {
        let url = try Fixtures.temporaryDirectory("textrow").appendingPathComponent("f.txt")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The reading rules of `DelimitedRecordReader`, written as simply as possible: fields and the line
    /// each record starts on, blank lines skipped.
    func reference(_ bytes: [UInt8], separator: UInt8) -> [(fields: [[UInt8]], line: Int)] {
        var out: [(fields: [[UInt8]], line: Int)] = []
        var fields: [[UInt8]] = [], field: [UInt8] = []
        var i = 0, line = 1, start = 1
        var inQuotes = false, quoted = false, any = false
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !quoted) { out.append((fields, start)) }
            fields = []; field = []; quoted = false; any = false; start = line
        }
        while i < bytes.count {
            let b = bytes[i]
            any = true
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 1 } else { inQuotes = false }
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
            } else if b == 0x22 && field.isEmpty {
                inQuotes = true; quoted = true
            } else if b == separator {
                fields.append(field); field = []
            } else if b == 0x0A || b == 0x0D {
                if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                line += 1
                endRecord()
            } else {
                field.append(b)
            }
            i += 1
        }
        if any { endRecord() }
        return out
    }

    @Test(arguments: [1, 2, 3, 5, 8, 13, 64, 1 << 20])
    func nextRowAgreesWithTheReferenceSplitter(chunk: Int) throws {
        // A fixed linear congruential sequence: the same files on every run.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let pieces: [[UInt8]] = [Array("ab".utf8), Array("12,5".utf8), [0x22], [0x22, 0x22], [0x3B], [0x0A], [0x0D, 0x0A],
                                 [0x0D], Array(" x ".utf8), Array("é".utf8), [0xE9], Array("93051822361".utf8)]
        for _ in 0..<40 {
            var bytes: [UInt8] = []
            for _ in 0..<next(60) { bytes += pieces[next(pieces.count)] }
            let expected = reference(bytes, separator: 0x3B)
            // An unterminated quote makes the reader throw; the reference has no error, so skip those files.
            var quotes = 0
            for b in bytes where b == 0x22 { quotes += 1 }
            let reader = try DelimitedRecordReader(path: try file(bytes), separator: ";", chunkSize: chunk)
            var rows: [(fields: [[UInt8]], line: Int)] = []
            var row = TextRow()
            do {
                while try reader.nextRow(&row) {
                    rows.append(((0..<row.count).map { i in row.withField(i, trimmed: false) { Array($0) } }, row.line))
                }
            } catch RecordReadError.unterminatedQuote {
                continue
            }
            #expect(rows.map(\.fields) == expected.map(\.fields), "chunk \(chunk): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            #expect(rows.map(\.line) == expected.map(\.line), "chunk \(chunk)")
        }
    }

    @Test func fieldsTrimmedDecodedAndCopied() throws {
        let bytes: [UInt8] = Array(" a ;\t12,5\t;".utf8) + [0xE9] + Array(";;x\n".utf8)
        for encoding in [CharacterEncoding.utf8, .windows1252] {
            let reader = try DelimitedRecordReader(path: try file(bytes), separator: ";", encoding: encoding)
            var row = TextRow()
            #expect(try reader.nextRow(&row))
            #expect(row.count == 5)
            #expect(row.string(0) == "a" && row.string(0, trimmed: false) == " a ")
            #expect(row.string(1) == "12,5")
            #expect(row.isBlank(3) && !row.isBlank(4))
            #expect(row.nonASCIIFields == [2])
            if encoding == .utf8 {
                #expect(row.badlyEncodedFields() == [2], "0xE9 alone is not UTF-8")
            } else {
                #expect(row.badlyEncodedFields().isEmpty)
                #expect(row.string(2) == "é")
            }
            var copy = TextRow()
            withUnsafePointer(to: row) { copy.copyContents(of: $0) }
            #expect(copy.strings == row.strings && copy.line == row.line && copy.nonASCIIFields == row.nonASCIIFields)
            #expect(copy.record == row.record)
            #expect(try !reader.nextRow(&row), "end of file")
        }
    }

    /// Fixed width: the byte-cut rows of ASCII lines equal the character-cut records of `next()`, and lines
    /// with other bytes are decoded first, at every chunk size.
    @Test(arguments: [1, 3, 7, 1 << 20])
    func fixedWidthRowsEqualDecodedRecords(chunk: Int) throws {
        let text = "\u{FEFF}AB12  x \r\n\n   \nCD3\r\néé45 yz\nEF6789012345\nG"
        for encoding in [CharacterEncoding.utf8, .windows1252] {
            guard let bytes = encoding == .utf8 ? Array(text.utf8)
                    : CharacterEncoding.windows1252.encode(String(text.dropFirst())) else { continue }
            let layout = [(start: 1, length: 2), (start: 3, length: 2), (start: 5, length: 4)]
            let path = try file(bytes)
            let a = try FixedWidthRecordReader(path: path, layout: layout, encoding: encoding, chunkSize: chunk)
            let b = try FixedWidthRecordReader(path: path, layout: layout, encoding: encoding, chunkSize: chunk)
            var records: [RawRecord] = []
            while let r = try a.next() { records.append(r) }
            var rows: [RawRecord] = []
            var row = TextRow()
            while try b.nextRow(&row) { rows.append(row.record) }
            #expect(rows == records, "\(encoding) chunk \(chunk)")
            #expect(records.map(\.line) == [1, 4, 5, 6, 7], "blank lines 2 and 3 skipped")
            #expect(records.first?.fields == ["AB", "12", "  x "] && records.first?.width == 7)
        }
    }
}

