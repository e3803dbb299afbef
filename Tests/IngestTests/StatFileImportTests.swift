import Basics
import Foundation
import Ingest
import StatFiles
import Testing
import TestSupport
import TrialData
import TrialDesign

/// SPSS and Stata files imported as survey waves and cohorts: by column name, value labels available to
/// `codes:` and `missing_codes`, the file's own missing values read as missing and counted with their
/// labels, dates from each format's epoch — and otherwise exactly as the same data in CSV.
@Suite struct StatFileImportTests {
    static let m6 = """
        id: survey_m6
        kind: survey
        wave: m6
        file: survey_m6.sav
        identifier: { column: family_id, type: code }
        dialect: { format: spss }
        missing_codes: ["-9", "weet niet"]
        """

    static func survey(_ item: String, _ path: String) throws -> ImportResult {
        let (_, source) = try makeSource(item)
        return try Ingest.importFile(path: path, displayName: (path as NSString).lastPathComponent, source: source, pseudonymizer: nil)
    }

    /// The bundled 6-month wave as pyreadstat wrote it (fixtures/mission/survey_m6.sav) gives the same
    /// responses as survey_m6.csv: same participants, dates and answers; a row's line is its case number
    /// (the CSV's line less its header).
    @Test func theMissionWaveFromSPSSEqualsItFromCSV() throws {
        let sav = try Self.survey(Self.m6, Fixtures.path("fixtures/mission/survey_m6.sav"))
        let csvItem = Self.m6.replacingOccurrences(of: "survey_m6.sav", with: "survey_m6.csv")
            .replacingOccurrences(of: "{ format: spss }", with: "{ format: delimited, date_format: YYYY-MM-DD }")
        let csv = try Self.survey(csvItem, Fixtures.path("fixtures/mission/survey_m6.csv"))
        #expect(sav.rowsRead == 98 && sav.accepted == 98 && sav.rejected == 0)
        #expect((csv.rowsRead, csv.accepted, csv.rejected) == (sav.rowsRead, sav.accepted, sav.rejected))
        #expect(sav.surveyResponses.count == csv.surveyResponses.count)
        for (s, c) in zip(sav.surveyResponses, csv.surveyResponses) {
            #expect(s.participant == c.participant && s.interviewDate == c.interviewDate && s.answers == c.answers, "\(s.participant)")
            #expect(s.line + 1 == c.line)
        }
        // -9 is declared user-missing in the file: counted with its label. -8 ("weet niet") is not declared
        // missing, but its label is one of the design's missing codes.
        #expect(sav.declaredMissing.reduce(0) { $0 + $1.count } == 16)
        #expect(sav.declaredMissing.allSatisfy { $0.value == "-9" && $0.label == "geen antwoord" })
        #expect(sav.declaredMissing.first { $0.column == "material_aid" }?.count == 5)
        #expect(sav.summary().contains("16 values declared missing in the file, read as missing: -9 \"geen antwoord\" 16 (household_income 2, material_aid 5"))
        #expect(csv.declaredMissing.isEmpty)
    }

    /// With no `format:` in the design, the file's first bytes say it is an SPSS file.
    @Test func theFormatIsRecognisedWhenLeftOut() throws {
        let item = Self.m6.replacingOccurrences(of: "{ format: spss }", with: "{ date_format: YYYY-MM-DD }")
        let r = try Self.survey(item, Fixtures.path("fixtures/mission/survey_m6.sav"))
        #expect(r.accepted == 98 && r.declaredMissing.count == 6)
    }

