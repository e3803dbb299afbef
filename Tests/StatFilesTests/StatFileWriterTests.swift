import Basics
import Foundation
import StatFiles
import Testing
import TestSupport

/// Tables written through ReadStat read back (with the same library: pyreadstat reads them in the panel
/// export's tests) with every value, label and value label, in both formats.
@Suite struct StatFileWriterTests {
    static let table = StatTable(
        columns: [
            StatColumn(name: "family_id", label: "Unit identifier", kind: .text),
            StatColumn(name: "arm", label: "Arm", kind: .number, valueLabels: [(0, "control"), (1, "intervention")], nominal: true),
            StatColumn(name: "assigned_on", label: "Assignment date", kind: .date),
            StatColumn(name: "leefloon", label: "Receives the leefloon (minimum income)", kind: .number,
                       valueLabels: [(0, "no"), (1, "yes")], nominal: true),
            StatColumn(name: "amount", label: String(repeating: "é", count: 90), kind: .number),
            StatColumn(name: "status", label: "Status of leefloon", kind: .text),
            StatColumn(name: "social", label: "Social housing", kind: .number, valueLabels: [(0, "no"), (1, "yes")], nominal: true),
        ],
        rows: [
            [.text("F0001"), .number(0), .date(CalendarDate(year: 2018, month: 1, day: 31)!), .number(1), .number(1214.13), .text("observed"), .number(0)],
            [.text("F0002"), .number(1), .date(CalendarDate(year: 1960, month: 1, day: 1)!), .missing, .number(0.1), .text("censored"), .missing],
            [.text("F0003 ë"), .number(1), .missing, .number(0), .missing, .missing, .number(1)],
        ],
        label: "MISSION panel", notes: ["written by a test"])

    @Test(arguments: StatFileFormat.allCases)
    func writtenTablesReadBack(format: StatFileFormat) throws {
        let dir = try Fixtures.temporaryDirectory("statfiles-write")
        let path = dir.appendingPathComponent("panel.\(format.fileExtension)").path
        try StatFileWriter.write(Self.table, as: format, to: path)
        let r = try StatFileReader(path: path)
        #expect(r.format == format)
        #expect(r.caseCount == 3)
        #expect(r.fileLabel == "MISSION panel")
        #expect(r.variables.map(\.name) == Self.table.columns.map(\.name))
        #expect(r.variables.map(\.kind) == [.text, .number, .date, .number, .number, .text, .number])
        #expect(r.variables[3].label == "Receives the leefloon (minimum income)")
        // Stata keeps 80 characters of a variable label; SPSS all of these.
        #expect(r.variables[4].label == (format == .stata ? String(repeating: "é", count: 79) + "…" : String(repeating: "é", count: 90)))
        #expect(r.variables[1].valueLabels == [.number(0): "control", .number(1): "intervention"])
        #expect(r.variables[3].valueLabels == [.number(0): "no", .number(1): "yes"])
        #expect(r.variables[6].valueLabels == [.number(0): "no", .number(1): "yes"])
        var rows: [[StatValue]] = []
        while let c = try r.nextCase() { rows.append(c) }
        let expected: [[StatValue]] = [
            [.text("F0001"), .number(0), .date(CalendarDate(year: 2018, month: 1, day: 31)!), .number(1), .number(1214.13), .text("observed"), .number(0)],
            [.text("F0002"), .number(1), .date(CalendarDate(year: 1960, month: 1, day: 1)!), .missing(.system), .number(0.1), .text("censored"),
             .missing(.system)],
            [.text("F0003 ë"), .number(1), .missing(.system), .number(0), .missing(.system), .text(""), .number(1)],
        ]
        #expect(rows == expected)
    }

