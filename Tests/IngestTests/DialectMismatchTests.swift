import Foundation
import Ingest
import Tabular
import Testing
import TestSupport
import TrialDesign

/// A file that does not look like its declared dialect stops before any row is read, naming the file, what
/// the design declares and on which line, what the file looks like and what to write instead; the files
/// that do fit their dialect (every one of DialectGridTests) are not stopped.
@Suite struct DialectMismatchTests {
    /// The aid source of SourceTests declares Windows-1252; its codes hold "Art. 60§7".
    static let aidRows = """
        rijksregisternummer;beslissingsdatum;soort_steun;begindatum;einddatum;bedrag
        \(Numbers.a);01/02/2018;AFS eenmalig;05/02/2018;05/02/2018;1.450,00
        \(Numbers.b);01/03/2018;Art. 60§7;01/03/2018;28/02/2019;

        """

    func mismatch(_ item: String, _ bytes: [UInt8]) throws -> (DialectMismatch, String) {
        do {
            let r = try importText(item, "", bytes: bytes)
            Issue.record("imported \(r.rowsRead) rows instead of stopping")
            throw CancellationError()
        } catch let ImportError.dialectMismatch(file, source, line, m) {
            #expect(file == "data.txt")
            #expect(source != nil)
            #expect(line != nil, "the message names the design line of the dialect")
            return (m, ImportError.dialectMismatch(file: file, source: source, designLine: line, mismatch: m).description)
        }
    }

    @Test func utf8FileDeclaredWindows1252() throws {
        let (m, message) = try mismatch(SourceTests.aid, Array(Self.aidRows.utf8))
        #expect(m.kind == .utf8Declared1252)
        #expect(m.found.contains("line 3") && m.found.contains("60§7") && m.found.contains("60Â§7"))
        #expect(message.contains("source aid declares") && message.contains("encoding: windows-1252"))
        #expect(message.contains("Change the dialect to encoding: utf-8"))
        #expect(message.contains("Nothing was imported"))
    }

    @Test func windows1252FileDeclaredUTF8() throws {
        let bytes = try #require(CharacterEncoding.windows1252.encode(Self.aidRows))
        let item = SourceTests.aid.replacingOccurrences(of: "encoding: windows-1252", with: "encoding: utf-8")
        let (m, message) = try mismatch(item, bytes)
        #expect(m.kind == .notUTF8)
        #expect(m.found.contains("line 3") && m.found.contains("0xA7") && m.found.contains("60§7"))
        #expect(message.contains("Change the dialect to encoding: windows-1252"))
    }

    @Test func semicolonsWhereThePipeIsDeclared() throws {
        let item = RejectionTests.leefloon.replacingOccurrences(of: "separator: \";\"", with: "separator: \"|\"")
        let (m, message) = try mismatch(item, Array("insz;maand;bedrag;categorie\n\(Numbers.a);2018-01;1214,13;2\n".utf8))
        #expect(m.kind == .separator)
        #expect(m.declared == "separator: \"|\"" && m.remedy == "separator: \";\"")
        #expect(m.found.contains("4 columns"))
        #expect(!message.contains("Map it in the design"), "no advice to map a column when the separator is wrong")
    }

    @Test(arguments: [true, false])
    func utf16Text(littleEndianWithMark: Bool) throws {
        let text = "insz;maand;bedrag;categorie\r\n\(Numbers.a);2018-01;1214,13;2\r\n"
        var bytes: [UInt8] = littleEndianWithMark ? [0xFF, 0xFE] : []
        for unit in text.utf16 {
            bytes += littleEndianWithMark ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        let (m, message) = try mismatch(RejectionTests.leefloon, bytes)
        #expect(m.kind == .utf16)
        #expect(message.contains("iconv -f UTF-16 -t UTF-8"))
    }

    @Test func oneColumnFilesAndASCIIFilesFitEveryDeclaration() {
        for (text, dialect) in [("insz\n93051822361\n", Dialect(separator: ";")),
                                ("a,b\n1,2\n", Dialect(separator: ",", encoding: .windows1252)),
                                ("a|b\n1|2\n", Dialect(separator: "|", encoding: .utf8))] {
            #expect(DialectCheck.mismatch(sample: Array(text.utf8), complete: true, dialect: dialect) == nil, "\(text)")
        }
    }
}
