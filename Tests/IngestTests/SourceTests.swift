import Basics
import Ingest
import TrialData
import Testing
import TrialDesign
import Foundation
import Simulation
import TestSupport

/// The canonical mapping of each source kind.
@Suite struct SourceTests {
    static let aid = """
        id: aid
        kind: ocmw_aid
        file: aid.csv
        identifier: { column: rijksregisternummer, type: insz }
        dialect: { format: delimited, separator: ";", decimal: ",", thousands: ".", encoding: windows-1252, date_format: DD/MM/YYYY }
        columns: { kind: soort_steun, decision_date: beslissingsdatum, start: begindatum, end: einddatum, amount: bedrag }
        codes:
          kind: { "AFS eenmalig": supplementary_one_off, "Huurwaarborg": rental_deposit, "Art. 60§7": art60 }
        """

    @Test func leefloonMonthsBecomeWholeMonthRecords() throws {
        let r = try importText(RejectionTests.leefloon, "insz;maand;bedrag;categorie\n\(Numbers.a);2024-02;1288,46;2\n")
        let rec = try #require(r.registryRecords.first)
        #expect(rec.source == "leefloon")
        #expect(rec.participant == testKey.pseudonym(for: try NationalNumber(Numbers.a)))
        #expect(rec.start == CalendarDate(year: 2024, month: 2, day: 1))
        #expect(rec.end == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(rec.numbers["amount"] == 1288.46)
        #expect(rec.attributes == ["category": "2"])
        #expect(rec.line == 2)
        #expect(r.keyFingerprint == testKey.keyFingerprint)
    }

    @Test func aidDecisionsInWindows1252WithDutchCodesAndCorrections() throws {
        let text = """
            rijksregisternummer;beslissingsdatum;soort_steun;omschrijving;begindatum;einddatum;bedrag
            \(Numbers.a);01/02/2018;AFS eenmalig;Crèche € 2/dag;05/02/2018;05/02/2018;1.450,00
            \(Numbers.a);03/02/2018;Huurwaarborg;"Huur; waarborg
            première woning";10/02/2018;;1.200,50
            \(Numbers.a);20/02/2018;AFS eenmalig;Correctie: coëfficiënt;05/02/2018;05/02/2018;1.595,00
            \(Numbers.b);01/03/2018;Art. 60§7;Tewerkstelling;01/03/2018;28/02/2019;
            \(Numbers.b);01/03/2018;supplementary_structural;Toelage;01/03/2018;31/05/2018;45,5
            \(Numbers.b);01/03/2018;Leefloon;Onbekend;01/03/2018;;
            """
        let bytes = try #require(CharacterEncodingTestHelper.windows1252(text))
        let r = try importText(Self.aid, "", bytes: bytes)
        #expect(r.rowsRead == 6)
        #expect(r.accepted == 5)
        #expect(r.rejected == 1)
        #expect(r.rejections[0].reason == .unknownCode)
        #expect(r.rejections[0].line == 8)
        #expect(r.corrections == 1)
        #expect(r.registryRecords.count == r.accepted - r.corrections)
        let oneOff = try #require(r.registryRecords.first { $0.attributes["kind"] == "supplementary_one_off" })
        #expect(oneOff.numbers["amount"] == 1595.0)
        #expect(oneOff.attributes["decision_date"] == "2018-02-20")
        #expect(oneOff.line == 5)
        let deposit = try #require(r.registryRecords.first { $0.attributes["kind"] == "rental_deposit" })
        #expect(deposit.end == nil)
        #expect(deposit.numbers["amount"] == 1200.5)
        #expect(deposit.line == 3)
        #expect(r.registryRecords.contains { $0.attributes["kind"] == "art60" && $0.numbers.isEmpty })
        #expect(r.registryRecords.first { $0.attributes["kind"] == "supplementary_structural" }?.numbers["amount"] == 45.5)
    }