    @Test func aNameTheFormatRefusesIsAnErrorNamingTheFile() throws {
        let dir = try Fixtures.temporaryDirectory("statfiles-write")
        let path = dir.appendingPathComponent("bad.dta").path
        let bad = StatTable(columns: [StatColumn(name: "1st", kind: .number)], rows: [[.number(1)]])
        #expect {
            try StatFileWriter.write(bad, as: .stata, to: path)
        } throws: { error in
            (error as? StatFileError)?.description.hasPrefix("\(path): cannot be written as a Stata file") ?? false
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// A table whose rows a closure produces (as the panel's, read from the wide text) is written the same
    /// as one held in memory; the writer walks it twice (widths, then cells).
    @Test(arguments: StatFileFormat.allCases)
    func streamedRowsWriteTheSameFile(format: StatFileFormat) throws {
        let dir = try Fixtures.temporaryDirectory("statfiles-write")
        let rows = try Self.table.allRows()
        let streamed = StatTable(columns: Self.table.columns, rowCount: rows.count, label: Self.table.label, notes: Self.table.notes) { body in
            for row in rows { try body(row) }
        }
        let a = dir.appendingPathComponent("memory.\(format.fileExtension)").path
        let b = dir.appendingPathComponent("streamed.\(format.fileExtension)").path
        try StatFileWriter.write(Self.table, as: format, to: a)
        try StatFileWriter.write(streamed, as: format, to: b)
        // Stata stamps the time of writing in the header: compare what the files hold.
        let ra = try StatFileReader(path: a), rb = try StatFileReader(path: b)
        #expect(ra.variables == rb.variables && ra.caseCount == rb.caseCount)
        var ca: [[StatValue]] = [], cb: [[StatValue]] = []
        while let c = try ra.nextCase() { ca.append(c) }
        while let c = try rb.nextCase() { cb.append(c) }
        #expect(ca == cb && ca.count == 3)
    }

    /// A failed write leaves the file that was there before, and no partial file beside it.
    @Test(arguments: StatFileFormat.allCases)
    func aFailedWriteLeavesTheEarlierFile(format: StatFileFormat) throws {
        let dir = try Fixtures.temporaryDirectory("statfiles-write")
        let path = dir.appendingPathComponent("panel.\(format.fileExtension)").path
        try StatFileWriter.write(Self.table, as: format, to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let columns = [StatColumn(name: "id", kind: .text), StatColumn(name: "x", kind: .number)]
        // More rows than announced.
        let tooMany = StatTable(columns: columns, rowCount: 1) { body in
            try body([.text("a"), .number(1)])
            try body([.text("b"), .number(2)])
        }
        // Fewer rows than announced.
        let tooFew = StatTable(columns: columns, rowCount: 3) { body in try body([.text("a"), .number(1)]) }
        // A text longer than the width the caller declared.
        var narrow = columns
        narrow[0].width = 2
        let tooLong = StatTable(columns: narrow, rowCount: 1) { body in try body([.text("abc"), .number(1)]) }
        for (table, words) in [(tooMany, "more than its 1 rows"), (tooFew, "ReadStat"), (tooLong, "longer than the column's declared width of 2")] {
            #expect {
                try StatFileWriter.write(table, as: format, to: path)
            } throws: { error in
                let text = (error as? StatFileError)?.description ?? ""
                return text.hasPrefix("\(path): cannot be written as \(format.withArticle) file") && text.contains(words)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func namesEachFormatAccepts() {
        let names = ["family_id", "supplementary_price_reduction_status", "supplementary_price_reduction", "1st wave", "in", "BY",
                     "x.y", "Arm", "arm", "a_very_long_name_that_goes_on_and_on_and_on", "a_very_long_name_that_goes_on_and_on_and_on_too"]
        #expect(StatNames.valid(names, for: .stata) == [
            "family_id", "supplementary_price_reduction_st", "supplementary_price_reduction", "v1st_wave", "in_", "BY", "x_y", "Arm", "arm",
            "a_very_long_name_that_goes_on_an", "a_very_long_name_that_goes_on_2"])
        #expect(StatNames.valid(names, for: .spss) == [
            "family_id", "supplementary_price_reduction_status", "supplementary_price_reduction", "v1st_wave", "in", "BY_", "x.y", "Arm",
            "arm_2", "a_very_long_name_that_goes_on_and_on_and_on", "a_very_long_name_that_goes_on_and_on_and_on_too"])
    }
}
