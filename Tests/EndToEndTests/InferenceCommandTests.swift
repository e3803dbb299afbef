import Foundation
import Testing
import TestSupport

/// End-to-end runs of `rct ri`, `rct adjust`, `rct power` and `rct mde` (the built binary).
@Suite struct RICommandTests {
    static let design = ["--data", "fixtures/inference/ri_small.csv", "--outcome", "y", "--treatment", "Z",
                         "--blocks", "block", "--clusters", "cluster"]

    /// ri2 0.5.1 reference through the command line: IPW DIM 2.0, p = 7/36, 3/36, 34/36, 36 assignments.
    @Test func ipwReferenceAsJSON() throws {
        let r = try RCTBinary.run(["ri"] + Self.design + ["--statistic", "ipw_dim", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["estimate"] as? Double == 2.0)
        #expect(abs((json["p_two_tailed"] as? Double ?? -1) - 7.0 / 36) < 1e-12)
        #expect(abs((json["p_upper"] as? Double ?? -1) - 3.0 / 36) < 1e-12)
        #expect(abs((json["p_lower"] as? Double ?? -1) - 34.0 / 36) < 1e-12)
        #expect(json["assignments"] as? Int == 36)
        #expect(json["exact"] as? Bool == true)
        #expect(json["seed"] == nil && json["mc_standard_error"] == nil)
    }

    @Test func differenceInMeansReferenceAsTable() throws {
        let r = try RCTBinary.run(["ri"] + Self.design)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("estimate        1.9\n"))
        #expect(r.stdout.contains("p (two-tailed)  0.25\n"))
        #expect(r.stdout.contains("assignments     36 (every possible assignment: exact)"))
    }

