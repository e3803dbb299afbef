import Basics
import Ingest
import Testing
import TrialDesign

/// Every rejection reason, each with the row accounting asserted: rows read = accepted + rejected, and
/// the rejected row is named by line and column.
@Suite struct RejectionTests {
    static let leefloon = """
        id: leefloon
        kind: ocmw_leefloon
        file: leefloon.csv
        identifier: { column: insz, type: insz }
        dialect: { format: delimited, separator: ";", decimal: ",", date_format: YYYY-MM }
        columns: { month: maand, amount: bedrag, category: categorie }
        """

    func check(_ r: ImportResult, read: Int, accepted: Int, reason: RejectionReason, line: Int, column: String?,
               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.rowsRead == read, sourceLocation: sourceLocation)
        #expect(r.accepted == accepted, sourceLocation: sourceLocation)
        #expect(r.rejected == read - accepted, sourceLocation: sourceLocation)
        #expect(r.rowsRead == r.accepted + r.rejected, sourceLocation: sourceLocation)
        #expect(r.rejections.count == r.rejected, sourceLocation: sourceLocation)
        #expect(r.rejections.first?.reason == reason, sourceLocation: sourceLocation)
        #expect(r.rejections.first?.line == line, sourceLocation: sourceLocation)
        #expect(r.rejections.first?.column == column, sourceLocation: sourceLocation)
        #expect(r.rejections.first?.file == "data.txt", sourceLocation: sourceLocation)
    }

    @Test func invalidNationalNumber() throws {
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);2018-01;1214,13;2
            \(Numbers.invalid);2018-01;1214,13;2
            """)
        check(r, read: 2, accepted: 1, reason: .invalidNationalNumber, line: 3, column: "insz")
        #expect(r.rejections[0].message.contains("check digits"))
        #expect(!r.rejections[0].message.contains(Numbers.invalid))
        #expect(!r.rejections[0].excerpt.contains(Numbers.invalid))
        #expect(r.rejections[0].excerpt == "maand=2018-01, bedrag=1214,13, categorie=2")
    }

    @Test func unparseableDate() throws {
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);2018-1;1214,13;2
            \(Numbers.a);2018-02;1214,13;2
            \(Numbers.a);2018-13;1214,13;2
            """)
        check(r, read: 3, accepted: 1, reason: .unparseableDate, line: 2, column: "maand")
        #expect(r.rejections.map(\.line) == [2, 4])
        #expect(r.rejections[0].message.contains("YYYY-MM"))
    }

    @Test func unparseableAmount() throws {
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);2018-01;1.214,13;2
            \(Numbers.a);2018-02;12x4;2
            """)
        // No thousands separator is declared, so "1.214,13" is refused rather than read as 1.214.
        check(r, read: 2, accepted: 0, reason: .unparseableAmount, line: 2, column: "bedrag")
        #expect(r.rejections.map(\.line) == [2, 3])
    }

    @Test func unknownCode() throws {
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);2018-01;1214,13;4
            \(Numbers.b);2018-01;809,42;1
            """)
        check(r, read: 2, accepted: 1, reason: .unknownCode, line: 2, column: "categorie")
        #expect(r.rejections[0].message.contains("allowed: 1, 2, 3"))
    }

    @Test func missingRequiredField() throws {
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);2018-01;;2
            ;2018-01;809,42;1
            \(Numbers.b);2018-01;809,42;1
            """)
        check(r, read: 3, accepted: 1, reason: .missingField, line: 2, column: "bedrag")
        #expect(r.rejections[1].column == "insz")
    }

    @Test func wrongFieldCount() throws {
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);2018-01;1214,13
            \(Numbers.a);2018-02;1214;13;2
            \(Numbers.a);2018-03;1214,13;2
            """)
        check(r, read: 3, accepted: 1, reason: .wrongFieldCount, line: 2, column: nil)
        #expect(r.rejections[1].reason == .wrongFieldCount)
        #expect(r.rejections[0].message.contains("3 fields where the header has 4"))
    }

    @Test func duplicateRow() throws {
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);2018-01;1214,13;2
            \(Numbers.a);2018-02;1214,13;2
            93.05.18-223.61;2018-01;1214,13;2
            """)
        // The printed form of the same number is the same person: the third row repeats the first.
        check(r, read: 3, accepted: 2, reason: .duplicateRow, line: 4, column: nil)
        #expect(r.rejections[0].message.contains("line 2"))
    }

    @Test func unknownParticipant() throws {
        let known: Set<String> = [testKey.pseudonym(for: try NationalNumber(Numbers.a))]
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);2018-01;1214,13;2
            \(Numbers.b);2018-01;809,42;1
            \(Numbers.b);2018-02;809,42;1
            """, known: known)
        check(r, read: 3, accepted: 1, reason: .unknownParticipant, line: 3, column: "insz")
        #expect(r.merge.checked)
        #expect(r.merge.rowsWithoutParticipant == 2)
        #expect(r.merge.recordsWithoutParticipant == [testKey.pseudonym(for: try NationalNumber(Numbers.b))])
        #expect(r.merge.participantsWithoutRecords.isEmpty)
        // Without a list of participants nobody is unknown.
        let open = try importText(Self.leefloon, "insz;maand;bedrag;categorie\n\(Numbers.b);2018-01;809,42;1\n")
        #expect(open.accepted == 1 && !open.merge.checked)
    }

    @Test func participantsWithoutRecords() throws {
        let known: Set<String> = ["Pnobody", testKey.pseudonym(for: try NationalNumber(Numbers.a))]
        let r = try importText(Self.leefloon, "insz;maand;bedrag;categorie\n\(Numbers.a);2018-01;1214,13;2\n", known: known)
        #expect(r.merge.participantsWithoutRecords == ["Pnobody"])
        #expect(r.merge.participantsWithRecords == 1)
    }

    @Test func outOfRange() throws {
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);1899-01;1214,13;2
            \(Numbers.a);2018-01;-14,60;2
            \(Numbers.a);2018-02;2000000,00;2
            \(Numbers.a);2018-03;1214,13;2
            """)
        check(r, read: 4, accepted: 1, reason: .outOfRange, line: 2, column: "maand")
        #expect(r.rejections.map(\.reason) == [.outOfRange, .outOfRange, .outOfRange])
        #expect(r.rejections[1].message.contains("negative"))
    }

    @Test func endBeforeStartIsOutOfRange() throws {
        let r = try importText(SourceTests.aid, """
            rijksregisternummer;beslissingsdatum;soort_steun;begindatum;einddatum;bedrag
            \(Numbers.a);01/03/2018;medical_card;01/03/2018;28/02/2018;
            """)
        check(r, read: 1, accepted: 0, reason: .outOfRange, line: 2, column: "einddatum")
    }

    @Test func invalidEncoding() throws {
        // "é" written as Windows-1252 (0xE9) in a UTF-8 file (its "crèche" is UTF-8): the row is set aside.
        // (A file with no UTF-8 at all is another encoding, stopped before reading: DialectMismatchTests.)
        var bytes = Array("insz;maand;bedrag;categorie;opmerking\n\(Numbers.a);2018-01;1214,13;2;crèche\n\(Numbers.a);2018-02;12".utf8)
        bytes += [0xE9]
        bytes += Array(";2;\n".utf8)
        let r = try importText(Self.leefloon, "", bytes: bytes)
        check(r, read: 2, accepted: 1, reason: .invalidEncoding, line: 3, column: "bedrag")
        #expect(r.rejections[0].message.contains("windows-1252"))
    }

    @Test func excerptsMaskLongDigitRuns() throws {
        let r = try importText(Self.leefloon, """
            insz;maand;bedrag;categorie;dossier
            \(Numbers.a);2018-01;1214,13;9;\(Numbers.b)
            """)
        #expect(r.rejected == 1)
        #expect(r.rejections[0].excerpt.contains("dossier=<masked>"))
        #expect(!r.rejections[0].formatted.contains(Numbers.b))
    }

    @Test func fileLevelProblemsAreErrorsNotRejections() throws {
        #expect(throws: ImportError.self) {
            _ = try importText(Self.leefloon, "insz;month;bedrag;categorie\n\(Numbers.a);2018-01;1214,13;2\n")
        }
        do {
            _ = try importText(Self.leefloon, "insz;month;bedrag;categorie\n")
        } catch let e as ImportError {
            #expect(e.description.contains("\"maand\""))
            #expect(e.description.contains("columns: { month: <column> }"))
        }
        #expect(throws: ImportError.self) { _ = try importText(Self.leefloon, "insz;maand;bedrag;categorie\n\"open;2018-01;1;2\n") }
    }
}

@Suite struct ImportSummaryTests {
    @Test func summaryCountsReasonsAndNamesRows() throws {
        let known: Set<String> = [testKey.pseudonym(for: try NationalNumber(Numbers.a)), "Pnobody"]
        let r = try importText(RejectionTests.leefloon, """
            insz;maand;bedrag;categorie
            \(Numbers.a);2018-01;1214,13;2
            \(Numbers.invalid);2018-01;1214,13;2
            \(Numbers.b);2018-01;809,42;1
            \(Numbers.a);2018-13;1214,13;2
            """, known: known)
        let text = r.summary(maxRejections: 2)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "data.txt (source leefloon): 4 rows read, 1 accepted, 3 rejected")
        #expect(lines[1] == "  sha256 \(r.fingerprint), pseudonymisation key \(testKey.keyFingerprint)")
        #expect(lines[2] == "  rejected by reason: invalid_national_number 1, unknown_participant 1, unparseable_date 1")
        #expect(lines[3].hasPrefix("  data.txt:3: invalid_national_number (insz): the national number is not valid"))
        #expect(lines[4].hasPrefix("  data.txt:4: unknown_participant (insz):"))
        #expect(lines[5] == "  … and 1 more rejections")
        #expect(lines[6] == "  participants: 1 with records, 1 without; 1 row of 1 unknown participant")
        for n in [Numbers.a, Numbers.b, Numbers.invalid] { #expect(!text.contains(n)) }
    }
}

/// Imports larger than one batch of the reading pipeline (2,048 rows): duplicates and rejections across
/// batches are found and reported in file order, the counts add up, and a broken quote late in the file
/// fails the whole import.
@Suite struct ManyBatchImportTests {
    static let leefloon = RejectionTests.leefloon

    func text(rows: Int, extra: [Int: String] = [:]) -> String {
        var lines = ["insz;maand;bedrag;categorie"]
        let people = [Numbers.a, Numbers.b, Numbers.c, Numbers.bis]
        for i in 0..<rows {
            let line = i + 2
            if let e = extra[line] { lines.append(e); continue }
            let month = 1 + (i / people.count) % 12, year = 2010 + (i / people.count / 12) % 10
            lines.append("\(people[i % people.count]);\(year)-\(month < 10 ? "0" : "")\(month);\(100 + i),50;2")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func duplicatesAndRejectionsAcrossBatches() throws {
        let base = text(rows: 9_000).split(separator: "\n").map(String.init)
        // Line 9,001 repeats line 10 (thousands of rows and four batches later); line 2,050 (the first row
        // of the second batch) has an invalid national number; line 4,097 an unparseable amount.
        let r = try importText(Self.leefloon, text(rows: 9_000, extra: [
            9_001: base[9], 2_050: "\(Numbers.invalid);2012-01;1,00;2", 4_097: "\(Numbers.a);2012-01;1,0,0;2",
        ]))
        #expect(r.rowsRead == 9_000)
        #expect(r.accepted == 8_997 && r.rejected == 3)
        #expect(r.rejections.map(\.line) == [2_050, 4_097, 9_001])
        #expect(r.rejections.map(\.reason) == [.invalidNationalNumber, .unparseableAmount, .duplicateRow])
        #expect(r.rejections[2].message.contains("line 10"))
        #expect(r.registryRecords.count == 8_997)
        #expect(r.registryRecords.map(\.line) == r.registryRecords.map(\.line).sorted())
        #expect(Set(r.registryRecords.map(\.participant)).count == 4)
    }

    @Test func brokenQuoteLateInTheFileFailsTheImport() throws {
        let broken = text(rows: 5_000) + "\(Numbers.a);\"2019-01;1,00;2\n"
        #expect {
            _ = try importText(Self.leefloon, broken)
        } throws: { error in
            guard let e = error as? ImportError, case let .unreadable(_, reason) = e else { return false }
            return reason.contains("line 5002")
        }
    }
}

/// A file without a header: its first row is imported before the reading thread starts, and the
/// participants it meets must keep their numbers when later batches meet them again.
@Suite struct HeaderlessManyBatchTests {
    @Test func firstRowParticipantAcrossBatches() throws {
        let item = """
            id: leefloon
            kind: ocmw_leefloon
            file: leefloon.csv
            identifier: { column: V1, type: insz }
            dialect: { format: delimited, separator: ";", decimal: ",", date_format: YYYY-MM, header: false }
            columns: { month: V2, amount: V3, category: V4 }
            """
        let people = [Numbers.b, Numbers.a, Numbers.c]
        var lines: [String] = []
        for i in 0..<5_000 {
            let month = 1 + i % 12, year = 2010 + (i / 12) % 10
            lines.append("\(people[(i / 7) % 3]);\(year)-\(month < 10 ? "0" : "")\(month);\(10 + i),00;2")
        }
        let r = try importText(item, lines.joined(separator: "\n") + "\n")
        #expect(r.rowsRead == 5_000 && r.accepted == 5_000)
        let expected = try people.map { testKey.pseudonym(for: try NationalNumber($0)) }
        for (i, rec) in r.registryRecords.enumerated() {
            #expect(rec.participant == expected[(i / 7) % 3], "line \(rec.line)")
            if rec.participant != expected[(i / 7) % 3] { break }
        }
    }
}
