import Basics
import Foundation
import Ingest
import Testing
import TrialDesign

/// Errors that stop a whole file quote its cells; the fuzzing campaign (docs/reliability.md, target
/// `delimited`) found two whose message carried a national number in clear. Every message of
/// `ImportError` and `AssignmentListError` is masked now, wherever it is shown.
@Suite struct ErrorMaskingTests {
    static let leefloon = """
        id: leefloon
        kind: ocmw_leefloon
        file: data.txt
        identifier: { column: insz, type: insz }
        dialect: { format: delimited, separator: ";", decimal: ",", date_format: YYYY-MM }
        columns: { month: maand, amount: bedrag, category: categorie }
        """

    /// An extract without its header line: the first data row is taken for the column names, and the
    /// missing-column message lists them.
    @Test func aMissingHeaderDoesNotShowTheFirstRowsNationalNumber() throws {
        let error = #expect(throws: ImportError.self) {
            try importText(Self.leefloon, "\(Numbers.c);2020-11;1284,14;3\n\(Numbers.a);2020-12;1286,26;3\n")
        }
        let message = try #require(error).description
        #expect(!message.contains(Numbers.c) && !NationalNumber.occurs(in: message), "\(message)")
        #expect(message.contains("\"[national number]\", \"2020-11\", \"1284,14\", \"3\""), "\(message)")
    }

    /// A file declared UTF-8 with a Windows-1252 byte just before a national number: the message quotes the
    /// line's start as Windows-1252 text.
    @Test func anEncodingMismatchDoesNotQuoteANationalNumber() throws {
        let bytes = Array("insz;maand;bedrag;categorie\n".utf8) + [0x8A] + Array("\(Numbers.c);2020-11;1284,14;3\n".utf8)
        let error = #expect(throws: ImportError.self) { try importText(Self.leefloon, "", bytes: bytes) }
        guard case .dialectMismatch = try #require(error) else {
            Issue.record("expected a dialect mismatch, got \(String(describing: error))")
            return
        }
        let message = error!.description
        #expect(!message.contains(Numbers.c) && message.contains("[national number]"), "\(message)")
        #expect(message.contains("encoding: windows-1252"), "\(message)")
    }

    @Test func anAssignmentListsMissingColumnMasksTheHeader() {
        let error = AssignmentListError.missingColumn(path: "lijst.csv", column: "groep", field: "arm",
                                                      header: [Numbers.c, "Controle", "27/04/2017"])
        #expect(!error.description.contains(Numbers.c), "\(error.description)")
        #expect(error.description.contains("[national number]") && error.description.contains("Controle"), "\(error.description)")
    }
}