    /// Stata's extended missing values are missing, counted with their labels; %td dates read.
    @Test func stataExtendedMissingValuesAreCountedWithTheirLabels() throws {
        let item = """
            id: s
            kind: survey
            wave: m6
            file: labelled.dta
            identifier: { column: id, type: code }
            dialect: { format: stata }
            columns: { interview_date: interview, item: item, income: income }
            """
        let r = try Self.survey(item, Fixtures.path("fixtures/statfiles/labelled.dta"))
        // S03 has no interview date (system-missing): rejected as missing_field, with its case number.
        #expect(r.rowsRead == 5 && r.accepted == 4 && r.rejected == 1)
        #expect(r.rejections.map(\.line) == [3] && r.rejections.map(\.reason) == [.missingField])
        #expect(r.surveyResponses.map(\.interviewDate) == [CalendarDate(year: 2018, month: 6, day: 30), CalendarDate(year: 2019, month: 1, day: 2),
                                                           CalendarDate(year: 1999, month: 12, day: 31), CalendarDate(year: 2020, month: 2, day: 29)])
        #expect(r.surveyResponses.map { $0.answers["item"] } == [1, 5, nil, 3])
        #expect(r.surveyResponses.map { $0.answers["income"] } == [1214.13, 0.1, -3.5, 1e6])
        #expect(r.declaredMissing == [DeclaredMissing(column: "item", value: ".a", label: "weet niet", count: 1),
                                      DeclaredMissing(column: "item", value: ".b", label: "geen antwoord", count: 1)])
    }

    /// SPSS user-missing ranges and values, and a date-time read as its day in the dialect's date form.
    @Test func spssMissingRangesAndDateTimes() throws {
        let item = """
            id: s
            kind: survey
            wave: m6
            file: labelled.sav
            identifier: { column: id, type: code }
            dialect: { format: spss, date_format: DD/MM/YYYY }
            columns: { interview_date: moment, item: item }
            """
        let r = try Self.survey(item, Fixtures.path("fixtures/statfiles/labelled.sav"))
        #expect(r.accepted == 4 && r.rejections.map(\.line) == [3])
        #expect(r.surveyResponses.map { $0.answers["item"] } == [1, 5, nil, nil])
        #expect(r.surveyResponses[0].interviewDate == CalendarDate(year: 2018, month: 6, day: 30))
        #expect(r.declaredMissing == [DeclaredMissing(column: "item", value: "-8", label: "weet niet", count: 1),
                                      DeclaredMissing(column: "item", value: "-9", label: "geen antwoord", count: 1),
                                      DeclaredMissing(column: "item", value: "99", label: "niet van toepassing", count: 1)])
    }

    /// A registry code by its value label: the design maps the agency's Dutch labels, as it would map
    /// the same words in a CSV; a label that is already canonical needs no mapping.
    @Test func codesAreMappedByTheirValueLabels() throws {
        let dir = try Fixtures.temporaryDirectory("stat-codes")
        let path = dir.appendingPathComponent("vdab.sav").path
        let placements: [(value: Double, label: String)] = [(1, "geen"), (2, "bemiddeling"), (3, "opleiding"), (4, "traject"), (9, "training")]
        try StatFileWriter.write(StatTable(
            columns: [StatColumn(name: "code", kind: .text), StatColumn(name: "maand", kind: .text), StatColumn(name: "categorie", kind: .text),
                      StatColumn(name: "trajectstatus", kind: .number, valueLabels: placements)],
            rows: [[.text("A"), .text("2018-03"), .text("00"), .number(3)], [.text("A"), .text("2018-04"), .text("00"), .number(9)],
                   [.text("A"), .text("2018-05"), .text("00"), .number(7)]]), as: .spss, to: path)
        let (_, source) = try makeSource("""
            id: v
            kind: vdab_status
            file: vdab.sav
            identifier: { column: code, type: code }
            dialect: { format: spss, date_format: YYYY-MM }
            columns: { month: maand, category: categorie, placement: trajectstatus }
            codes:
              placement: { geen: none, bemiddeling: placement, opleiding: training, traject: trajectory }
            """)
        let r = try Ingest.importFile(path: path, displayName: "vdab.sav", source: source, pseudonymizer: nil)
        #expect(r.registryRecords.map { $0.attributes["placement"] } == ["training", "training"])
        #expect(r.rejections.map(\.reason) == [.unknownCode] && r.rejections.map(\.line) == [3])
    }

    /// The cohort as a Stata file reads as the same rows as cohort.csv: numbers as the CSV writes them,
    /// %td dates in the dialect's form.
    @Test func aStataCohortReadsAsTheCSVCohort() throws {
        let dates: Set<String> = ["birth_date", "enrolled_on"]
        let dta = try CohortReader.read(path: Fixtures.path("fixtures/statfiles/cohort.dta"), dialect: .standard, dateColumns: dates)
        let csv = try CohortReader.read(path: Fixtures.path("fixtures/mission/cohort.csv"), dialect: .standard, dateColumns: dates)
        #expect(dta.header == csv.header)
        #expect(dta.rows.count == 160 && dta.rows.count == csv.rows.count)
        #expect(dta.rows.map(\.fields) == csv.rows.map(\.fields))
        #expect(dta.rows.map(\.line) == csv.rows.map { $0.line - 1 })
    }

    // MARK: - Bad input

    @Test func aTruncatedFileStopsTheImportNamingTheFile() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/mission/survey_m6.sav")))
        let path = try writeFile("survey_m6.sav", [UInt8](whole.prefix(whole.count * 2 / 3)))
        #expect {
            try Self.survey(Self.m6, path)
        } throws: { error in
            guard case let .unreadable(file, reason)? = error as? ImportError else { return false }
            return file == "survey_m6.sav" && reason.contains("cannot be read as an SPSS file") && reason.contains("cut short")
        }
    }

    @Test func aColumnTheDesignExpectsIsMissing() throws {
        let item = """
            id: s
            kind: survey
            wave: m6
            file: labelled.dta
            identifier: { column: id, type: code }
            dialect: { format: stata }
            columns: { interview_date: datum }
            """
        #expect(throws: ImportError.missingColumn(file: "labelled.dta", source: "s", field: "interview_date", column: "datum",
                                                  available: ["id", "item", "income", "interview", "moment", "remark"])) {
            try Self.survey(item, Fixtures.path("fixtures/statfiles/labelled.dta"))
        }
    }

    @Test func aFileThatIsNeither() throws {
        // Declared SPSS, but text.
        let text = try writeFile("survey_m6.sav", "family_id,interview_date\nF0001,2019-09-07\n")
        #expect {
            try Self.survey(Self.m6, text)
        } throws: { error in
            (error as? ImportError)?.description == "survey_m6.sav: not an SPSS file (it starts with text: \"family_id,interview_date…\"); "
                + "export the data again from SPSS as a .sav file, or declare the format the file has (format: delimited for text)"
        }
        // Named .sav, format left out: the name promises an SPSS file.
        let undeclared = Self.m6.replacingOccurrences(of: "{ format: spss }", with: "{ date_format: YYYY-MM-DD }")
        #expect(throws: ImportError.self) { try Self.survey(undeclared, text) }
        // Declared delimited, but an SPSS file.
        let delimited = Self.m6.replacingOccurrences(of: "{ format: spss }", with: "{ format: delimited }")
        #expect {
            try Self.survey(delimited, Fixtures.path("fixtures/mission/survey_m6.sav"))
        } throws: { error in
            (error as? ImportError)?.description == "survey_m6.sav: this is an SPSS file, but the design declares format: delimited; "
                + "declare format: spss (or leave format out)"
        }
    }

    @Test func textDialectKeysAreRefusedForSPSSAndStata() throws {
        #expect {
            try makeSource("""
                id: s
                kind: survey
                wave: m6
                file: s.sav
                identifier: { column: id, type: code }
                dialect: { format: spss, separator: ";", decimal: "," }
                """)
        } throws: { error in
            let text = "\(error)"
            return text.contains("separator has no effect on a format: spss file") && text.contains("decimal has no effect")
        }
    }
}
