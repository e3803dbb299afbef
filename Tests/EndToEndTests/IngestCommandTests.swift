import Foundation
import Testing
import TestSupport

/// `rct simulate` and `rct inspect` end to end: stdout, stderr and exit code, and no national number of
/// the input in any output.
@Suite struct IngestCommandTests {
    /// Every run of 11 digits in a file (the national numbers it holds).
    static func elevenDigitRuns(_ path: String) throws -> Set<String> {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var out: Set<String> = [], run: [UInt8] = []
        for b in bytes + [0x20] {
            if b >= 48 && b <= 57 { run.append(b); continue }
            if run.count == 11 { out.insert(String(decoding: run, as: UTF8.self)) }
            run.removeAll()
        }
        return out
    }

    @Test func simulateWritesTheDesignsFilesAndPrintsNoNationalNumber() throws {
        let dir = try Fixtures.temporaryDirectory("simulate-e2e")
        let r = try RCTBinary.run(["simulate", "designs/mission-kortrijk.yaml", "--seed", "8", "--out", dir.path])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout.contains("simulated mission-kortrijk (generator mt19937, seed 8)"))
        #expect(r.stdout.contains("160 families screened, 112 eligible, randomised: control 57, intervention 55"))
        #expect(r.stdout.contains("  ocmw_steun.csv: 667 rows, 25 of them corrections\n"))
        #expect(r.stdout.contains("planted errors: ocmw_leefloon.csv:"))
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(files == ["cohort.csv", "assignment_planted.csv", "ocmw_leefloon.csv", "ocmw_steun.csv", "federal_statements.txt",
                          "vdab_status.csv", "survey_baseline.csv", "survey_m6.csv", "survey_m12.csv", "pseudonym.key", "truth.json",
                          "case_management.csv", "scope_exits.csv"])
        let numbers = try Self.elevenDigitRuns(dir.appendingPathComponent("cohort.csv").path)
        #expect(numbers.count == 160)
        for n in numbers { #expect(!r.stdout.contains(n)) }
    }

    @Test func simulateRefusesATinyCohort() throws {
        let r = try RCTBinary.run(["simulate", "designs/mission-kortrijk.yaml", "--seed", "1", "--out", "/tmp/x", "--families", "2"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Please give --families between 4 and 100000 (found 2)."))
        #expect(r.stdout == "")
    }

    @Test func simulateIntoAFolderThatCannotBeWrittenFails() throws {
        let r = try RCTBinary.run(["simulate", "designs/mission-kortrijk.yaml", "--seed", "1", "--out", "/proc/rct-cannot-write"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("rct simulate: cannot write the data set into /proc/rct-cannot-write"))
        #expect(r.stdout == "")
    }

    @Test func inspectSuggestsTheDeclaredDialectAndMasksNationalNumbers() throws {
        for (file, line) in [
            ("ocmw_steun.csv", "dialect: { format: delimited, separator: \";\", decimal: \",\", thousands: \".\", encoding: windows-1252, header: true, date_format: DD/MM/YYYY }"),
            ("ocmw_leefloon.csv", "dialect: { format: delimited, separator: \";\", decimal: \",\", encoding: utf-8, header: true, date_format: YYYY-MM }"),
            ("vdab_status.csv", "dialect: { format: delimited, separator: \"|\", encoding: utf-8, header: true, date_format: YYYYMM }"),
            ("federal_statements.txt", "dialect: { format: fixed_width, encoding: utf-8, header: false }"),
        ] {
            let path = "fixtures/mission/\(file)"
            let r = try RCTBinary.run(["inspect", path, "--rows", "50"])
            #expect(r.status == 0, "\(file)")
            #expect(r.stderr == "")
            #expect(r.stdout.contains(line), "\(file): \(r.stdout)")
            for n in try Self.elevenDigitRuns(Fixtures.path(path)) { #expect(!r.stdout.contains(n), "\(file) printed a national number") }
        }
        let aid = try RCTBinary.run(["inspect", "fixtures/mission/ocmw_steun.csv", "--rows", "1"])
        #expect(aid.stdout.contains("line 2: rijksregisternummer=<masked> | beslissingsdatum="))
        #expect(aid.stdout.contains("  rijksregisternummer: national numbers (masked) → identifier: { column: rijksregisternummer, type: insz }\n"))
        // (beslissingsdatum holds the planted impossible date 31/02/2018 within the first 200 lines, so it reads as text.)
        #expect(aid.stdout.contains("  begindatum: dates (DD/MM/YYYY)\n"))
        #expect(aid.stdout.contains("  soort_steun: codes \"AFS eenmalig\", \"AFS prijsvermindering\", \"AFS structureel\", \"Art. 60§7\""))
        #expect(aid.stdout.contains("  bedrag: amounts\n"))
        let survey = try RCTBinary.run(["inspect", "fixtures/mission/survey_m6.csv", "--rows", "0"])
        #expect(survey.stdout.contains("  household_income: whole numbers, also \"weet niet\" (missing codes?)\n"))
        #expect(survey.stdout.contains("  interview_date: dates (YYYY-MM-DD)\n"))
        let statements = try RCTBinary.run(["inspect", "fixtures/mission/federal_statements.txt", "--rows", "1"])
        #expect(statements.stdout.contains("    99999999999999999999999999999999999999999999999999+999999999\n"))
    }

    /// A file in forms the bundled trial does not use (days as DD.MM.YYYY, months as MM/YYYY): inspect
    /// names both forms and suggests the source entry to paste, with the identifier and the fields to name.
    @Test func inspectSuggestsTheSourceLinesForOtherDateForms() throws {
        let dir = try Fixtures.temporaryDirectory("inspect-forms")
        let path = dir.appendingPathComponent("uitkeringen.csv").path
        let rows = (1...20).map { i in "93051822361;0\(i % 9 + 1).0\(i % 9 + 1).2019;\(i % 12 + 1 < 10 ? "0" : "")\(i % 12 + 1)/2019;\(i * 13),50" }
        try (["insz;datum;maand;bedrag"] + rows).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["inspect", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("date_format: DD.MM.YYYY, month_format: MM/YYYY }"), "\(r.stdout)")
        #expect(r.stdout.contains("  datum: dates (DD.MM.YYYY)\n"))
        #expect(r.stdout.contains("  maand: months (MM/YYYY)\n"))
        #expect(r.stdout.contains("    identifier: { column: insz, type: insz }\n"))
        #expect(r.stdout.contains("    columns: { DATE_FIELD: datum, MONTH_FIELD: maand, amount: bedrag }"))
        #expect(!r.stdout.contains("93051822361"))
    }

    @Test func inspectOfAMissingFileFails() throws {
        let r = try RCTBinary.run(["inspect", "no/such/file.csv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot read no/such/file.csv"))
        #expect(r.stdout == "")
    }
}
