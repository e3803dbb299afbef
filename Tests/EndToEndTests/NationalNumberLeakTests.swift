import Foundation
import Testing
import TestSupport

/// No national number in any output (issue 20, item 4): an extract without its header line, and a
/// survey answer that holds a national number, leave none in the messages, the rejected-rows files or
/// the store.
@Suite struct NationalNumberLeakTests {
    static let design = "designs/mission-kortrijk.yaml"

    @Test func noNationalNumberInMessagesFilesOrTheStore() throws {
        let root = try Fixtures.missionTrialCopy("rct-nn-leak")
        let first = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root)
        #expect(first.status == 0, "\(first.stderr)")

        // An extract whose header line was lost: the error names columns from the first data row.
        let vdab = root.appendingPathComponent("fixtures/mission/vdab_status.csv")
        // (Lines end in CRLF, as the registry's exports do; read as LF here.)
        let lines = try String(contentsOf: vdab, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        let firstNumber = try #require(lines[1].components(separatedBy: "|").first)
        try lines.dropFirst().joined(separator: "\n").write(to: vdab, atomically: true, encoding: .utf8)
        let headerless = try RCTBinary.run(["import", Self.design, "--source", "vdab", "--replace"], currentDirectory: root)
        #expect(headerless.status == 1)
        #expect(!headerless.stderr.contains(firstNumber), "\(headerless.stderr)")

        // A survey answer with a national number, bare and printed.
        let survey = root.appendingPathComponent("fixtures/mission/survey_m12.csv")
        var rows = try String(contentsOf: survey, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        func put(_ row: Int, _ value: String) {
            var cells = rows[row].components(separatedBy: ",")
            cells[8] = value
            rows[row] = cells.joined(separator: ",")
        }
        put(1, "85073003328")
        put(2, "90.01.01-123.95")
        try rows.joined(separator: "\n").write(to: survey, atomically: true, encoding: .utf8)
        let imported = try RCTBinary.run(["import", Self.design, "--source", "survey_m12", "--replace"], currentDirectory: root)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("national_number_outside_identifier"), "\(imported.stdout)")
        let run = try RCTBinary.run(["report", Self.design, "--out", "out"], currentDirectory: root)
        let outputs = [headerless.stdout, headerless.stderr, imported.stdout, imported.stderr, run.stdout, run.stderr]
        let rejected = (try? String(contentsOf: root.appendingPathComponent("out/internal/panel/rejected/survey_m12.csv"), encoding: .utf8)) ?? ""
        let store = try Data(contentsOf: root.appendingPathComponent("designs/mission-kortrijk.sqlite"))
        for n in ["85073003328", "90010112395", "90.01.01-123.95", firstNumber] {
            for (i, text) in (outputs + [rejected]).enumerated() { #expect(!text.contains(n), "output \(i) holds \(n)") }
            #expect(store.range(of: Data(n.utf8)) == nil, "the store holds \(n)")
            // Stored as a number, 85073003328 would read 8.5073003328e10 in the store's JSON.
            #expect(store.range(of: Data("8.5073003328".utf8)) == nil)
        }
    }

    /// A national number typed into a design's free text (the title, an outcome's label, a comment): a
    /// design is published and kept in the store, so it is refused, naming the lines, before anything is
    /// written; no output, message or store holds the number. (Synthetic numbers: sequence 999, never issued.)
    @Test func aDesignThatHoldsANationalNumberIsRefusedBeforeAnythingIsWritten() throws {
        let bare = "90061599995", printed = "88.04.12-999.32"
        let root = try Fixtures.missionTrialCopy("rct-nn-design") { design in
            design.replacingOccurrences(of: "title: \"MISSION: outreaching", with: "title: \"MISSION (contact \(printed)): outreaching")
                .replacingOccurrences(of: "label: Receives the leefloon (minimum income)", with: "label: Receives the leefloon (e.g. \(bare))")
                .replacingOccurrences(of: "trial:\n", with: "# asked by the parent with number \(bare)\ntrial:\n")
        }
        let text = try String(contentsOf: root.appendingPathComponent(Self.design), encoding: .utf8)
        #expect(text.contains(bare) && text.contains(printed), "the edits took")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let expected = lines.indices.filter { lines[$0].contains(bare) || lines[$0].contains(printed) }.map { $0 + 1 }
        #expect(expected.count == 3)

        let run = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root)
        #expect(run.status == 1)
        for line in expected {
            #expect(run.stderr.contains("\(Self.design):\(line):"), "line \(line): \(run.stderr)")
        }
        #expect(run.stderr.contains("this line holds a national number ([national number]): a design is published, registered and kept"))
        let validate = try RCTBinary.run(["validate", Self.design], currentDirectory: root)
        #expect(validate.status == 1 && validate.stderr.contains("holds a national number"), "\(validate.stderr)")

        var written = [run.stdout, run.stderr, validate.stdout, validate.stderr]
        for folder in ["out", "designs"] {
            let dir = root.appendingPathComponent(folder)
            for case let url as URL in FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) ?? .init()
                where url.lastPathComponent != "mission-kortrijk.yaml" {
                if let data = try? Data(contentsOf: url) { written.append(String(decoding: data, as: UTF8.self)) }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("designs/mission-kortrijk.sqlite").path),
                "no store is created from a refused design")
        for n in [bare, printed, "90.06.15-999.95", "88041299932"] {
            for (i, t) in written.enumerated() { #expect(!t.contains(n), "output \(i) holds \(n)") }
        }
    }

    @Test func aNationalNumberInARegistryColumnIsSetAsideNotStored() throws {
        let root = try Fixtures.missionTrialCopy("rct-nn-registry")
        #expect(try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root).status == 0)
        // The VDAB extract's status column (kept for the outcomes' filters) holds a national number on one row,
        // in its printed form on another.
        let vdab = root.appendingPathComponent("fixtures/mission/vdab_status.csv")
        var lines = try String(contentsOf: vdab, encoding: .utf8).components(separatedBy: "\r\n")
        for (row, value) in [(5, "85073003328"), (9, "90.01.01-123.95")] {
            var cells = lines[row].components(separatedBy: "|")
            cells[3] = value
            lines[row] = cells.joined(separator: "|")
        }
        try lines.joined(separator: "\r\n").write(to: vdab, atomically: true, encoding: .utf8)
        let imported = try RCTBinary.run(["import", Self.design, "--source", "vdab", "--replace"], currentDirectory: root)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("national_number_outside_identifier 2"), "\(imported.stdout)")
        #expect(imported.stdout.contains("column \"trajectstatus\" holds a national number"))
        let quarantine = try RCTBinary.run(["import", Self.design, "--quarantine", "vdab"], currentDirectory: root)
        let report = try RCTBinary.run(["run", Self.design, "--out", "out"], currentDirectory: root)
        #expect(report.status == 0, "\(report.stderr)")
        let store = try Data(contentsOf: root.appendingPathComponent("designs/mission-kortrijk.sqlite"))
        for n in ["85073003328", "90.01.01-123.95", "90010112395"] {
            for text in [imported.stdout, imported.stderr, quarantine.stdout, quarantine.stderr, report.stdout, report.stderr] {
                #expect(!text.contains(n), "an output holds \(n)")
            }
            #expect(store.range(of: Data(n.utf8)) == nil, "the store holds \(n)")
        }
        for file in try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("out").path) {
            let data = (try? Data(contentsOf: root.appendingPathComponent("out").appendingPathComponent(file))) ?? Data()
            #expect(data.range(of: Data("85073003328".utf8)) == nil, "out/\(file) holds a national number")
        }
    }
}
