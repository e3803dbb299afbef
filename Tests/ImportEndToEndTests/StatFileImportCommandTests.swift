import Foundation
import TrialData
import Testing
import TestSupport
import TrialStore

/// `rct import`, `rct assign` and `rct inspect` on SPSS and Stata files written by another program
/// (pyreadstat; fixtures/statfiles/README.md): the 6-month wave from survey_m6.sav stores what
/// survey_m6.csv stores, a cohort from cohort.dta assigns as cohort.csv does, and bad files stop with an
/// error that names the file, leaving the store as it was.
@Suite struct StatFileImportCommandTests {
    typealias Session = ImportCommandTests.Session
    static let design = ImportCommandTests.design
    static let store = ImportCommandTests.store

    /// The survey_m6 source of the reference design, pointed at survey_m6.sav.
    static func savDesign(_ text: String) -> String {
        let csv = """
                file: ../fixtures/mission/survey_m6.csv
                identifier: { column: family_id, type: code }
                dialect: { format: delimited, separator: ",", encoding: utf-8, date_format: YYYY-MM-DD }
            """
        precondition(text.contains(csv))
        return text.replacingOccurrences(of: csv, with: """
                file: ../fixtures/mission/survey_m6.sav
                identifier: { column: family_id, type: code }
                dialect: { format: spss }
            """)
    }

    /// A workspace with the design edited by `edit` (before the store is made: a design is fixed then)
    /// and a store in which the cohort was assigned.
    static func assigned(_ edit: (String) -> String = { $0 }) throws -> Session {
        let s = Session(root: try ImportCommandTests.workspace())
        let path = s.root.appendingPathComponent(design)
        try edit(try String(contentsOf: path, encoding: .utf8)).write(to: path, atomically: true, encoding: .utf8)
        let i = try s.run(["init", design, "--store", store])
        #expect(i.status == 0, "\(i.stderr)")
        let a = try s.run(["assign", design, "--cohort", "fixtures/mission/cohort.csv", "--store", store])
        #expect(a.status == 0 && a.stdout.contains("assigned 112 families"), "\(a.stderr)")
        return s
    }

