import Basics
import Foundation
import StatFiles
import Testing
import TestSupport

/// Reading the fixtures that pyreadstat wrote (fixtures/statfiles/make_fixtures.py): every variable's
/// name, label, kind, value labels and missing rule, and every value, as the script put them there.
@Suite struct StatFileReaderTests {
    static func cases(_ reader: StatFileReader) throws -> [[StatValue]] {
        var out: [[StatValue]] = []
        while let c = try reader.nextCase() { out.append(c) }
        return out
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate { CalendarDate(year: y, month: m, day: d)! }

    @Test func spssVariablesLabelsAndMissingRules() throws {
        let r = try StatFileReader(path: Fixtures.path("fixtures/statfiles/labelled.sav"))
        #expect(r.format == .spss)
        #expect(r.caseCount == 5)
        #expect(r.fileLabel == "rct test fixture")
        #expect(r.variables.map(\.name) == ["id", "item", "income", "interview", "moment", "remark"])
        #expect(r.variables.map(\.kind) == [.text, .number, .number, .date, .dateTime, .text])
        #expect(r.variables.map(\.label) == ["Study code", "Kent het leefloon (1-5)", "Inkomen (euro)", "Datum interview", "Tijdstip", "Opmerking"])
        let item = r.variables[1]
        #expect(item.valueLabels[.number(-8)] == "weet niet")
        #expect(item.valueLabels[.number(5)] == "heel goed")
        #expect(item.valueLabels.count == 8)
        #expect(item.missingRanges == [-9.0 ... -8.0, 99.0 ... 99.0])
        #expect(item.missingRule == "-9 thru -8, 99")
        #expect(r.variables[3].format == "SDATE10")
    }

    @Test func spssValuesDatesAndDeclaredMissing() throws {
        let r = try StatFileReader(path: Fixtures.path("fixtures/statfiles/labelled.sav"))
        let rows = try Self.cases(r)
        #expect(rows.count == 5)
        let first: [StatValue] = [.text("S01"), .number(1), .number(1214.13), .date(Self.day(2018, 6, 30)),
                                  .dateTime(Self.day(2018, 6, 30), seconds: 50_700), .text("één")]
        #expect(rows[0] == first)
        #expect(rows[2][1] == .missing(.declared(.number(-9))))
        #expect(rows[2][2] == .missing(.system))
        #expect(rows[2][3] == .missing(.system))
        #expect(rows[3][1] == .missing(.declared(.number(-8))))
        #expect(rows[4][1] == .missing(.declared(.number(99))))
        #expect(rows[3][3] == .date(Self.day(1999, 12, 31)))
        #expect(rows[3][4] == .dateTime(Self.day(1999, 12, 31), seconds: 86_399))
        #expect(rows[4][3] == .date(Self.day(2020, 2, 29)))
        #expect(rows[3][5] == .text("a \"quoted\" text"))
        #expect(rows[1][5] == .text(""))
    }

    @Test func stataTaggedMissingWithLabels() throws {
        let r = try StatFileReader(path: Fixtures.path("fixtures/statfiles/labelled.dta"))
        #expect(r.format == .stata)
        #expect(r.formatVersion == 118)
        #expect(r.variables.map(\.kind) == [.text, .number, .number, .date, .dateTime, .text])
        let item = r.variables[1]
        #expect(item.valueLabels[.tagged("a")] == "weet niet")
        #expect(item.valueLabels[.tagged("b")] == "geen antwoord")
        #expect(item.valueLabels[.number(3)] == "enigszins")
        let rows = try Self.cases(r)
        #expect(rows.map { $0[1] } == [.number(1), .number(5), .missing(.tagged("a")), .missing(.tagged("b")), .number(3)])
        #expect(rows[0][3] == .date(Self.day(2018, 6, 30)))
        #expect(rows[1][4] == .dateTime(Self.day(2019, 1, 2), seconds: 1))
        #expect(rows[2][3] == .missing(.system))
        #expect(rows[0][5] == .text("één"))
    }

    /// Reading in chunks of any size gives the same cases (ReadStat's row offset and limit).
    @Test(arguments: [1, 2, 3, 5, 50_000])
    func chunksGiveTheSameCases(size: Int) throws {
        for file in ["fixtures/statfiles/labelled.sav", "fixtures/statfiles/labelled.dta", "fixtures/mission/survey_m6.sav"] {
            let whole = try Self.cases(StatFileReader(path: Fixtures.path(file)))
            let chunked = try Self.cases(StatFileReader(path: Fixtures.path(file), chunkSize: size))
            #expect(chunked == whole, "\(file) in chunks of \(size)")
        }
    }

    @Test func detectsEachFormatFromItsFirstBytes() throws {
        #expect(StatFileFormat.detect(path: Fixtures.path("fixtures/statfiles/labelled.sav")) == .spss)
        #expect(StatFileFormat.detect(path: Fixtures.path("fixtures/statfiles/labelled.dta")) == .stata)
        #expect(StatFileFormat.detect(path: Fixtures.path("fixtures/mission/survey_m6.csv")) == nil)
        #expect(StatFileFormat.detect(Array("$FL3@(#) IBM SPSS".utf8)) == .spss)
        #expect(StatFileFormat.detect([115, 2, 1, 0, 5, 0]) == .stata)
        #expect(StatFileFormat.detect(Array("family_id,insz".utf8)) == nil)
    }

    @Test func aTruncatedFileIsAnErrorThatNamesIt() throws {
        let dir = try Fixtures.temporaryDirectory("statfiles-bad")
        let whole = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/mission/survey_m6.sav")))
        for keep in [100, whole.count / 2, whole.count - 40] {
            let path = dir.appendingPathComponent("cut-\(keep).sav").path
            try whole.prefix(keep).write(to: URL(fileURLWithPath: path))
            #expect {
                let r = try StatFileReader(path: path)
                _ = try Self.cases(r)
            } throws: { error in
                guard let e = error as? StatFileError, case .parse = e else { return false }
                return e.description.hasPrefix("\(path): cannot be read as an SPSS file") && e.description.contains("cut short")
            }
        }
    }

    @Test func aTextFileIsNotTakenForEither() throws {
        let csv = Fixtures.path("fixtures/mission/survey_m6.csv")
        #expect(throws: StatFileError.notStatFile(path: csv, expected: .spss, found: "it starts with text: \"family_id,interview_date…\"")) {
            try StatFileReader(path: csv, format: .spss)
        }
        #expect(throws: StatFileError.notStatFile(path: Fixtures.path("fixtures/statfiles/labelled.sav"), expected: .stata, found: "it is an SPSS file")) {
            try StatFileReader(path: Fixtures.path("fixtures/statfiles/labelled.sav"), format: .stata)
        }
        #expect(throws: StatFileError.unreadable(path: "/nonexistent/x.sav")) { try StatFileReader(path: "/nonexistent/x.sav") }
    }
}

@Suite struct ReadStatLibraryTests {
    /// The version comes from the shared library's file name; on Debian's libreadstat1 it is 1.1.8.
    @Test func theLibraryNamesItsVersion() throws {
        let version = try #require(ReadStatLibrary.version)
        #expect(version.split(separator: ".").count == 3)
        #expect(ReadStatLibrary.name == "ReadStat \(version)")
    }
}
