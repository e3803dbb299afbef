import Foundation
import Tabular
import Testing
import TestSupport

/// The streaming readers: every separator, quotes with separators and newlines, CRLF, byte-order marks,
/// Windows-1252, chunk boundaries, fixed width.
@Suite struct RecordReaderTests {
    func file(_ bytes: [UInt8]) throws -> String {
        let url = try Fixtures.temporaryDirectory("reader").appendingPathComponent("f.txt")
        try Data(bytes).write(to: url)
        return url.path
    }

    func all(_ reader: RecordSource) throws -> [RawRecord] {
        var out: [RawRecord] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    @Test(arguments: [";", ",", "|", "\t"])
    func everySeparatorWithQuotedFields(separator: String) throws {
        let s = separator
        let text = "a\(s)b\(s)c\r\n1\(s)\"x\(s)y\"\(s)\"say \"\"hi\"\"\"\r\n\r\n2\(s)\"two\nlines\"\(s)\n3\(s)\(s)z"
        for chunk in [1, 2, 3, 7, 1 << 20] {
            let reader = try DelimitedRecordReader(path: try file(Array(text.utf8)), separator: Character(s), chunkSize: chunk)
            let records = try all(reader)
            #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "x\(s)y", "say \"hi\""], ["2", "two\nlines", ""], ["3", "", "z"]],
                    "chunk \(chunk)")
            #expect(records.map(\.line) == [1, 2, 4, 6], "blank line 3 skipped; the quoted newline makes record 3 span lines 4–5")
        }
    }

    @Test func utf8WithAndWithoutByteOrderMark() throws {
        let body = Array("naam;bedrag\nCrèche € 2;1,5\n".utf8)
        for bytes in [body, [0xEF, 0xBB, 0xBF] + body] {
            let reader = try DelimitedRecordReader(path: try file(bytes), separator: ";")
            let records = try all(reader)
            #expect(records[0].fields == ["naam", "bedrag"])
            #expect(records[1].fields == ["Crèche € 2", "1,5"])
            #expect(reader.hadByteOrderMark == (bytes.count > body.count))
        }
    }

    @Test func windows1252IsDecodedProperly() throws {
        // € (0x80), ë (0xEB), é (0xE9), § (0xA7), ’ (0x92), – (0x96)
        let bytes: [UInt8] = Array("x;y\n".utf8) + [0x80, 0x20, 0x31, 0x3B, 0x63, 0x6F, 0xEB, 0x66, 0x66, 0xE9, 0xA7, 0x92, 0x96, 0x0A]
        let records = try all(try DelimitedRecordReader(path: try file(bytes), separator: ";", encoding: .windows1252))
        #expect(records[1].fields == ["€ 1", "coëffé§’–"])
        #expect(records[1].badlyEncodedFields.isEmpty)
        // The same bytes declared UTF-8 are flagged, not silently garbled.
        let asUTF8 = try all(try DelimitedRecordReader(path: try file(bytes), separator: ";"))
        #expect(asUTF8[1].badlyEncodedFields == [0, 1])
    }

    @Test func windows1252RoundTrip() {
        let text = "Crèche € – coëfficiënt § “quote” Ÿ"
        let bytes = CharacterEncoding.windows1252.encode(text)!
        #expect(bytes.count == text.unicodeScalars.count)
        #expect(CharacterEncoding.windows1252.decode(bytes) == text)
        #expect(CharacterEncoding.windows1252.encode("日本") == nil)
        for b in UInt8(0)...UInt8(255) {
            let s = CharacterEncoding.windows1252.decode([b])!
            #expect(CharacterEncoding.windows1252.encode(s) == [b], "byte \(b)")
        }
    }

    @Test func aByteOrderMarkInAWindows1252FileIsAnError() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a;b\n".utf8)
        #expect(throws: RecordReadError.byteOrderMarkInWindows1252) {
            _ = try all(try DelimitedRecordReader(path: try file(bytes), separator: ";", encoding: .windows1252))
        }
    }

    @Test func anUnterminatedQuoteNamesItsLine() throws {
        let bytes = Array("a;b\n1;2\n3;\"open\n4;5\n".utf8)
        #expect(throws: RecordReadError.unterminatedQuote(line: 3)) {
            _ = try all(try DelimitedRecordReader(path: try file(bytes), separator: ";"))
        }
    }

    @Test func aMissingFileIsAClearError() {
        #expect(throws: RecordReadError.unreadable(path: "/nonexistent/x.csv")) {
            _ = try DelimitedRecordReader(path: "/nonexistent/x.csv", separator: ";")
        }
    }

    @Test func fixedWidthCutsByCharacterPositions() throws {
        // UTF-8 "é" is two bytes but one character: positions count characters.
        let text = "1é2345ABC  \r\n\n12345XYZ\n123\n"
        for chunk in [1, 4, 1 << 20] {
            let reader = try FixedWidthRecordReader(path: try file(Array(text.utf8)), layout: [(1, 1), (2, 5), (7, 3)], chunkSize: chunk)
            let records = try all(reader)
            #expect(records.map(\.fields) == [["1", "é2345", "ABC"], ["1", "2345X", "YZ"], ["1", "23", ""]])
            #expect(records.map(\.line) == [1, 3, 4])
            #expect(records.map(\.width) == [9, 8, 3], "trailing spaces do not count")
        }
    }

    @Test func boundedMemoryOnALargeFile() throws {
        // 200,000 rows read with a 4 KiB chunk: the reader never holds more than a chunk and a record.
        var text = "a;b\n"
        for i in 0..<200_000 { text += "\(i);x\n" }
        let reader = try DelimitedRecordReader(path: try file(Array(text.utf8)), separator: ";", chunkSize: 4096)
        var n = 0, last = ""
        while let r = try reader.next() { n += 1; last = r.fields[0] }
        #expect(n == 200_001 && last == "199999")
    }
}

@Suite struct WholeFileReaderEncodingTests {
    @Test func delimitedReaderReadsWindows1252WhenTold() throws {
        let url = try Fixtures.temporaryDirectory("reader").appendingPathComponent("w.csv")
        try Data(CharacterEncoding.windows1252.encode("naam;bedrag\ncrèche €;5\n")!).write(to: url)
        let table = try DelimitedReader(separator: ";", encoding: .windows1252).read(path: url.path)
        #expect(table.rows == [["crèche €", "5"]])
        #expect(try DelimitedReader(separator: ";").read(path: url.path).rows[0][0] != "crèche €")
    }
}
