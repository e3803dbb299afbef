import Ingest
import Tabular
import Testing
import TrialDesign

@Suite struct SnifferTests {
    @Test func delimitedDialects() throws {
        let tab = try DialectSniffer.sniff(path: try writeFile("a.tsv", "id\tdatum\tbedrag\nA\t2018-03-01\t12.50\nB\t2018-04-01\t7.25\n"))
        #expect(tab.separator == "\t" && tab.decimal == "." && tab.dateFormat == .iso && tab.header && tab.encoding == .utf8)
        #expect(tab.yaml.hasPrefix("dialect: { format: delimited, separator: \"tab\", decimal: \".\", encoding: utf-8, header: true, date_format: YYYY-MM-DD }"))
        let semi = try DialectSniffer.sniff(path: try writeFile("b.csv", "id;datum;bedrag\nA;01/03/2018;1.214,13\nB;02/03/2018;\"7,25\"\n"))
        #expect(semi.separator == ";" && semi.decimal == "," && semi.thousands == "." && semi.dateFormat == .dmy)
        let pipe = try DialectSniffer.sniff(path: try writeFile("c.csv", "\(Numbers.a)|201803|00\n\(Numbers.b)|201804|02\n"))
        #expect(pipe.separator == "|" && pipe.dateFormat == .compactYearMonth && !pipe.header)
    }

    @Test func encodingAndByteOrderMark() throws {
        let w = try DialectSniffer.sniff(path: try writeFile("w.csv", CharacterEncoding.windows1252.encode("a;b\ncrèche;€ 5\n")!))
        #expect(w.encoding == .windows1252 && !w.byteOrderMark && !w.asciiOnly)
        let bom = try DialectSniffer.sniff(path: try writeFile("u.csv", [0xEF, 0xBB, 0xBF] + Array("a;b\nx;1\n".utf8)))
        #expect(bom.encoding == .utf8 && bom.byteOrderMark)
        #expect(bom.yaml.contains("byte-order mark"))
        let ascii = try DialectSniffer.sniff(path: try writeFile("a.csv", "a;b\nx;1\n"))
        #expect(ascii.asciiOnly && ascii.yaml.contains("only ASCII"))
    }

    @Test func fixedWidthWhenNoSeparatorIsConsistent() throws {
        let f = try DialectSniffer.sniff(path: try writeFile("f.txt", SourceTests.statementLine() + "\n" + SourceTests.statementLine(type: "3") + "\n"))
        #expect(f.format == .fixedWidth && f.lineLength == 60)
        #expect(DialectSniffer.sketch("1A b-") == "9A·A-")
        #expect(DialectSniffer.printable(Numbers.a) == "<masked>")
        #expect(DialectSniffer.printable("93.05.18-223.61") == "<masked>")
        #expect(DialectSniffer.printable("2018-03-01") == "2018-03-01")
    }
}
