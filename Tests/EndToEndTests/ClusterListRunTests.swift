import Foundation
import Testing
import TestSupport

/// Assignment lists at the cluster level: the bundled cluster example with its randomisation sent as a
/// list of caseworkers and arms (fixtures/external-cluster/caseworker_arms.csv, `level: cluster`).
@Suite struct ClusterListRunTests {
    static let source = """
      - id: toewijzing
        kind: assignment
        level: cluster
        file: ../fixtures/external-cluster/caseworker_arms.csv
        identifier: { column: maatschappelijk_werker, type: code }
        dialect: { format: delimited, separator: ";", encoding: utf-8 }
        columns: { arm: groep, stratum: site }
        codes:
          arm: { "Gewone begeleiding": control, Outreachend: intervention }

      - id: leefloon

    """

    static func trial(_ label: String, list: (String) -> String = { $0 }) throws -> URL {
        // Before the first source after the cohort (the leefloon extract; the outcome of that name comes later).
        let root = try Fixtures.caseworkersTrialCopy(label) { yaml in
            var yaml = yaml
            let first = yaml.range(of: "  - id: leefloon\n")!
            yaml.replaceSubrange(first, with: source)
            return yaml
        }
        let folder = root.appendingPathComponent("fixtures/external-cluster")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = list(try Fixtures.contents("fixtures/external-cluster/caseworker_arms.csv"))
        try text.write(to: folder.appendingPathComponent("caseworker_arms.csv"), atomically: true, encoding: .utf8)
        return root
    }

    /// The list holds the arms the design's own draw gives, so the run's effect rows are the drawn run's,
    /// and so estimatr's (relative tolerance 1e-6).
    @Test func runImportsTheListOfCaseworkersAndEstimatesAsForTheDraw() throws {
        let root = try Self.trial("rct-cluster-list")
        let run = try RCTBinary.run(["run", "designs/caseworkers-cluster.yaml", "--out", "out"], currentDirectory: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(": 18 clusters, utf-8, separator ;"))
        #expect(run.stdout.contains("imported 199 families (97 control, 102 intervention) as procedure imported: records 1–199, "
                                    + "each with its cluster's arm and its own enrolment date (enrolled_on)"))
        #expect(run.stdout.contains("p = clusters of the arm / clusters of the stratum (centrum: control 3/6, intervention 3/6;"))
        #expect(run.stdout.contains("  noord: 3 control, 3 intervention, p = 1.0000"))
        let panel = try RunCommandTests.csv(root.appendingPathComponent("out/internal/panel/panel_wide.csv"))
        let frozen = try ClusteredRunTests.frozen("caseworkers_panel.csv")
        #expect(panel.map { $0["family_id"]! } == frozen.map { $0["family_id"]! })
        #expect(panel.map { $0["arm"]! } == frozen.map { $0["arm"]! } && panel.map { $0["cluster"]! } == frozen.map { $0["cluster"]! })
        #expect(panel.allSatisfy { $0["probability"] == "0.5" })
        let effects = try RunCommandTests.csv(root.appendingPathComponent("out/publish/effects.csv")).filter { $0["estimand"] == "itt" }
        let reference = try ClusteredRunTests.frozen("estimatr_clustered.csv").filter { $0["specification"] == "primary" }
        #expect(effects.count == 7)
        for e in reference {
            let r = try #require(effects.first { $0["outcome"] == e["outcome"] && $0["wave"] == e["wave"] })
            for (ours, theirs) in ClusteredRunTests.columns {
                #expect(ClusteredRunTests.close(r[ours], e[theirs]), "\(e["outcome"]!) \(e["wave"]!) \(ours)")
            }
        }
        // Every family is a record of the hash chain, and the chain verifies.
        let verify = try RCTBinary.run(["verify", "--store", "designs/caseworkers-cluster.sqlite"], currentDirectory: root)
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    /// A caseworker missing from the list: every eligible family of theirs is named by its cohort line,
    /// and nothing is written.
    @Test func importAssignmentRefusesAListWithoutAFamilysCaseworker() throws {
        let root = try Self.trial("rct-cluster-list-refused") { text in
            text.split(separator: "\n").filter { !$0.hasPrefix("noord-cw4;") }.joined(separator: "\n") + "\n"
        }
        let store = root.appendingPathComponent("trial.sqlite").path
        #expect(try RCTBinary.run(["init", "designs/caseworkers-cluster.yaml", "--store", store], currentDirectory: root).status == 0)
        let r = try RCTBinary.run(["import-assignment", "designs/caseworkers-cluster.yaml", "--store", store], currentDirectory: root)
        #expect(r.status != 0)
        let missing = r.stderr.split(separator: "\n").filter { $0.contains("its cluster noord-cw4 (caseworker) is not on the list") }
        #expect(missing.count == 13, "\(r.stderr)")
        #expect(missing.first?.hasPrefix("error: fixtures/caseworkers/cohort.csv:4: family F0003: its cluster noord-cw4") == true,
                "\(missing.first ?? "")")
        #expect(r.stderr.contains("problems found; nothing was imported (the store is unchanged)"))
        // No family of the cohort was added to the store.
        let status = try RCTBinary.run(["verify", "--store", store], currentDirectory: root)
        #expect(!status.stdout.contains("records 1–"))
    }
}
