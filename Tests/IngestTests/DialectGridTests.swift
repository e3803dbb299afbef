import Ingest
import Tabular
import Testing
import TestSupport

/// Every delimited dialect (separator × encoding × byte-order mark × line end × decimal mark) imports
/// the same rows, with the row accounting asserted, and rejects the same bad row.
@Suite struct DialectGridTests {
    @Test(arguments: Grid.product([";", ",", "|", "\t"], ["utf-8", "windows-1252"], [false, true]))
    func everyDelimitedDialect(separator: String, encoding: String, bom: Bool) throws {
        if bom && encoding == "windows-1252" { return }  // a BOM in Windows-1252 is an error, tested in RecordReaderTests
        for crlf in [false, true] {
            let decimal = separator == "," ? "." : ","
            let sepYAML = separator == "\t" ? "tab" : separator
            let item = """
                id: leefloon
                kind: ocmw_leefloon
                file: l.csv
                identifier: { column: insz, type: insz }
                dialect: { format: delimited, separator: "\(sepYAML)", decimal: "\(decimal)", encoding: \(encoding), date_format: DD/MM/YYYY }
                columns: { month: maand, amount: bedrag, category: categorie }
                """
            let s = separator, nl = crlf ? "\r\n" : "\n"
            let rows = [
                ["insz", "maand", "bedrag", "categorie", "opmerking"],
                [Numbers.a, "01/2018", "1214\(decimal)13", "2", "\"crèche € 2\(s) ok\""],
                [Numbers.b, "02/2018", "809\(decimal)42", "1", "coëfficiënt"],
                [Numbers.c, "2018-03", "809\(decimal)42", "1", "\"twee\(nl)regels\""],
                [Numbers.bis, "04/2018", "876\(decimal)13", "1", ""],
            ]
            let text = rows.map { $0.joined(separator: s) }.joined(separator: nl) + nl
            var bytes = encoding == "utf-8" ? Array(text.utf8) : CharacterEncoding.windows1252.encode(text)!
            if bom { bytes = [0xEF, 0xBB, 0xBF] + bytes }
            let r = try importText(item, "", bytes: bytes)
            let label = "separator \(sepYAML) \(encoding) bom \(bom) crlf \(crlf)"
            #expect(r.rowsRead == 4, "\(label)")
            #expect(r.accepted == 3 && r.rejected == 1 && r.rowsRead == r.accepted + r.rejected, "\(label)")
            #expect(r.rejections.first?.reason == .unparseableDate && r.rejections.first?.line == 4, "\(label)")
            #expect(r.registryRecords.map { $0.numbers["amount"]! } == [1214.13, 809.42, 876.13], "\(label)")
            #expect(r.registryRecords.map(\.line) == [2, 3, 6], "\(label): the quoted line break moves the last row to line 6")
        }
    }
}