    @Test func monteCarloReportsSeedGeneratorAndStandardError() throws {
        let args = ["ri"] + Self.design + ["--statistic", "ipw_dim", "--permutations", "4000", "--seed", "11", "--format", "json"]
        let r = try RCTBinary.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["exact"] as? Bool == false)
        #expect(json["assignments"] as? Int == 4000)
        #expect(json["seed"] as? Int == 11)
        #expect(json["generator"] as? String == "mt19937")
        let p = try #require(json["p_two_tailed"] as? Double)
        let se = try #require(json["mc_standard_error"] as? Double)
        #expect(abs(se - (p * (1 - p) / 4000).squareRoot()) < 1e-12)
        #expect(abs(p - 7.0 / 36) < 4 * se)
        // Same seed, same output.
        #expect(try RCTBinary.run(args).stdout == r.stdout)
    }

    /// Long runs (draws × units ≥ 5·10⁷) report progress on stderr; the result still goes to stdout.
    @Test func progressOnStandardErrorForLongRuns() throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("large.csv")
        var text = "y,z,b\n"
        for i in 0..<500 { text += "\(Double(i % 13)),\(i % 2),b\(i % 5)\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["ri", "--data", file.path, "--outcome", "y", "--treatment", "z", "--blocks", "b",
                                   "--permutations", "100000", "--seed", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("rct ri: 100000 of 100000 assignments (100%)"), "\(r.stderr)")
        #expect(r.stdout.contains("assignments     100000 drawn of "))
        #expect(r.stdout.contains("(Monte Carlo, mt19937, seed 2)"))
    }

    /// Several outcomes share the assignments; a rescaled copy of y is perfectly dependent on it, so the
    /// step-down p-values equal the unadjusted 9/36 for both.
    @Test func severalOutcomesGetStepDownPValues() throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("two.csv")
        let lines = try Fixtures.contents("fixtures/inference/ri_small.csv").split(separator: "\n").map(String.init)
        var text = lines[0] + ",\"y2\"\n"
        for line in lines.dropFirst() {
            let y = Double(line.split(separator: ",")[0])!
            text += line + ",\(2 * y + 1)\n"
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["ri", "--data", file.path, "--outcome", "y,y2", "--treatment", "Z", "--blocks", "block",
                                   "--clusters", "cluster", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["assignments"] as? Int == 36)
        let outcomes = try #require(json["outcomes"] as? [[String: Any]])
        #expect(outcomes.map { $0["outcome"] as? String } == ["y", "y2"])
        for o in outcomes {
            for key in ["p_two_tailed", "p_westfall_young", "p_romano_wolf"] {
                #expect(abs((o[key] as? Double ?? -1) - 9.0 / 36) < 1e-12, "\(key)")
            }
        }
        #expect(abs((outcomes[1]["estimate"] as? Double ?? 0) - 3.8) < 1e-12)
        let duplicate = try RCTBinary.run(["ri", "--data", file.path, "--outcome", "y,y", "--treatment", "Z"])
        #expect(duplicate.status == 64)
        #expect(duplicate.stderr.contains("name each outcome column once"))
    }

    @Test func olsWithCovariates() throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("trial.csv")
        var text = "id,y,z,x\n"
        for i in 0..<12 { text += "\(i),\(Double((i * 5) % 7) + (i % 2 == 0 ? 1.5 : 0)),\(i % 2 == 0 ? 1 : 0),\(Double(i) / 3)\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["ri", "--data", file.path, "--outcome", "y", "--treatment", "z", "--covariates", "x",
                                   "--statistic", "t", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["assignments"] as? Int == 924)
        #expect(json["statistic"] as? String == "t")
    }

    @Test(arguments: [
        (["--outcome", "nope"], "--outcome: there is no column \"nope\"; the columns are: y, Z, cluster, block", Int32(1)),
        (["--statistic", "dim", "--covariates", "y"], "--covariates are used only by --statistic ols or t", Int32(64)),
        (["--permutations", "100"], "give --seed S too", Int32(64)),
        (["--exact", "--seed", "3"], "--exact enumerates every assignment", Int32(64)),
        (["--statistic", "median"], "The value 'median' is invalid for '--statistic", Int32(64)),
    ])
    func badOptions(extra: [String], message: String, status: Int32) throws {
        var args = ["ri", "--data", "fixtures/inference/ri_small.csv", "--outcome", "y", "--treatment", "Z"]
        if extra.first == "--outcome" { args = ["ri", "--data", "fixtures/inference/ri_small.csv", "--treatment", "Z"] }
        let r = try RCTBinary.run(args + extra)
        #expect(r.status == status)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func badDataFiles() throws {
        let dir = try Fixtures.temporaryDirectory()
        func run(_ csv: String, _ extra: [String] = []) throws -> RunResult {
            let file = dir.appendingPathComponent("d\(abs(csv.hashValue)).csv")
            try csv.write(to: file, atomically: true, encoding: .utf8)
            return try RCTBinary.run(["ri", "--data", file.path, "--outcome", "y", "--treatment", "z"] + extra)
        }
        let missing = try run("y,z\n1,1\n,0\n3,1\n4,0\n")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("line 3, column \"y\": the outcome is missing"), "\(missing.stderr)")
        let badZ = try run("y,z\n1,1\n2,yes\n3,1\n4,0\n")
        #expect(badZ.stderr.contains("line 3, column \"z\" (treatment): \"yes\" is not 0 or 1; code the treatment as 1 (treated) or 0 (control) on every row"))
        let mixed = try run("y,z,c\n1,1,a\n2,0,a\n3,1,b\n4,0,b\n", ["--clusters", "c"])
        #expect(mixed.status == 1)
        #expect(mixed.stderr.contains("cluster \"a\" has treated and control units"))
        var big = "y,z\n"
        for i in 0..<40 { big += "\(i),\(i % 2)\n" }
        let tooMany = try run(big)
        #expect(tooMany.status == 1)
        #expect(tooMany.stderr.contains("more than the 100000 that are enumerated; draw a sample of them with --permutations N --seed S"))
        let nofile = try RCTBinary.run(["ri", "--data", "nope.csv", "--outcome", "y", "--treatment", "z"])
        #expect(nofile.status == 1)
        #expect(nofile.stderr.contains("rct ri: error: nope.csv: cannot read the file; check the path given to --data"))
    }
}

