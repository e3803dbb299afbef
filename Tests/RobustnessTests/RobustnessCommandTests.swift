import Foundation
import Inference
import Testing
import TestSupport
@testable import Robustness

/// End-to-end runs of the built binary: `rct bounds`, `rct attrition`, `rct subgroups`.
@Suite struct RobustnessCommandTests {
    static func json(_ r: RunResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    static func number(_ object: Any?) -> Double { (object as? NSNumber)?.doubleValue ?? .nan }

    /// A temporary CSV file with the given text.
    static func file(_ text: String) throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("data.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    // MARK: - rct bounds

    /// The toy case: treated 10/10 observed with y = 1…10, control 8/10 with mean 4 → [0.5, 2.5].
    /// By hand (Lee 2009, Proposition 3): p = 0.2, both bounds keep 8 values with divide-by-8 variance
    /// 5.25 and |cut − mean| = 3.5, so V = (5.25 + 0.2·3.5²)/8 + (3.5/0.8)²·Var(p̂) + 4/8 with
    /// Var(p̂) = 0.8²·(0.2/8)/10 … = 0.016: V = 0.9625 + 0.30625 + 0.5 = 1.76875, SE = 1.3299436078.
    /// Imbens–Manski c solves Φ(c + 2/SE) − Φ(−c) = 0.95: c = 1.6526452737 (computed independently by
    /// root finding), CI [0.5 − c·SE, 2.5 + c·SE] = [−1.6979250177, 4.6979250177]. Tolerance 1e-9.
    @Test func toyCaseAsJSON() throws {
        for args in [["--data", "fixtures/robustness/lee_toy.csv"],
                     ["--data", "fixtures/robustness/lee_toy_observed.csv", "--observed", "responded"]] {
            let r = try RCTBinary.run(["bounds"] + args + ["--outcome", "y", "--treatment", "z", "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.isEmpty)
            let j = try Self.json(r)
            #expect(isClose(Self.number(j["lower"]), 0.5, absolute: 1e-12))
            #expect(isClose(Self.number(j["upper"]), 2.5, absolute: 1e-12))
            #expect(isClose(Self.number(j["lower_std_error"]), 1.76875.squareRoot(), relative: 1e-9))
            #expect(isClose(Self.number(j["upper_std_error"]), 1.76875.squareRoot(), relative: 1e-9))
            #expect(isClose(Self.number(j["critical_value"]), 1.6526452737, relative: 1e-9))
            #expect(isClose(Self.number(j["conf_low"]), -1.6979250177, relative: 1e-9))
            #expect(isClose(Self.number(j["conf_high"]), 4.6979250177, relative: 1e-9))
            #expect(j["trimmed_arm"] as? String == "treated")
            #expect(isClose(Self.number(j["trimming_proportion"]), 0.2, absolute: 1e-12))
        }
    }

    @Test func toyCaseAsTable() throws {
        let r = try RCTBinary.run(["bounds", "--data", "fixtures/robustness/lee_toy.csv", "--outcome", "y", "--treatment", "z"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("lower bound             0.5 (SE 1.329944)\n"), "\(r.stdout)")
        #expect(r.stdout.contains("upper bound             2.5 (SE 1.329944)\n"))
        #expect(r.stdout.contains("95% CI (Imbens-Manski)  [-1.697925, 4.697925]"))
    }

    /// Real data (alo_star_men, GPA_year2 missing for 17 of 157): the binary prints what the library
    /// computes from the same columns (shortest round-trip digits: 1e-12 relative).
    @Test func referenceDataThroughTheBinaryMatchesTheLibrary() throws {
        let table = try ReferenceCSV.read("fixtures/robustness/alo_star_men_response.csv")
        let y = try ReferenceCSV.numbers(table, "GPA_year2"), z = try ReferenceCSV.required(table, "sfsp")
        let b = try LeeBounds(treated: z.indices.filter { z[$0] == 1 }.map { y[$0] },
                              control: z.indices.filter { z[$0] == 0 }.map { y[$0] })
        let r = try RCTBinary.run(["bounds", "--data", "fixtures/robustness/alo_star_men_response.csv", "--outcome", "GPA_year2",
                                   "--treatment", "sfsp", "--observed", "observed_y2", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try Self.json(r)
        #expect(isClose(Self.number(j["lower"]), b.lower, relative: 1e-12))
        #expect(isClose(Self.number(j["upper"]), b.upper, relative: 1e-12))
        #expect(isClose(Self.number(j["conf_low"]), b.confidenceInterval.lower, relative: 1e-12))
        #expect(isClose(Self.number(j["conf_high"]), b.confidenceInterval.upper, relative: 1e-12))
        #expect(b.lower < b.upper && b.trimmedArm == .treated)
    }

    // MARK: - rct attrition

    /// fixtures/robustness/attrition_small.csv: 5/12 without blocks (SE √(⅔·⅓/5 + ¼·¾/3)), 3/7 with
    /// blocks (hand computed, see fixtures/robustness/README.md). Tolerance 1e-12.
    @Test func attritionHandExample() throws {
        let base = ["attrition", "--data", "fixtures/robustness/attrition_small.csv", "--observed", "r", "--treatment", "z", "--format", "json"]
        let plain = try RCTBinary.run(base)
        #expect(plain.status == 0, "\(plain.stderr)")
        var j = try Self.json(plain)
        var effect = try #require(j["treatment_effect"] as? [String: Any])
        #expect(isClose(Self.number(effect["estimate"]), 5.0 / 12, relative: 1e-12))
        #expect(isClose(Self.number(effect["std_error"]), (2.0 / 9 / 5 + 3.0 / 16 / 3).squareRoot(), relative: 1e-12))
        #expect(Self.number(effect["df"]) == 8)
        #expect(isClose(Self.number(j["response_rate_treated"]), 4.0 / 6, relative: 1e-12))
        #expect(isClose(Self.number(j["response_rate_control"]), 0.25, relative: 1e-12))
        #expect(j["interaction_test"] == nil)

        let blocked = try RCTBinary.run(base + ["--blocks", "block", "--covariates", "x"])
        #expect(blocked.status == 0, "\(blocked.stderr)")
        j = try Self.json(blocked)
        effect = try #require(j["treatment_effect"] as? [String: Any])
        #expect(isClose(Self.number(effect["estimate"]), 3.0 / 7, relative: 1e-12))
        #expect(Self.number(j["strata"]) == 2)
        let test = try #require(j["interaction_test"] as? [String: Any])
        #expect(Self.number(test["numerator_df"]) == 1)
        #expect(Self.number(test["denominator_df"]) == 5)
    }

    /// Real data: the binary's joint test equals the library's on the same columns (1e-12 relative).
    @Test func attritionOnReferenceDataMatchesTheLibrary() throws {
        let table = try ReferenceCSV.read("fixtures/robustness/alo_star_men_response.csv")
        let a = try DifferentialAttrition(
            observed: try ReferenceCSV.required(table, "observed_y2").map { $0 == 1 },
            treated: try ReferenceCSV.required(table, "sfsp").map { $0 == 1 },
            covariates: [Covariate(name: "gpa0", values: try ReferenceCSV.numbers(table, "gpa0")),
                         Covariate(name: "GPA_year1", values: try ReferenceCSV.numbers(table, "GPA_year1"))])
        let r = try RCTBinary.run(["attrition", "--data", "fixtures/robustness/alo_star_men_response.csv", "--observed", "observed_y2",
                                   "--treatment", "sfsp", "--covariates", "gpa0,GPA_year1", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try Self.json(r)
        let test = try #require(j["interaction_test"] as? [String: Any])
        #expect(isClose(Self.number(test["f_statistic"]), a.interactionTest!.fStatistic, relative: 1e-12))
        #expect(isClose(Self.number(test["p_value"]), a.interactionTest!.pValue, relative: 1e-12))
        #expect(test["restrictions"] as? [String] == ["sfsp:gpa0 = 0", "sfsp:GPA_year1 = 0"])
        let effect = try #require(j["treatment_effect"] as? [String: Any])
        #expect(isClose(Self.number(effect["estimate"]), 54.0 / 58 - 86.0 / 99, relative: 1e-12))

        let table2 = try RCTBinary.run(["attrition", "--data", "fixtures/robustness/alo_star_men_response.csv", "--observed", "observed_y2",
                                        "--treatment", "sfsp", "--covariates", "gpa0,GPA_year1"])
        #expect(table2.stdout.contains("interactions            sfsp:gpa0, sfsp:GPA_year1\n"), "\(table2.stdout)")
        #expect(table2.stdout.contains("joint test (HC2)        F = 0.7607765 on 2 and 151 df"), "\(table2.stdout)")
    }

    // MARK: - rct subgroups

    /// mtcars by cyl with wt: the binary prints the library's per-level effects and test (1e-12).
    @Test func subgroupsOnMtcarsMatchTheLibrary() throws {
        let t = try ReferenceCSV.read("fixtures/reference/mtcars.csv")
        let s = try SubgroupHeterogeneity(outcome: try ReferenceCSV.numbers(t, "mpg"),
                                          treated: try ReferenceCSV.required(t, "am").map { $0 == 1 },
                                          subgroup: try t.column("cyl").map { $0 },
                                          covariates: [Covariate(name: "wt", values: try ReferenceCSV.numbers(t, "wt"))])
        let r = try RCTBinary.run(["subgroups", "--data", "fixtures/reference/mtcars.csv", "--outcome", "mpg", "--treatment", "am",
                                   "--subgroup", "cyl", "--covariates", "wt", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try Self.json(r)
        let levels = try #require(j["levels"] as? [[String: Any]])
        #expect(levels.map { $0["level"] as? String } == ["4", "6", "8"])
        for (level, expected) in zip(levels, s.levels) {
            let effect = try #require(level["effect"] as? [String: Any])
            #expect(isClose(Self.number(effect["estimate"]), expected.effect.estimate, relative: 1e-12))
            #expect(isClose(Self.number(effect["std_error"]), expected.effect.stdError, relative: 1e-12))
        }
        let test = try #require(j["equality_test"] as? [String: Any])
        #expect(isClose(Self.number(test["f_statistic"]), s.equalityTest.fStatistic, relative: 1e-12))
        #expect(Self.number(test["numerator_df"]) == 2 && Self.number(test["denominator_df"]) == 23)

        let table = try RCTBinary.run(["subgroups", "--data", "fixtures/reference/mtcars.csv", "--outcome", "mpg", "--treatment", "am",
                                       "--subgroup", "vs"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("0         18        6       12       4.7    1.82207  16  0.02016302"), "\(table.stdout)")
        #expect(table.stdout.contains("equal effects in every level: F = 1.154944 on 1 and 28 df"), "\(table.stdout)")
    }

    // MARK: - rct dose-response

    /// mtcars, am = 1 as treated, hp as dose: the binary prints the library's slope and the
    /// non-experimental flag and label.
    @Test func doseResponseIsLabelledNonExperimental() throws {
        let t = try ReferenceCSV.read("fixtures/reference/mtcars.csv")
        let d = try DoseResponse(outcome: try ReferenceCSV.numbers(t, "mpg"), dose: try ReferenceCSV.numbers(t, "hp"),
                                 treated: try ReferenceCSV.required(t, "am").map { $0 == 1 })
        let args = ["dose-response", "--data", "fixtures/reference/mtcars.csv", "--outcome", "mpg", "--treatment", "am", "--dose", "hp"]
        let r = try RCTBinary.run(args + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try Self.json(r)
        #expect(j["non_experimental"] as? Bool == true)
        #expect((j["label"] as? String)?.hasPrefix("non-experimental") == true)
        let slope = try #require(j["slope"] as? [String: Any])
        #expect(isClose(Self.number(slope["estimate"]), d.slope.estimate, relative: 1e-12))
        #expect(isClose(Self.number(slope["std_error"]), d.slope.stdError, relative: 1e-12))
        #expect(Self.number(j["units"]) == 13)
        let table = try RCTBinary.run(args)
        #expect(table.stdout.hasPrefix("NON-EXPERIMENTAL: mpg on hp among the treated (am = 1)"), "\(table.stdout)")
    }

    // MARK: - Bad input, end to end

    @Test func unknownColumnIsNamed() throws {
        let r = try RCTBinary.run(["attrition", "--data", "fixtures/robustness/attrition_small.csv", "--observed", "resp", "--treatment", "z"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "rct attrition: error: fixtures/robustness/attrition_small.csv: --observed \"resp\": there is no such column; the columns are: unit, z, r, block, x. Check the spelling (names are case-sensitive).\n")
    }

    @Test func treatmentThatIsNotZeroOrOneNamesLineAndColumn() throws {
        let path = try Self.file("y,z\n1,1\n2,0\n3,2\n4,1\n")
        let r = try RCTBinary.run(["bounds", "--data", path, "--outcome", "y", "--treatment", "z"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("line 4, column \"z\" (treatment): \"2\" is not 0 or 1; code the treatment as 1 (treated) or 0 (control) on every row"), "\(r.stderr)")
    }

    @Test func observedFlagWithEmptyOutcomeIsRefused() throws {
        let path = try Self.file("y,z,r\n1,1,1\n,1,1\n3,0,1\n4,0,0\n")
        let r = try RCTBinary.run(["bounds", "--data", path, "--outcome", "y", "--treatment", "z", "--observed", "r"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("line 3, column \"y\" (outcome): the cell is empty but column \"r\" says it was observed (1)"), "\(r.stderr)")
    }

    /// With --observed, placeholders in unobserved rows are not read; without it they are errors.
    @Test func placeholdersOfUnobservedRowsAreIgnoredWithObserved() throws {
        var text = "y,z,r\n"
        for i in 1...10 { text += "\(i),1,1\n" }
        for y in [1, 2, 3, 4, 4, 5, 6, 7] { text += "\(y),0,1\n" }
        text += ".,0,0\n-99,0,0\n"
        let path = try Self.file(text)
        let r = try RCTBinary.run(["bounds", "--data", path, "--outcome", "y", "--treatment", "z", "--observed", "r", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try Self.json(r)
        #expect(isClose(Self.number(j["lower"]), 0.5, absolute: 1e-12) && isClose(Self.number(j["upper"]), 2.5, absolute: 1e-12))
        let without = try RCTBinary.run(["bounds", "--data", path, "--outcome", "y", "--treatment", "z"])
        #expect(without.status == 1)
        #expect(without.stderr.contains("line 20, column \"y\" (outcome): \".\" is not a number"), "\(without.stderr)")
    }

    @Test func nonNumericOutcomeNamesLineAndColumn() throws {
        let path = try Self.file("y,z,g\n1,1,a\nn/a,0,a\n3,0,b\n4,1,b\n")
        let r = try RCTBinary.run(["subgroups", "--data", path, "--outcome", "y", "--treatment", "z", "--subgroup", "g"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("line 3, column \"y\" (outcome): \"n/a\" is not a number"), "\(r.stderr)")
    }

    @Test func subgroupLevelWithOneArmIsNamed() throws {
        let path = try Self.file("y,z,region\n1,1,north\n2,0,north\n3,1,north\n4,0,north\n5,1,south\n6,1,south\n7,1,south\n")
        let r = try RCTBinary.run(["subgroups", "--data", path, "--outcome", "y", "--treatment", "z", "--subgroup", "region"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("level \"south\" of subgroup column \"region\" has no control units"), "\(r.stderr)")
    }

    @Test func tooFewObservedForBoundsAndMissingFile() throws {
        let path = try Self.file("y,z\n1,1\n2,1\n,0\n,0\n5,0\n")
        let r = try RCTBinary.run(["bounds", "--data", path, "--outcome", "y", "--treatment", "z"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Lee bounds need at least two observed outcomes in each arm (treated 2, control 1)"), "\(r.stderr)")
        let missing = try RCTBinary.run(["attrition", "--data", "no/such.csv", "--observed", "r", "--treatment", "z"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("rct attrition: error: no/such.csv: cannot read the file; check the path given to --data"), "\(missing.stderr)")
    }

    @Test func noAttritionIsExplained() throws {
        let path = try Self.file("r,z\n1,1\n1,0\n1,1\n1,0\n")
        let r = try RCTBinary.run(["attrition", "--data", path, "--observed", "r", "--treatment", "z"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("response column \"r\" is 1 (observed) for every unit"), "\(r.stderr)")
    }
}
