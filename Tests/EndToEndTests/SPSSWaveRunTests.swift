import Foundation
import Testing
import TestSupport

/// The bundled demo with its 6-month survey as an SPSS file (fixtures/mission/survey_m6.sav, written by
/// pyreadstat with value labels, "-9" declared user-missing and "weet niet" as a labelled code) gives the
/// same run as with survey_m6.csv: the same effects, panel, CONSORT counts, figures and report, apart
/// from the input's fingerprint in the report's provenance.
@Suite struct SPSSWaveRunTests {
    static let csvSource = """
            file: ../fixtures/mission/survey_m6.csv
            identifier: { column: family_id, type: code }
            dialect: { format: delimited, separator: ",", encoding: utf-8, date_format: YYYY-MM-DD }
        """

    @Test func theDemoFromTheSPSSWaveReportsWhatTheCSVWaveReports() throws {
        let csv = try Fixtures.missionTrialCopy("rct-run-csv-wave")
        let sav = try Fixtures.missionTrialCopy("rct-run-sav-wave") { design in
            precondition(design.contains(Self.csvSource))
            return design.replacingOccurrences(of: Self.csvSource, with: """
                    file: ../fixtures/mission/survey_m6.sav
                    identifier: { column: family_id, type: code }
                    dialect: { format: spss }
                """)
        }
        let a = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: csv)
        let b = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: sav)
        #expect(a.status == 0 && b.status == 0, "\(b.stderr)")
        // The assignment chain's head hashes the design file too, so it differs with it.
        func masked(_ s: String) -> String { s.replacingOccurrences(of: "[0-9a-f]{64}", with: "<sha256>", options: .regularExpression) }
        #expect(masked(a.stdout) == masked(b.stdout))
        #expect(b.stderr.contains("import survey_m6: imported, 98 rows read, 98 accepted, 0 rejected"))
        for file in ["publish/effects.csv", "publish/effects.md", "publish/effects.tex", "publish/consort.svg", "publish/forest.svg",
                     "publish/counts.json", "internal/panel/panel_wide.csv", "internal/panel/panel_long.csv", "internal/panel/consort.json",
                     "internal/panel/data_dictionary.md", "internal/panel/data_dictionary.csv", "internal/panel/rejected"] {
            let x = csv.appendingPathComponent("out/\(file)"), y = sav.appendingPathComponent("out/\(file)")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: x.path, isDirectory: &isDirectory), isDirectory.boolValue {
                #expect(try FileManager.default.contentsOfDirectory(atPath: x.path).sorted()
                    == FileManager.default.contentsOfDirectory(atPath: y.path).sorted())
                continue
            }
            #expect(try Data(contentsOf: x) == Data(contentsOf: y), "out/\(file) differs")
        }
        // The report: the same but for the fingerprints of the design and the wave's file in its provenance.
        func report(_ root: URL) throws -> String {
            masked(try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8))
        }
        let reportCSV = try report(csv), reportSAV = try report(sav)
        #expect(reportCSV == reportSAV)
        #expect(reportCSV.contains("Data survey_m6: SHA-256 <sha256>"))
    }
}