    /// One wave imported from CSV and from SPSS: the same responses (participants, dates, answers; a
    /// case number is the CSV line less its header), counts and (empty) quarantine; the report says
    /// what the file declared missing.
    @Test func theWaveFromSPSSStoresWhatTheCSVStores() throws {
        let csv = try Self.assigned(), sav = try Self.assigned(Self.savDesign)
        let a = try csv.run(["import", Self.design, "--store", Self.store, "--source", "survey_m6"])
        let b = try sav.run(["import", Self.design, "--store", Self.store, "--source", "survey_m6"])
        #expect(a.status == 0 && b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("survey_m6: ../fixtures/mission/survey_m6.sav imported as import 1"))
        #expect(b.stdout.contains("98 rows read = 98 accepted + 0 rejected; 0 superseded corrections; 98 responses stored"))
        #expect(b.stdout.contains("16 values declared missing in the file, read as missing: -9 \"geen antwoord\" 16 (household_income 2, "
            + "material_aid 5, regular_employment 2, rights_energy 3, rights_health 3, social_housing 1)"))
        // Apart from the file's name, fingerprint and the declared-missing line, the reports are the same.
        func comparable(_ s: String) -> [String] {
            s.split(separator: "\n").map(String.init).filter { !$0.contains("sha256") && !$0.contains("declared missing") }
        }
        #expect(comparable(a.stdout) == comparable(b.stdout))
        let x = try TrialStore.open(path: csv.storePath), y = try TrialStore.open(path: sav.storePath)
        let rx = try x.surveyResponses(source: "survey_m6"), ry = try y.surveyResponses(source: "survey_m6")
        #expect(rx.count == 98 && ry.count == 98)
        #expect(ry.map { SurveyResponse(source: $0.source, wave: $0.wave, participant: $0.participant, line: $0.line + 1,
                                        interviewDate: $0.interviewDate, answers: $0.answers) } == rx)
        let sx = try x.importSummaries(), sy = try y.importSummaries()
        #expect(sx.map(\.rowsRead) == sy.map(\.rowsRead) && sx.map(\.rowsAccepted) == sy.map(\.rowsAccepted))
        #expect(sx.map(\.rowsRejected) == sy.map(\.rowsRejected) && sx.map(\.mergeReport) == sy.map(\.mergeReport))
        let ix = try #require(sx.first), iy = try #require(sy.first)
        #expect(try x.quarantine(importID: ix.id).isEmpty && y.quarantine(importID: iy.id).isEmpty)
        // The format left out: recognised from the file's first bytes.
        let detected = try Self.assigned { Self.savDesign($0).replacingOccurrences(of: "dialect: { format: spss }", with: "dialect: { date_format: YYYY-MM-DD }") }
        let c = try detected.run(["import", Self.design, "--store", Self.store, "--source", "survey_m6"])
        #expect(c.status == 0 && c.stdout == b.stdout, "\(c.stderr)")
    }

    /// A truncated .sav, a file named .sav that holds text, a .dta without a column the design expects:
    /// each stops with an error naming the file and what to do, and nothing is stored.
    @Test func badFilesStoreNothing() throws {
        let s = try Self.assigned(Self.savDesign)
        let before = try s.storeBytes()
        let sav = URL(fileURLWithPath: s.file("survey_m6.sav"))
        let whole = try Data(contentsOf: sav)
        try whole.prefix(whole.count / 2).write(to: sav)
        let cut = try s.run(["import", Self.design, "--store", Self.store, "--source", "survey_m6"])
        #expect(cut.status == 1)
        #expect(cut.stderr.contains("../fixtures/mission/survey_m6.sav: cannot be read as an SPSS file"), "\(cut.stderr)")
        #expect(cut.stderr.contains("cut short or damaged: copy it again from its source, or export it again from SPSS"))
        #expect(try s.storeBytes() == before)

        try Data("family_id,interview_date\nF0001,2019-09-07\n".utf8).write(to: sav)
        let text = try s.run(["import", Self.design, "--store", Self.store, "--source", "survey_m6"])
        #expect(text.status == 1)
        #expect(text.stderr.contains("survey_m6.sav: not an SPSS file (it starts with text: \"family_id,interview_date…\")"), "\(text.stderr)")
        #expect(try s.storeBytes() == before)

        // The wave as a Stata file without the interview date column the design maps.
        let dta = try Self.assigned {
            $0.replacingOccurrences(of: "file: ../fixtures/mission/survey_m6.csv", with: "file: ../fixtures/mission/labelled.dta")
                .replacingOccurrences(of: """
                    file: ../fixtures/mission/labelled.dta
                        identifier: { column: family_id, type: code }
                        dialect: { format: delimited, separator: ",", encoding: utf-8, date_format: YYYY-MM-DD }
                    """, with: """
                    file: ../fixtures/mission/labelled.dta
                        identifier: { column: id, type: code }
                        dialect: { format: stata }
                    """)
        }
        try FileManager.default.copyItem(atPath: Fixtures.path("fixtures/statfiles/labelled.dta"), toPath: dta.file("labelled.dta"))
        let dtaBefore = try dta.storeBytes()
        let missing = try dta.run(["import", Self.design, "--store", Self.store, "--source", "survey_m6"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("labelled.dta: source survey_m6 needs the field \"interview_date\" in column \"interview_date\""),
                "\(missing.stderr)")
        #expect(missing.stderr.contains("the columns are: \"id\", \"item\", \"income\", \"interview\", \"moment\", \"remark\""))
        #expect(try dta.storeBytes() == dtaBefore)
    }

    /// The cohort as a Stata file: the same families, strata and arms as from cohort.csv.
    @Test func aCohortFromStataAssignsAsFromCSV() throws {
        let csv = Session(root: try ImportCommandTests.workspace()), dta = Session(root: try ImportCommandTests.workspace())
        let designURL = dta.root.appendingPathComponent(Self.design)
        let text = try String(contentsOf: designURL, encoding: .utf8)
        let cohort = """
                file: ../fixtures/mission/cohort.csv
                identifier: { column: family_id, type: code }
                dialect: { format: delimited, separator: ",", encoding: utf-8, date_format: YYYY-MM-DD }
            """
        #expect(text.contains(cohort))
        try text.replacingOccurrences(of: cohort, with: """
                file: ../fixtures/mission/cohort.dta
                identifier: { column: family_id, type: code }
                dialect: { format: stata }
            """).write(to: designURL, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Fixtures.path("fixtures/statfiles/cohort.dta"), toPath: dta.file("cohort.dta"))
        for (s, file) in [(csv, "cohort.csv"), (dta, "cohort.dta")] {
            #expect(try s.run(["init", Self.design, "--store", Self.store]).status == 0)
            let a = try s.run(["assign", Self.design, "--cohort", "fixtures/mission/\(file)", "--store", Self.store])
            #expect(a.status == 0, "\(a.stderr)")
            #expect(a.stdout.contains("assigned 112 families (57 control, 55 intervention)"), "\(a.stdout)")
        }
        let x = try TrialStore.open(path: csv.storePath), y = try TrialStore.open(path: dta.storePath)
        #expect(try x.assignedUnits() == y.assignedUnits())
    }

    @Test func inspectDescribesSPSSAndStataFiles() throws {
        let sav = try RCTBinary.run(["inspect", "fixtures/mission/survey_m6.sav", "--rows", "2"])
        #expect(sav.status == 0, "\(sav.stderr)")
        #expect(sav.stdout.contains("fixtures/mission/survey_m6.sav: SPSS file, format 2, 98 cases, 11 variables"))
        #expect(sav.stdout.contains("dialect: { format: spss }"))
        #expect(sav.stdout.contains("labels: -9 \"geen antwoord\", -8 \"weet niet\", 0 \"nee\", 1 \"ja\"; missing: -9"))
        #expect(sav.stdout.contains("case 1: family_id=F0001 | interview_date=2019-09-07 | rights_leefloon=5"))
        let dta = try RCTBinary.run(["inspect", "fixtures/statfiles/cohort.dta", "--rows", "3"])
        #expect(dta.status == 0, "\(dta.stderr)")
        #expect(dta.stdout.contains("dialect: { format: stata }"))
        #expect(dta.stdout.contains("insz: national numbers (masked) → identifier: { column: insz, type: insz }"))
        #expect(dta.stdout.range(of: "[0-9]{9}", options: .regularExpression) == nil, "no national number printed")
    }
}