    @Test func anEarlierDecisionReadLaterDoesNotReplaceTheLaterOne() throws {
        let r = try importText(Self.aid, """
            rijksregisternummer;beslissingsdatum;soort_steun;begindatum;einddatum;bedrag
            \(Numbers.a);20/02/2018;AFS eenmalig;05/02/2018;;200,00
            \(Numbers.a);01/02/2018;AFS eenmalig;05/02/2018;;100,00
            """)
        #expect(r.corrections == 1 && r.accepted == 2 && r.registryRecords.count == 1)
        #expect(r.registryRecords[0].numbers["amount"] == 200)
    }

    static let statements = """
        id: statements
        kind: federal_statements
        file: statements.txt
        identifier: { column: insz, type: insz }
        dialect:
          format: fixed_width
          date_format: YYYYMMDD
          fields:
            - { name: legislation, start: 1, length: 1 }
            - { name: municipality, start: 2, length: 5 }
            - { name: statement_month, start: 7, length: 6 }
            - { name: file_number, start: 13, length: 10 }
            - { name: insz, start: 23, length: 11 }
            - { name: amount_type, start: 34, length: 1 }
            - { name: period_start, start: 35, length: 8 }
            - { name: period_end, start: 43, length: 8 }
            - { name: sign, start: 51, length: 1 }
            - { name: amount_cents, start: 52, length: 8 }
            - { name: category, start: 60, length: 1 }
        """

    static func statementLine(type: String = "1", sign: String = "+", cents: String = "00121413", insz: String = Numbers.a,
                              start: String = "20180101", category: String = "2") -> String {
        "134022201801" + "0000001234" + insz + type + start + "20180131" + sign + cents + category
    }

    @Test func federalStatementsInCentsWithASeparateSign() throws {
        let text = [Self.statementLine(), Self.statementLine(type: "3", sign: "-", cents: "00001460"),
                    Self.statementLine(sign: "x"), Self.statementLine(cents: "0001x460"), Self.statementLine(type: "9"),
                    String(Self.statementLine().prefix(40)), Self.statementLine() + "XYZ"].joined(separator: "\n") + "\n"
        let r = try importText(Self.statements, text)
        #expect(r.rowsRead == 7)
        #expect(r.accepted == 2)
        #expect(r.rejections.map(\.reason) == [.unparseableAmount, .unparseableAmount, .unknownCode, .wrongFieldCount, .wrongFieldCount])
        #expect(r.rejections.map(\.line) == [3, 4, 5, 6, 7])
        #expect(r.rejections.map(\.column) == ["sign", "amount_cents", "amount_type", nil, nil])
        #expect(r.registryRecords[0].numbers["amount"] == 1214.13)
        #expect(r.registryRecords[1].numbers["amount"] == -14.60)
        #expect(r.registryRecords[1].attributes["amount_type"] == "recovery")
        #expect(r.registryRecords[0].attributes["statement_month"] == "2018-01")
        #expect(r.registryRecords[0].attributes["municipality"] == "34022")
        #expect(r.registryRecords[0].start == CalendarDate(year: 2018, month: 1, day: 1))
        #expect(r.registryRecords[0].end == CalendarDate(year: 2018, month: 1, day: 31))
        // The file number is a quasi-identifier: masked in excerpts, never kept as an attribute.
        #expect(r.registryRecords[0].attributes["file_number"] == nil)
        #expect(r.rejections.allSatisfy { $0.excerpt.contains("file_number=<masked>") })
    }

    @Test func vdabMonthEndStatusWithPlacementCodes() throws {
        let item = """
            id: vdab
            kind: vdab_status
            file: vdab.csv
            identifier: { column: insz, type: insz }
            dialect: { format: delimited, separator: "|", date_format: YYYYMM }
            columns: { month: maand, category: categorie, placement: trajectstatus }
            codes:
              placement: { geen: none, opleiding: training, traject: trajectory }
            """
        let r = try importText(item, """
            insz|maand|categorie|trajectstatus
            \(Numbers.a)|201803|00|opleiding
            \(Numbers.a)|201804|02|
            \(Numbers.bis)|201804|0|geen
            \(Numbers.c)|201804|80|stage
            """)
        #expect(r.rowsRead == 4 && r.accepted == 2)
        #expect(r.rejections.map(\.reason) == [.unknownCode, .unknownCode])
        #expect(r.registryRecords[0].attributes == ["category": "00", "placement": "training"])
        #expect(r.registryRecords[1].attributes["placement"] == "none")
        #expect(r.registryRecords[1].end == CalendarDate(year: 2018, month: 4, day: 30))
    }

