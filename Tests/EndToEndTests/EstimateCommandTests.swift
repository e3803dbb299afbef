// End-to-end runs of `rct estimate` on the reference files of fixtures/reference/ (provenance in its
// README). Expected numbers are rows of fixtures/reference/estimatr_expected.csv (R estimatr 1.0.0),
// compared at relative tolerance 1e-6 (CSV and JSON carry every digit; the table rounds to 6
// significant digits and is compared as text).
import Foundation
import Testing
import TestSupport

@Suite struct EstimateCommandTests {
    static let mtcars = "fixtures/reference/mtcars.csv"

    /// Parses the CSV output (no quoted fields in these cases) into rows keyed by column name.
    static func csvRows(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: ",").map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    @Test func linInCSVMatchesEstimatr() throws {
        // lm_lin(mpg ~ am, covariates = ~hp + wt, mtcars)
        let r = try RCTBinary.run(["estimate", "--data", Self.mtcars, "--outcome", "mpg", "--treatment", "am",
                                   "--estimator", "lin", "--covariates", "hp,wt", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.hasPrefix("outcome,term,estimate,std_error,statistic,df,p_value,conf_low,conf_high,n_obs\n"))
        let rows = Self.csvRows(r.stdout)
        #expect(rows.map { $0["term"]! } == ["(Intercept)", "am", "hp_c", "wt_c", "am:hp_c", "am:wt_c"])
        let expected: [String: [Double]] = [  // estimate, std.error, df, p.value, conf.low, conf.high
            "am": [-0.743172624708135, 1.24065074748741, 26, 0.554344607600863, -3.29336675924278, 1.80702150982651],
            "am:wt_c": [-5.76894729144937, 1.58222208941786, 26, 0.00116816599110199, -9.02125137471882, -2.51664320817992],
        ]
        for row in rows {
            #expect(row["outcome"] == "mpg")
            #expect(row["n_obs"] == "32")
            guard let e = expected[row["term"]!] else { continue }
            let got = ["estimate", "std_error", "df", "p_value", "conf_low", "conf_high"].map { Double(row[$0]!)! }
            for (g, x) in zip(got, e) { #expect(isClose(g, x, relative: 1e-6), "\(row["term"]!): \(g) vs \(x)") }
        }
    }

    @Test func instrumentalVariablesInJSONMatchEstimatr() throws {
        // iv_robust(mpg ~ hp + am | wt + gear, mtcars, se_type = 'HC2')
        let r = try RCTBinary.run(["estimate", "--data", Self.mtcars, "--outcome", "mpg", "--estimator", "iv",
                                   "--endogenous", "hp,am", "--instrument", "wt,gear", "--se", "hc2", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let estimates = try #require(object["estimates"] as? [[String: Any]])
        #expect((object["warnings"] as? [Any])?.isEmpty == true)
        #expect(estimates.map { $0["term"] as? String } == ["(Intercept)", "hp", "am"])
        #expect(Set(estimates[0].keys) == ["outcome", "term", "estimate", "std_error", "statistic", "df", "p_value",
                                           "conf_low", "conf_high", "n_obs"])
        let am = estimates[2]
        let pairs: [(String, Double)] = [("estimate", 5.74276082920184), ("std_error", 1.54573572889969),
                                         ("statistic", 3.71522810906993), ("df", 29), ("p_value", 0.000861717287009048),
                                         ("conf_low", 2.58137629755259), ("conf_high", 8.9041453608511)]
        for (key, value) in pairs {
            let got = try #require(am[key] as? Double)
            #expect(isClose(got, value, relative: 1e-6), "\(key): \(got) vs \(value)")
        }
        #expect(am["n_obs"] as? Int == 32)
        #expect(am["outcome"] as? String == "mpg")
        let first = try #require(object["first_stage"] as? [[String: Any]])
        #expect(first.map { $0["endogenous"] as? String } == ["hp", "am"])
    }

    @Test func blockedDifferenceInMeansAsTable() throws {
        // difference_in_means(mpg ~ am, mtcars, blocks = cyl): 2.24739583333333, SE 0.757830422247197, df 26
        let r = try RCTBinary.run(["estimate", "--data", Self.mtcars, "--outcome", "mpg", "--treatment", "am",
                                   "--estimator", "dim", "--blocks", "cyl"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 2)
        #expect(lines[0] == ["outcome", "term", "estimate", "std_error", "statistic", "df", "p_value", "conf_low", "conf_high", "n_obs"])
        #expect(lines[1] == ["mpg", "am", "2.2474", "0.75783", "2.96557", "26", "0.00639757", "0.689653", "3.80514", "32"])
    }

    @Test func categoricalTreatmentTermAndClusteredStataSynonym() throws {
        // lm_robust(extra ~ group, sleep): group2 = 1.58, SE 0.849091017238762 (HC2, the default)
        let sleep = try RCTBinary.run(["estimate", "--data", "fixtures/reference/sleep.csv", "--outcome", "extra",
                                       "--treatment", "group", "--control", "1", "--format", "csv"])
        #expect(sleep.status == 0, "\(sleep.stderr)")
        let row = try #require(Self.csvRows(sleep.stdout).first { $0["term"] == "group=2" })
        #expect(isClose(Double(row["std_error"]!)!, 0.849091017238762, relative: 1e-6))
        #expect(isClose(Double(row["estimate"]!)!, 1.58, relative: 1e-6))
        // lm_robust(mpg ~ hp, mtcars, clusters = cyl, se_type = 'stata'): SE(hp) 0.0186768144473478, df 2
        let stata = try RCTBinary.run(["estimate", "--data", Self.mtcars, "--outcome", "mpg", "--treatment", "hp",
                                       "--clusters", "cyl", "--se", "stata", "--format", "csv"])
        #expect(stata.status == 0, "\(stata.stderr)")
        let hp = try #require(Self.csvRows(stata.stdout).first { $0["term"] == "hp" })
        #expect(isClose(Double(hp["std_error"]!)!, 0.0186768144473478, relative: 1e-6))
        #expect(hp["df"] == "2.0")
        // The clusters the estimate rests on, as effects.csv has them: mtcars has 3 values of cyl.
        #expect(stata.stdout.hasPrefix("outcome,term,estimate,std_error,statistic,df,p_value,conf_low,conf_high,n_obs,n_clusters\n"))
        #expect(hp["n_obs"] == "32" && hp["n_clusters"] == "3")
        let stataJSON = try RCTBinary.run(["estimate", "--data", Self.mtcars, "--outcome", "mpg", "--treatment", "hp",
                                           "--clusters", "cyl", "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(stataJSON.stdout.utf8)) as? [String: Any])
        let estimates = try #require(document["estimates"] as? [[String: Any]])
        #expect(!estimates.isEmpty && estimates.allSatisfy { $0["n_clusters"] as? Int == 3 && $0["n_obs"] as? Int == 32 })
        let stataTable = try RCTBinary.run(["estimate", "--data", Self.mtcars, "--outcome", "mpg", "--treatment", "hp", "--clusters", "cyl"])
        #expect(stataTable.stdout.split(separator: "\n").first?.hasSuffix("n_obs  n_clusters") == true, "\(stataTable.stdout)")
        // Without clusters, `stata` is Stata's `, robust` = HC1: lm_robust(mpg ~ hp, mtcars, se_type = 'HC1')
        let robust = try RCTBinary.run(["estimate", "--data", Self.mtcars, "--outcome", "mpg", "--treatment", "hp",
                                        "--se", "stata", "--format", "csv"])
        let hc1 = try #require(Self.csvRows(robust.stdout).first { $0["term"] == "hp" })
        #expect(isClose(Double(hc1["std_error"]!)!, 0.0135603981913597, relative: 1e-6))
        #expect(hc1["df"] == "30.0")
    }

    @Test func listwiseDeletionIsReportedAsAWarning() throws {
        let args = ["estimate", "--data", "fixtures/estimation/mtcars-missing.csv", "--outcome", "mpg", "--treatment", "am",
                    "--covariates", "hp"]
        let csv = try RCTBinary.run(args + ["--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stderr == "warning: outcome \"mpg\": 4 of 32 rows dropped for missing values in \"mpg\", \"hp\" (listwise deletion); 28 rows used\n")
        #expect(Self.csvRows(csv.stdout).allSatisfy { $0["n_obs"] == "28" })
        let json = try RCTBinary.run(args + ["--format", "json"])
        #expect(json.status == 0)
        #expect(json.stderr.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["warnings"] as? [String] == ["outcome \"mpg\": 4 of 32 rows dropped for missing values in \"mpg\", \"hp\" (listwise deletion); 28 rows used"])
    }

    @Test(arguments: [
        (["--data", mtcars, "--outcome", "nope", "--treatment", "am"],
         "there is no column \"nope\"; the columns are: model, mpg, cyl"),
        (["--data", mtcars, "--outcome", "model", "--treatment", "am"],
         "line 2, column \"model\" (outcome): \"Mazda RX4\" is not a number; the outcome must be numeric"),
        (["--data", mtcars, "--outcome", "mpg", "--treatment", "am", "--estimator", "dim", "--blocks", "gear"],
         "block \"3\" of column \"gear\" has units only in arm \"0\" and none in \"1\"; every block needs both arms"),
        (["--data", "fixtures/estimation/mtcars-collinear.csv", "--outcome", "mpg", "--treatment", "am", "--covariates", "hp,hp_twice"],
         "outcome \"mpg\": the design is singular: column \"hp_twice\" is constant or a linear combination of \"(Intercept)\", \"am\", \"hp\""),
        (["--data", mtcars, "--outcome", "mpg", "--treatment", "am", "--fixed-effects", "cyl", "--covariates", "cyl"],
         "column \"cyl\" is constant within every stratum of the fixed effects \"cyl\""),
        (["--data", mtcars, "--outcome", "mpg", "--treatment", "am", "--estimator", "dim", "--clusters", "cyl"],
         "cluster \"6\" of column \"cyl\" contains units with different values of treatment \"am\""),
        (["--data", mtcars, "--outcome", "mpg", "--estimator", "iv", "--endogenous", "hp"],
         "--estimator iv needs --endogenous COLUMN[,COLUMN] and --instrument COLUMN[,COLUMN]"),
        (["--data", mtcars, "--outcome", "mpg", "--treatment", "am", "--control", "2"],
         "--control \"2\" is not a level of treatment column \"am\"; its levels are: 0, 1"),
        (["--data", mtcars, "--outcome", "mpg", "--treatment", "am", "--blocks", "cyl"],
         "--blocks is used by --estimator dim; with --estimator ols pass the blocks as --fixed-effects cyl"),
        (["--data", mtcars, "--outcome", "mpg", "--treatment", "am", "--estimator", "lin"],
         "--estimator lin needs covariates to centre and interact: pass --covariates A,B (or use --estimator ols)"),
        (["--data", "fixtures/reference/nope.csv", "--outcome", "mpg", "--treatment", "am"],
         "fixtures/reference/nope.csv: cannot read the file; check the path given to --data"),
    ])
    func badInputExitsWithANamedCause(arguments: [String], message: String) throws {
        let r = try RCTBinary.run(["estimate"] + arguments)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("rct estimate: error: "), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    /// A text treatment without --control: the first level is the control, and a warning says how to
    /// choose another (the note of `Estimation`, worded with the command line's options).
    @Test func textTreatmentWithoutControlWarnsInTheCommandLinesWords() throws {
        let dir = try Fixtures.temporaryDirectory("rct-estimate-control")
        let path = dir.appendingPathComponent("arms.csv").path
        try "y,arm\n1,t\n2,c\n3,t\n4,c\n5,t\n6,c\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["estimate", "--data", path, "--outcome", "y", "--treatment", "arm", "--estimator", "dim",
                                   "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "warning: treatment \"arm\" has levels c, t; \"c\" was taken as the control (pass --control LEVEL to choose another)\n")
        #expect(Self.csvRows(r.stdout).map { $0["term"] } == ["arm=t"])
    }

    /// The JSON goes through the shared encoder: numbers that are not finite (a perfect fit: standard
    /// error 0, statistic ±∞ or NaN) are `null`, and names with a quote or backslash are escaped.
    @Test func nonFiniteNumbersAreNullAndNamesAreEscapedInJSON() throws {
        let dir = try Fixtures.temporaryDirectory("rct-estimate-json")
        let path = dir.appendingPathComponent("perfect.csv").path
        try "\"y\"\"\\\",z\n0,0\n1,1\n1,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["estimate", "--data", path, "--outcome", "y\"\\", "--treatment", "z", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["estimates"] as? [[String: Any]])
        let z = try #require(rows.first { $0["term"] as? String == "z" })
        #expect(z["outcome"] as? String == "y\"\\")
        #expect((z["estimate"] as? NSNumber)?.doubleValue == 1)
        #expect((z["std_error"] as? NSNumber)?.doubleValue == 0)
        #expect(z["statistic"] is NSNull)
        let intercept = try #require(rows.first { $0["term"] as? String == "(Intercept)" })
        #expect(intercept["statistic"] is NSNull && intercept["p_value"] is NSNull)
    }

    @Test func unknownVarianceNameIsAUsageError() throws {
        let r = try RCTBinary.run(["estimate", "--data", Self.mtcars, "--outcome", "mpg", "--treatment", "am", "--se", "hc9"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--se \"hc9\" is not a variance estimator; choose one of classical, hc0, hc1, hc2, hc3, cr0, cr1, stata, cr2"))
        let help = try RCTBinary.run(["estimate", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--fixed-effects"))
    }
}