@Suite struct AdjustCommandTests {
    @Test func sharpenedQAsJSONInInputOrder() throws {
        let r = try RCTBinary.run(["adjust", "--method", "sharpened_q", "--p", "0.02,0.01,0.03,0.08,0.168,0.168,0.168",
                                   "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "[0.076, 0.076, 0.076, 0.087, 0.107, 0.107, 0.107]\n")
    }

    @Test func holmTable() throws {
        let r = try RCTBinary.run(["adjust", "--method", "holm", "--p", "0.04,0.01,0.03"])
        #expect(r.status == 0)
        #expect(r.stdout == "p\tadjusted (holm)\n0.04\t0.06\n0.01\t0.03\n0.03\t0.06\n")
    }

    @Test func badInput() throws {
        let notNumber = try RCTBinary.run(["adjust", "--method", "bh", "--p", "0.1,abc"])
        #expect(notNumber.status == 64)
        #expect(notNumber.stderr.contains("--p: \"abc\" (value 2) is not a number"))
        let outOfRange = try RCTBinary.run(["adjust", "--method", "bh", "--p", "0.1,1.2"])
        #expect(outOfRange.status == 1)
        #expect(outOfRange.stderr.contains("p-value 2 is 1.2; p-values must lie between 0 and 1"))
        let method = try RCTBinary.run(["adjust", "--method", "fdr", "--p", "0.1"])
        #expect(method.status == 64)
        #expect(method.stderr.contains("'fdr' is invalid for '--method"))
    }
}

@Suite struct PowerCommandTests {
    /// R power.t.test(n = 30, delta = 2, sd = 2) → 0.9677083.
    @Test func powerReference() throws {
        let r = try RCTBinary.run(["power", "--effect", "2", "--sd", "2", "--n-per-arm", "30", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(abs((json["power"] as? Double ?? 0) - 0.9677083) < 5e-8)
        let table = try RCTBinary.run(["power", "--effect", "2", "--sd", "2", "--n-per-arm", "30"])
        #expect(table.stdout.contains("power           0.9677083\n"))
    }

    /// R power.t.test(delta = 0.5, power = 0.8) → n = 63.76576.
    @Test func sampleSizeReference() throws {
        let r = try RCTBinary.run(["power", "--effect", "0.5", "--power", "0.8"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("units per arm   63.76576 (round up)"), "\(r.stdout)")
    }

    @Test func clusteredAndSimulated() throws {
        let r = try RCTBinary.run(["power", "--effect", "0.5", "--power", "0.8", "--icc", "0.05", "--cluster-size", "10",
                                   "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(abs((json["design_effect"] as? Double ?? 0) - 1.45) < 1e-12)
        let n = try #require(json["n_per_arm"] as? Double)
        #expect(n > 63.77 * 1.45)
        let s = try RCTBinary.run(["power", "--effect", "2", "--sd", "2", "--n-per-arm", "30", "--simulate", "500",
                                   "--seed", "4"])
        #expect(s.status == 0)
        #expect(s.stdout.contains("simulated       500 trials (mt19937, seed 4)"))
    }

    @Test func impossibleInputs() throws {
        let both = try RCTBinary.run(["power", "--effect", "1", "--n-per-arm", "30", "--power", "0.8"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("give exactly one of --n-per-arm"))
        let sd = try RCTBinary.run(["power", "--effect", "1", "--n-per-arm", "30", "--sd", "0"])
        #expect(sd.status == 1)
        #expect(sd.stderr.contains("error: the standard deviation must be positive, got 0.0"))
        let icc = try RCTBinary.run(["mde", "--n-per-arm", "30", "--icc", "0.1"])
        #expect(icc.status == 64)
        #expect(icc.stderr.contains("a clustered design needs both --icc and --cluster-size"))
        let power = try RCTBinary.run(["mde", "--n-per-arm", "30", "--power", "1.5"])
        #expect(power.status == 1)
        #expect(power.stderr.contains("the target power must lie between 0.025 (the power at no effect) and 1, got 1.5"))
        let tiny = try RCTBinary.run(["mde", "--n-per-arm", "10", "--icc", "0.1", "--cluster-size", "10"])
        #expect(tiny.status == 1)
        #expect(tiny.stderr.contains("no degrees of freedom are left for the test: the design needs more than one cluster per arm"))
    }
}

@Suite struct MDECommandTests {
    /// The MDE inverts power.t.test: at n = 30, sd = 2 and power 0.9677083 it is 2.
    @Test func mdeReference() throws {
        let r = try RCTBinary.run(["mde", "--n-per-arm", "30", "--sd", "2", "--power", "0.9677083", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(abs((json["mde"] as? Double ?? 0) - 2) < 1e-5)
        let blocked = try RCTBinary.run(["mde", "--n-per-arm", "56", "--blocks", "4", "--block-r2", "0.2"])
        #expect(blocked.status == 0)
        #expect(blocked.stdout.contains("blocks          4, share of variance explained 0.2"))
    }
}