    @Test func kszQuartersWithPseudonymsLinkedAsIs() throws {
        let item = """
            id: ksz
            kind: ksz_position
            file: ksz.csv
            identifier: { column: pseudonym, type: pseudonym }
            dialect: { format: delimited, separator: "\\t" }
            """
        let r = try importText(item, "pseudonym\tquarter\tposition\nKSZ00017\t2018Q3\tworking\nKSZ00017\t2018-Q5\tworking\n")
        #expect(r.rowsRead == 2 && r.accepted == 1)
        #expect(r.rejections[0].reason == .unparseableDate)
        let rec = r.registryRecords[0]
        #expect(rec.participant == "KSZ00017")
        #expect(rec.start == CalendarDate(year: 2018, month: 7, day: 1))
        #expect(rec.end == CalendarDate(year: 2018, month: 9, day: 30))
        #expect(r.keyFingerprint == nil)
    }

    @Test func surveyAnswersWithMissingCodes() throws {
        let item = """
            id: s
            kind: survey
            wave: m6
            file: s.csv
            identifier: { column: family_id, type: code }
            dialect: { format: delimited, separator: ",", date_format: YYYY-MM-DD }
            missing_codes: ["-9", "weet niet"]
            """
        let r = try importText(item, """
            family_id,interview_date,rights_leefloon,household_income,material_aid
            F001,2018-03-04,4,1520.5,-9
            F002,2018-03-05,weet niet,,1
            F003,2018-03-05,veel,1200,1
            F004,,3,1200,1
            """)
        #expect(r.rowsRead == 4 && r.accepted == 2 && r.rejected == 2)
        #expect(r.rejections.map(\.reason) == [.unparseableAmount, .missingField])
        #expect(r.rejections[0].column == "rights_leefloon")
        let a = r.surveyResponses[0]
        #expect(a.participant == "F001" && a.wave == "m6" && a.source == "s")
        #expect(a.interviewDate == CalendarDate(year: 2018, month: 3, day: 4))
        #expect(a.answers == ["rights_leefloon": 4, "household_income": 1520.5])
        #expect(r.surveyResponses[1].answers == ["material_aid": 1])
    }

    @Test func headerlessDelimitedFilesNameColumnsV1V2() throws {
        let item = """
            id: leefloon
            kind: ocmw_leefloon
            file: l.csv
            identifier: { column: V1, type: insz }
            dialect: { format: delimited, separator: ",", header: false, date_format: YYYY-MM }
            columns: { month: V2, amount: V3, category: V4 }
            """
        let r = try importText(item, "\(Numbers.a),2018-01,809.42,1\n\(Numbers.b),2018-01,\"1,214.13\",2\n")
        #expect(r.rowsRead == 2 && r.accepted == 1)
        #expect(r.rejections[0].reason == .unparseableAmount && r.rejections[0].line == 2)
    }

    @Test func fingerprintIsTheSHA256OfTheBytes() throws {
        let r = try importText(RejectionTests.leefloon, "insz;maand;bedrag;categorie\n")
        #expect(r.rowsRead == 0)
        // `printf 'insz;maand;bedrag;categorie\n' | sha256sum`
        #expect(r.fingerprint == "b7cd6ea9f6edff838fd94482cc2ae1bbc266a321d36db310a22fb3ea5200e0b9")
        let again = try importText(RejectionTests.leefloon, "insz;maand;bedrag;categorie\n")
        #expect(again.fingerprint == r.fingerprint)
        let other = try importText(RejectionTests.leefloon, "insz;maand;bedrag;categorie\r\n")
        #expect(other.fingerprint != r.fingerprint)
    }
}

