import Foundation
import Tabular
import Testing
import TestSupport

/// Every input is looked at before anything is drawn: `rct validate` names the files that cannot be used
/// (missing, in another dialect than declared, without a mapped column) with the source and the design
/// line, `--no-files` skips them, and `rct run` stops on them without creating the store.
@Suite struct InputCheckTests {
    static let design = "designs/mission-kortrijk.yaml"

    func lineOf(_ needle: String, in root: URL) throws -> Int {
        let text = try String(contentsOf: root.appendingPathComponent(Self.design), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        return try #require(lines.firstIndex { $0.contains(needle) }) + 1
    }

    @Test func aMistypedPathStopsValidateAndRunBeforeAnythingIsDrawn() throws {
        let root = try Fixtures.missionTrialCopy("rct-inputs-path") { $0.replacingOccurrences(of: "vdab_status.csv", with: "vdab_stats.csv") }
        let line = try lineOf("vdab_stats.csv", in: root)
        let v = try RCTBinary.run(["validate", Self.design], currentDirectory: root)
        #expect(v.status == 1)
        #expect(v.stderr.contains("1 input cannot be used"), "\(v.stderr)")
        #expect(v.stderr.contains("source vdab, design line \(line): fixtures/mission/vdab_stats.csv does not exist"), "\(v.stderr)")
        let designOnly = try RCTBinary.run(["validate", Self.design, "--no-files"], currentDirectory: root)
        #expect(designOnly.status == 0, "\(designOnly.stderr)")

        let run = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("nothing was drawn or stored") && run.stderr.contains("vdab_stats.csv does not exist"), "\(run.stderr)")
        let fm = FileManager.default
        #expect(!fm.fileExists(atPath: root.appendingPathComponent("designs/mission-kortrijk.sqlite").path), "no store was created")
        #expect(!fm.fileExists(atPath: root.appendingPathComponent("out").path))

        // Corrected, the same design runs.
        let fixed = try String(contentsOf: root.appendingPathComponent(Self.design), encoding: .utf8)
            .replacingOccurrences(of: "vdab_stats.csv", with: "vdab_status.csv")
        try fixed.write(to: root.appendingPathComponent(Self.design), atomically: true, encoding: .utf8)
        let again = try RCTBinary.run(["validate", Self.design], currentDirectory: root)
        #expect(again.status == 0 && again.stdout.contains("the files of all 10 sources exist"), "\(again.stderr)")
    }

    @Test func anOCMWFileSavedAsUTF8WhereTheDesignSaysWindows1252() throws {
        let root = try Fixtures.missionTrialCopy("rct-inputs-encoding")
        let file = root.appendingPathComponent("fixtures/mission/ocmw_steun.csv")
        let text = try #require(CharacterEncoding.windows1252.decode([UInt8](try Data(contentsOf: file))))
        try Data(text.utf8).write(to: file)
        let dialectLine = try lineOf("encoding: windows-1252, date_format: DD/MM/YYYY", in: root)
        let v = try RCTBinary.run(["validate", Self.design], currentDirectory: root)
        #expect(v.status == 1)
        #expect(v.stderr.contains("source ocmw_aid, design line \(dialectLine): fixtures/mission/ocmw_steun.csv: source ocmw_aid declares (design line \(dialectLine)) encoding: windows-1252, but the file looks like UTF-8 text"), "\(v.stderr)")
        #expect(v.stderr.contains("Change the dialect to encoding: utf-8"))

        // `rct import` stops on it too, before a row is stored.
        let initialised = try RCTBinary.run(["init", Self.design], currentDirectory: root)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let assigned = try RCTBinary.run(["assign", Self.design, "--cohort", "fixtures/mission/cohort.csv"], currentDirectory: root)
        #expect(assigned.status == 0, "\(assigned.stderr)")
        let imported = try RCTBinary.run(["import", Self.design, "--source", "ocmw_aid"], currentDirectory: root)
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("looks like UTF-8 text") && imported.stderr.contains("Nothing was imported"), "\(imported.stderr)")
        #expect(!imported.stderr.contains("unknown"), "no rows set aside as unknown kinds")
        let listed = try RCTBinary.run(["import", Self.design], currentDirectory: root)
        #expect(listed.status == 1 && listed.stdout.isEmpty, "every source is checked before the first is imported: \(listed.stdout)")
    }

    @Test func aColumnTheDesignMapsIsNotInTheHeader() throws {
        let root = try Fixtures.missionTrialCopy("rct-inputs-column") { $0.replacingOccurrences(of: "amount: bedrag }", with: "amount: bedrag_eur }") }
        let v = try RCTBinary.run(["validate", Self.design], currentDirectory: root)
        #expect(v.status == 1)
        #expect(v.stderr.contains("needs the field \"amount\" in column \"bedrag_eur\""), "\(v.stderr)")
    }
}
