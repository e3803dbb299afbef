import Foundation
import Testing

/// `panel-bench` (the panel task of `make bench`) on three hand-made families whose outcomes are
/// worked out by hand from docs/panel.md: months counted from the assignment day, a VDAB status covering its
/// calendar month, an OCMW decision counted on its start day.
@Suite struct PanelBenchCommandTests {
    static let families = """
        family_id,pseudonym,assignment_date,z
        F1,PA,2019-03-01,0
        F2,PB,2019-03-15,1
        F3,PC,2019-06-10,0

        """
    // F1 (day 1): family months are calendar months; m6 = Mar–Aug 2019, m12 = Sep 2019–Feb 2020.
    // F2 (day 15): month k = [15th of Mar + k − 1, 14th of Mar + k]; a calendar month r after March overlaps
    // family months r and r + 1, so September (r = 6) counts in month 6 (m6) and month 7 (m12), March 2020
    // (r = 12) in month 12, April 2020 (r = 13) in months 13–14 only (outside both windows).
    static let vdab = """
        pseudonym|maand|categorie|trajectstatus
        PA|201902|00|
        PA|201903|00|training
        PA|201904|10|
        PA|201908|02|
        PA|201909|04|trajectory
        PA|202002|00|
        PA|202003|00|training
        PB|201902|00|training
        PB|201903|10|
        PB|201909|00|
        PB|202003|00|
        PB|202004|00|training
        PZ|201909|00|training

        """
    // F1: one-off on its assignment day (month 1), medical card on 31 Aug (month 6), structural on 1 Sep (month 7).
    // F2: 14 Mar 2019 is the day before assignment (excluded); 15 Mar is month 1; 14 Sep is month 6; 15 Sep month 7;
    // 14 Mar 2020 month 12; 15 Mar 2020 month 13 (excluded).
    static let ocmw = """
        pseudonym;soort_steun;begindatum;bedrag
        PA;supplementary_one_off;01/03/2019;100,50
        PA;medical_card;31/08/2019;10,00
        PA;supplementary_structural;01/09/2019;200,25
        PB;supplementary_one_off;14/03/2019;50,00
        PB;supplementary_structural;15/03/2019;75,25
        PB;art60;14/09/2019;0,00
        PB;budget_guidance;15/09/2019;0,00
        PB;supplementary_price_reduction;14/03/2020;30,00
        PB;supplementary_one_off;15/03/2020;99,00

        """

    func write(_ dir: URL, vdab: String = Self.vdab) throws -> [String] {
        let files = [("families.csv", Self.families), ("vdab.csv", vdab), ("ocmw.csv", Self.ocmw)]
        return try files.map { name, text in
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
    }

    /// The panel of the files above, checked by hand, sorted by family and wave.
    static let expectedTable = """
        family_id,z,wave,employment_programme,job_seeker_months,supplementary_aid,supplementary_amount,medical_card,budget_guidance,art60_employment
        F1,0,m6,1,0.3333333333333333,1,100.5,1,0,0
        F1,0,m12,1,0.3333333333333333,1,200.25,0,0,0
        F2,1,m6,0,0.16666666666666666,1,75.25,0,0,1
        F2,1,m12,0,0.3333333333333333,1,30,0,1,0
        F3,0,m6,0,0,0,0,0,0,0
        F3,0,m12,0,0,0,0,0,0,0

        """

    @Test func derivesTheHandCheckedPanel() throws {
        let dir = try PanelBenchBinary.temporaryDirectory("rct-panel-bench")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("panel.csv").path
        let r = try PanelBenchBinary.run((try write(dir)) + ["--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        #expect(csv == Self.expectedTable)
        // The JSON line the benchmark driver reads: rows and column sums (7/6 job-seeker months, 406 euro).
        let line = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("{\"rows\": 6, \"sums\": {\"employment_programme\": 2.0000, \"job_seeker_months\": 1.1667, "
            + "\"supplementary_aid\": 4.0000, \"supplementary_amount\": 406.0000, \"medical_card\": 1.0000, "
            + "\"budget_guidance\": 1.0000, \"art60_employment\": 1.0000}, \"seconds_compute\": "), "\(line)")
        let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect((json?["seconds_compute"] as? Double).map { $0 >= 0 } == true)
    }

    /// The same files with their lines in another order (families not by id, a person's VDAB and OCMW rows
    /// not together, no final line feed): the same table, sorted by family and wave.
    @Test func orderOfTheLinesDoesNotMatter() throws {
        let dir = try PanelBenchBinary.temporaryDirectory("rct-panel-bench")
        defer { try? FileManager.default.removeItem(at: dir) }
        func shuffled(_ text: String, _ order: [Int], finalNewline: Bool) -> String {
            let lines = text.split(separator: "\n").map(String.init)
            let body = ([lines[0]] + order.map { lines[$0] }).joined(separator: "\n")
            return finalNewline ? body + "\n" : body
        }
        let families = shuffled(Self.families, [3, 1, 2], finalNewline: true)
        let vdab = shuffled(Self.vdab, [8, 1, 13, 9, 2, 3, 10, 4, 5, 11, 6, 12, 7], finalNewline: false)
        let ocmw = shuffled(Self.ocmw, [4, 1, 9, 2, 5, 6, 3, 7, 8], finalNewline: false)
        var paths: [String] = []
        for (name, text) in [("families.csv", families), ("vdab.csv", vdab), ("ocmw.csv", ocmw)] {
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let out = dir.appendingPathComponent("panel.csv").path
        let r = try PanelBenchBinary.run(paths + ["--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.expectedTable)
    }

    @Test func badMonthNamesFileLineAndColumn() throws {
        let dir = try PanelBenchBinary.temporaryDirectory("rct-panel-bench")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try write(dir, vdab: "pseudonym|maand|categorie|trajectstatus\nPA|201903|00|\nPA|2019-4|00|\n")
        let r = try PanelBenchBinary.run(files + ["--out", dir.appendingPathComponent("p.csv").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("vdab.csv:3: column 2 (maand): '2019-4' is not a month YYYYMM"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("p.csv").path))

        let wrongHeader = try write(dir, vdab: "insz;maand;categorie;trajectstatus\n")
        let h = try PanelBenchBinary.run(wrongHeader + ["--out", dir.appendingPathComponent("p.csv").path])
        #expect(h.status == 1)
        #expect(h.stderr.contains("vdab.csv:1: the header is 'insz;maand;categorie;trajectstatus'; expected 'pseudonym|maand|categorie|trajectstatus'"), "\(h.stderr)")
    }

    @Test func help() throws {
        let own = try PanelBenchBinary.run(["--help"])
        #expect(own.status == 0)
        #expect(own.stdout.contains("USAGE: panel-bench <families> <vdab> <ocmw> --out <out>"))
    }
}