import Tabular
enum CharacterEncodingTestHelper {
    static func windows1252(_ text: String) -> [UInt8]? { CharacterEncoding.windows1252.encode(text) }
}

@Suite struct ParticipantSetTests {
    @Test func registrySourcesLinkOnTheRegistryKeySurveysOnTheId() throws {
        let units = [AssignedUnit(id: "F1", linkKey: "Pabc", arm: "control", assignedOn: CalendarDate(year: 2018, month: 1, day: 1)!, probability: 0.5),
                     AssignedUnit(id: "F2", arm: "treatment", assignedOn: CalendarDate(year: 2018, month: 1, day: 2)!, probability: 0.5)]
        let (_, leefloon) = try makeSource(RejectionTests.leefloon)
        #expect(Ingest.participants(units, for: leefloon) == ["Pabc", "F2"])
        let (_, survey) = try makeSource("""
            id: s
            kind: survey
            wave: m6
            file: s.csv
            identifier: { column: family_id, type: code }
            dialect: { format: delimited }
            """)
        #expect(Ingest.participants(units, for: survey) == ["F1", "F2"])
    }
}

@Suite struct StreamingFingerprintTests {
    /// A file of several 1 MiB chunks: the fingerprint, hashed chunk by chunk while reading, equals
    /// coreutils' `sha256sum` of the whole file; the rows stream through without being kept.
    @Test func fingerprintOverManyChunksMatchesSha256sum() throws {
        let path = try Fixtures.temporaryDirectory("fingerprint").appendingPathComponent("vdab.csv").path
        try Self.writeExtract(rows: 80_000, path: path)
        let design = try Design.parse(yaml: """
            trial: { id: t, title: T }
            arms: [{ id: control, control: true }, { id: treatment }]
            randomisation: { method: complete, seed: 1 }
            waves: [{ id: m6, offset_months: 6 }]
            pseudonymisation: { key_env: K }
            sources:
              - id: vdab
                kind: vdab_status
                file: vdab.csv
                identifier: { column: insz, type: insz }
                dialect: { format: delimited, separator: ";", decimal: ",", thousands: ".", date_format: YYYYMM }
                columns: { month: maand, category: categorie, placement: trajectstatus, benefit: uitkering }
                codes: { placement: { geen: none, bemiddeling: placement, opleiding: training, traject: trajectory, "niet toeleidbaar": not_deployable } }
            families: [{ id: main }]
            outcomes: [{ id: o, family: main, type: binary, source: vdab, rule: any, windows: { m6: [1, 6] } }]
            """)
        var n = 0
        let tally = try Ingest.stream(path: path, source: design.sources[0], pseudonymizer: testKey, registry: { _ in n += 1 })
        #expect(tally.rowsRead == 80_000 && tally.accepted == 80_000 && n == 80_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int > 2 << 20)
        #expect(tally.fingerprint == String(out.prefix(64)))
    }

    /// A VDAB month-status extract (the dialect above) of `rows` valid rows, about 41 bytes each: 2,000
    /// synthetic people with a run of consecutive months each, so no (person, month) pair repeats.
    static func writeExtract(rows: Int, path: String) throws {
        let categories = ["00", "02", "04", "05", "10", "30"]
        let placements = ["geen", "opleiding", "traject", "bemiddeling", "niet toeleidbaar"]
        let firstBirth = CalendarDate(year: 1950, month: 1, day: 1)!
        let months = (rows + 1999) / 2000
        var text = "insz;maand;categorie;trajectstatus;uitkering\n"
        for row in 0..<rows {
            let person = row / months, m = row % months
            let insz = SyntheticINSZ.make(birth: firstBirth.adding(days: person / 2), sequence: person % 2 == 0 ? 0 : 999)
            let month = 200_001 + m / 12 * 100 + m % 12
            text += "\(insz);\(month);\(categories[row % 6]);\(placements[row % 5]);1.\(100 + row % 900),\(10 + row % 90)\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
