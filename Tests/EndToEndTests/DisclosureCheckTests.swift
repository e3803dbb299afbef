import Foundation
import Testing
import TestSupport

/// Issue 22: the bundled demo's published folder passes `rct disclosure-check`, the raw counts are only in
/// `internal/`, and the check names a file and cell when a suppressed count can be worked out.
@Suite struct DisclosureCheckTests {
    @Test func theDemosPublishedFolderPasses() throws {
        let (root, first, _) = RunCommandTests.shared
        #expect(first.status == 0, "\(first.stderr)")
        let r = try RCTBinary.run(["disclosure-check", "out/publish"], currentDirectory: root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("out/publish: ") && r.stdout.contains("no suppressed count can be worked out"), "\(r.stdout)")
        // Raw counts are internal: consort.json only under internal/, with the notice beside it.
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out/internal/panel/consort.json").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/publish/consort.json").path))
        let notice = try String(contentsOf: root.appendingPathComponent("out/internal/NOTICE.md"), encoding: .utf8)
        #expect(notice.contains("not for publication"))
    }

    /// Before issue 22 the control box at six months read "Not followed up (n = 11) • no interview (n = 8)
    /// • interview outside the window (n = <5)". The suppressed 3 is no longer 11 − 8.
    @Test func theDemosControlBoxAtSixMonthsNoLongerGivesTheThreeAway() throws {
        let (root, _, _) = RunCommandTests.shared
        let svg = try String(contentsOf: root.appendingPathComponent("out/publish/consort.svg"), encoding: .utf8)
        let nb = "\u{00A0}"
        #expect(!svg.contains("n = &lt;") && !svg.contains("n\(nb)=\(nb)&lt;"))
        #expect(svg.contains("• interview outside the window (n\(nb)&lt;\(nb)5)"))
        #expect(!svg.contains("• no interview (n\(nb)=\(nb)8)"), "8 and 11 together give the 3 away")
        let counts = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("out/publish/counts.json"))) as! [String: Any]
        let cells = (counts["cells"] as! [[String: Any]])
        let statuses = Dictionary(uniqueKeysWithValues: cells.map { ($0["key"] as! String, $0["status"] as! String) })
        #expect(statuses["consort/control/m6/survey/not followed up/interview outside the window"] == "small")
        #expect(cells.allSatisfy { ($0["status"] as! String == "published") == ($0["value"] != nil) })
        #expect(statuses.values.contains("secondary"))
    }

    /// Issue 22: the subgroup table was outside disclosure control, so a level shown as "<15" was the arm's
    /// N in the effect table minus the other level. With the threshold raised to 15 the weak-on-3-domains
    /// level of the rights index at six months is small in both arms (14 and 14 families), and so is the
    /// single-parent level: every sum that holds a small level holds another suppressed cell (here the
    /// arm's N of the outcome, which both subgroups share, so the other levels, 32 and 33, can stay), the
    /// level's effect is withheld, and the folder passes the check.
    @Test func aSmallSubgroupLevelHidesItsComplementAndTheFolderPasses() throws {
        let root = try Fixtures.missionTrialCopy("rct-subgroup-small") {
            $0.replacingOccurrences(of: "small_cell_threshold: 5", with: "small_cell_threshold: 15")
        }
        let run = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        #expect(run.status == 0, "\(run.stderr)")
        let counts = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("out/publish/counts.json"))) as! [String: Any]
        let cells = counts["cells"] as! [[String: Any]]
        let statuses = Dictionary(uniqueKeysWithValues: cells.map { ($0["key"] as! String, $0["status"] as! String) })
        let level = "subgroups/deprivation_band/knows_rights/m6"
        for side in ["control", "intervention"] {
            #expect(statuses["\(level)/3/\(side)"] == "small", "\(side)")
            #expect(statuses["\(level)/4-6/\(side)"] != "published" || statuses["effects/knows_rights/m6/\(side)"] == "secondary",
                    "\(side): the other level and the arm's N together give the small level away")
        }
        // The sums a reader would use are in counts.json (the levels add up to the arm's N in the effect
        // table), and none of the subgroups' sums holds a single suppressed cell.
        let sums = (counts["sums"] as! [[String: Any]]).map { [$0["total"] as! String] + ($0["parts"] as! [String]) }
        #expect(sums.contains(["effects/knows_rights/m6/control", "\(level)/3/control", "\(level)/4-6/control"]))
        let subgroupSums = sums.filter { $0.contains { $0.hasPrefix("subgroups/") } }
        #expect(subgroupSums.count == 28, "2 subgroups × 7 primary outcome-waves × 2 arms")
        #expect(statuses.contains { $0.key.hasPrefix("subgroups/") && $0.value == "small" })
        for sum in subgroupSums { #expect(sum.filter { statuses[$0] != "published" }.count != 1, "\(sum)") }
        let html = try String(contentsOf: root.appendingPathComponent("out/publish/report.html"), encoding: .utf8)
        #expect(html.contains("<td>Weak on 3 domains</td><td>&lt;15</td><td>&lt;15</td><td class=\"suppressed\">suppressed</td>"))
        let check = try RCTBinary.run(["disclosure-check", "out/publish"], currentDirectory: root)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("no suppressed count can be worked out"), "\(check.stdout)")
    }

    /// A folder whose suppression was undone by hand (one secondary cell given its value back) fails, naming
    /// counts.json and the cell that can now be worked out.
    @Test func aRecoverableCellIsNamed() throws {
        let (root, _, _) = RunCommandTests.shared
        let folder = try Fixtures.temporaryDirectory("disclosure-check")
        let original = try Data(contentsOf: root.appendingPathComponent("out/publish/counts.json"))
        var counts = try JSONSerialization.jsonObject(with: original) as! [String: Any]
        var cells = counts["cells"] as! [[String: Any]]
        let sums = counts["sums"] as! [[String: Any]]
        // A secondary cell that sits in a sum with exactly one other suppressed cell: publishing it gives that one away.
        let suppressed = Set(cells.filter { $0["value"] == nil }.map { $0["key"] as! String })
        let k = try #require(cells.firstIndex { cell in
            cell["status"] as? String == "secondary" && sums.contains { sum in
                let keys = [sum["total"] as! String] + (sum["parts"] as! [String])
                return keys.contains(cell["key"] as! String) && keys.filter(suppressed.contains).count == 2
            }
        })
        cells[k]["value"] = 8
        cells[k]["status"] = "published"
        counts["cells"] = cells
        try JSONSerialization.data(withJSONObject: counts).write(to: folder.appendingPathComponent("counts.json"))
        let r = try RCTBinary.run(["disclosure-check", folder.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: \(folder.path)/counts.json: consort/"), "\(r.stderr)")
        #expect(r.stderr.contains("can be worked out") && r.stderr.contains("do not publish this folder"), "\(r.stderr)")
    }

    @Test func effectsCSVWithOneArmHiddenIsNamed() throws {
        let folder = try Fixtures.temporaryDirectory("disclosure-check-csv")
        try #"{"threshold": 5, "cells": [], "sums": []}"#.write(to: folder.appendingPathComponent("counts.json"), atomically: true, encoding: .utf8)
        try "outcome,wave,n_obs,control_n,intervention_n\nx,m6,40,37,\ny,m6,40,,\n"
            .write(to: folder.appendingPathComponent("effects.csv"), atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["disclosure-check", folder.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("effects.csv: line 2, column intervention_n can be worked out: n_obs = control_n + intervention_n"), "\(r.stderr)")
        #expect(!r.stderr.contains("line 3"))
    }

    @Test func aFolderWithoutCountsIsAClearError() throws {
        let folder = try Fixtures.temporaryDirectory("disclosure-check-empty")
        let r = try RCTBinary.run(["disclosure-check", folder.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("\(folder.path)/counts.json: no such file; rct disclosure-check reads the publish/ folder"), "\(r.stderr)")
    }
}
