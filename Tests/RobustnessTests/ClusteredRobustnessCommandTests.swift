import Foundation
import Testing
import TestSupport

/// `rct subgroups`, `rct attrition` and `rct bounds` with `--clusters`, through the built binary, on the
/// first wave of the bundled cluster example (fixtures/robustness/clustered/caseworkers_m6.csv: 199
/// families of 18 caseworkers in 3 sites). Expected values: estimatr 1.0.0's CR2 fits and Wald tests
/// computed on their vcov() in R, frozen in fixtures/robustness/clustered/clustered_reference.csv by
/// clustered_reference.R (the test never calls R). Tolerance: 1e-6 relative (absolute below 1), as the
/// effect rows of `rct run`.
@Suite struct ClusteredRobustnessCommandTests {
    static let data = "fixtures/robustness/clustered/caseworkers_m6.csv"
    static let covariates = "domains_weak,single_parent,leefloon_before"

    static func reference() throws -> [[String: String]] {
        let lines = try Fixtures.contents("fixtures/robustness/clustered/clustered_reference.csv")
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    static func close(_ ours: Any?, _ theirs: String?) -> Bool {
        guard let a = (ours as? NSNumber)?.doubleValue, let b = theirs.flatMap(Double.init) else { return false }
        return abs(a - b) <= 1e-6 * max(1, abs(b))
    }

    static func json(_ args: [String]) throws -> [String: Any] {
        let r = try RCTBinary.run(args + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test func subgroupsWithClustersAreCR2AndTheEqualityTestIsOnGMinusOne() throws {
        let reference = try Self.reference().filter { $0["command"] == "subgroups" }
        for outcome in ["supplementary_aid", "knows_rights"] {
            let j = try Self.json(["subgroups", "--data", Self.data, "--outcome", outcome, "--treatment", "arm", "--subgroup", "stratum",
                                   "--covariates", Self.covariates, "--clusters", "cluster"])
            #expect(j["variance"] as? String == "CR2" && j["clusters"] as? String == "cluster" && j["n_clusters"] as? Int == 18)
            let levels = try #require(j["levels"] as? [[String: Any]])
            #expect(levels.map { $0["level"] as? String } == ["centrum", "noord", "zuid"])
            for level in levels {
                let e = try #require(reference.first { $0["outcome"] == outcome && $0["part"] == "stratum=\(level["level"] as! String)" })
                let effect = try #require(level["effect"] as? [String: Any])
                for (ours, theirs) in [("estimate", "estimate"), ("std_error", "std.error"), ("df", "df"), ("p_value", "p.value")] {
                    #expect(Self.close(effect[ours], e[theirs]), "\(outcome) \(e["part"]!) \(ours): \(effect[ours] ?? "-") against estimatr \(e[theirs]!)")
                }
            }
            let e = try #require(reference.first { $0["outcome"] == outcome && $0["part"] == "equality" })
            let test = try #require(j["equality_test"] as? [String: Any])
            for (ours, theirs) in [("f_statistic", "F"), ("numerator_df", "df1"), ("denominator_df", "df2"), ("p_value", "p.value")] {
                #expect(Self.close(test[ours], e[theirs]), "\(outcome) equality \(ours): \(test[ours] ?? "-") against R \(e[theirs]!)")
            }
        }
        // The table says which variance it used; --se cr1 is taken, an HC variance is refused with the reason.
        let table = try RCTBinary.run(["subgroups", "--data", Self.data, "--outcome", "supplementary_aid", "--treatment", "arm",
                                       "--subgroup", "stratum", "--clusters", "cluster", "--se", "stata"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("(CR1, clusters: cluster, 18 clusters)"))
        let refused = try RCTBinary.run(["subgroups", "--data", Self.data, "--outcome", "supplementary_aid", "--treatment", "arm",
                                         "--subgroup", "stratum", "--se", "cr2"])
        #expect(refused.status != 0 && refused.stderr.contains("give the cluster column with --clusters COLUMN"))
    }

    @Test func attritionWithClustersIsCR2() throws {
        let reference = try Self.reference().filter { $0["command"] == "attrition" }
        let j = try Self.json(["attrition", "--data", Self.data, "--observed", "responded", "--treatment", "arm", "--control", "control",
                               "--blocks", "stratum", "--covariates", Self.covariates, "--clusters", "cluster"])
        #expect(j["variance"] as? String == "CR2" && j["n_clusters"] as? Int == 18)
        let e = try #require(reference.first { $0["part"] == "difference" })
        let effect = try #require(j["treatment_effect"] as? [String: Any])
        for (ours, theirs) in [("estimate", "estimate"), ("std_error", "std.error"), ("df", "df"), ("p_value", "p.value")] {
            #expect(Self.close(effect[ours], e[theirs]), "attrition \(ours): \(effect[ours] ?? "-") against estimatr \(e[theirs]!)")
        }
        let f = try #require(reference.first { $0["part"] == "interactions" })
        let test = try #require(j["interaction_test"] as? [String: Any])
        for (ours, theirs) in [("f_statistic", "F"), ("numerator_df", "df1"), ("denominator_df", "df2"), ("p_value", "p.value")] {
            #expect(Self.close(test[ours], f[theirs]), "attrition interactions \(ours): \(test[ours] ?? "-") against R \(f[theirs]!)")
        }
        // A row without a cluster is named with its line.
        let lines = try Fixtures.contents(Self.data).split(separator: "\n").map(String.init)
        var broken = lines
        broken[5] = broken[5].replacingOccurrences(of: ",\(lines[5].split(separator: ",")[3]),", with: ",,")
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("m6.csv")
        try (broken.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["attrition", "--data", url.path, "--observed", "responded", "--treatment", "arm", "--clusters", "cluster"])
        #expect(r.status == 1 && r.stderr.contains("line 6, column \"cluster\" (cluster): the cell is empty; every unit needs its cluster"), "\(r.stderr)")
    }

    @Test func leeBoundsSayTheyHaveNoClusteredVersion() throws {
        let plain = try Self.json(["bounds", "--data", Self.data, "--outcome", "knows_rights", "--treatment", "arm"])
        let clustered = try Self.json(["bounds", "--data", Self.data, "--outcome", "knows_rights", "--treatment", "arm", "--clusters", "cluster"])
        // The same numbers: nothing is clustered, and the output says so.
        for key in ["lower", "upper", "lower_std_error", "upper_std_error", "conf_low", "conf_high"] {
            #expect((plain[key] as? NSNumber) == (clustered[key] as? NSNumber), "\(key)")
        }
        #expect(plain["note"] == nil)
        #expect((clustered["note"] as? String)?.hasPrefix("Lee (2009) bounds have no clustered version: computed over units, not clusters of cluster") == true)
        let table = try RCTBinary.run(["bounds", "--data", Self.data, "--outcome", "knows_rights", "--treatment", "arm", "--clusters", "cluster"])
        #expect(table.status == 0 && table.stdout.contains("note: Lee (2009) bounds have no clustered version"))
    }
}
