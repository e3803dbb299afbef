import Tabular
import Testing

@Suite struct DelimitedReaderBasicsTests {
    @Test func quotedFieldsWithSeparatorsNewlinesAndDoubledQuotes() throws {
        let text = "\u{FEFF}id,name,note\r\n1,\"Peeters, An\",\"said \"\"ja\"\"\"\r\n2,Janssens,\"two\nlines\"\r\n"
        let t = try DelimitedReader().read(text: text)
        #expect(t.header == ["id", "name", "note"])
        #expect(t.rows == [["1", "Peeters, An", "said \"ja\""], ["2", "Janssens", "two\nlines"]])
        #expect(t.lines == [2, 3])
    }

    @Test func lineNumbersCountEmbeddedNewlinesAndBlankLines() throws {
        let t = try DelimitedReader(separator: ";").read(text: "a;b\n\"x\ny\";1\n\n3;4\n")
        #expect(t.rows == [["x\ny", "1"], ["3", "4"]])
        #expect(t.lines == [2, 5])
    }

    @Test func numericColumnTreatsEmptyAsMissingAndNamesTheBadCell() throws {
        let t = try DelimitedReader().read(text: "y,z\n1.5,1\n,0\nNA,1\n")
        #expect(try t.numericColumn("y") == [1.5, nil, nil])
        let bad = try DelimitedReader().read(text: "y\n1\nabc\n")
        #expect(throws: TableError.notNumeric(column: "y", line: 3, value: "abc")) { try bad.numericColumn("y") }
        #expect(throws: TableError.unknownColumn("w", available: ["y", "z"])) { try t.column("w") }
    }

    @Test func structuralErrorsNameTheLine() {
        #expect(throws: TableError.wrongFieldCount(line: 3, expected: 2, found: 3)) {
            try DelimitedReader().read(text: "a,b\n1,2\n1,2,3\n")
        }
        #expect(throws: TableError.unterminatedQuote(line: 2)) { try DelimitedReader().read(text: "a,b\n\"1,2\n") }
        #expect(throws: TableError.empty) { try DelimitedReader().read(text: "") }
    }

    @Test func withoutHeaderColumnsAreNumbered() throws {
        let t = try DelimitedReader(separator: "|", header: false).read(text: "1|2\n3|4")
        #expect(t.header == ["V1", "V2"])
        #expect(t.rows.count == 2)
    }
}
