// Reproduces every row of fixtures/reference/estimatr_expected.csv: tidy() output of R estimatr 1.0.0
// on R 4.2.2 (provenance in fixtures/reference/README.md). Each case below is the translation of the
// R call stored in the file's `call` column. Tolerance: relative 1e-6 on estimate, std.error, statistic,
// df, p.value, conf.low and conf.high (absolute 1e-300 for p-values that underflow nothing here).
import Estimation
import Testing
import TestSupport

@Suite struct EstimatrReferenceTests {
    /// case name → (data file, specification). R term names map to rct's with `rctTerm`.
    static let cases: [String: (file: String, spec: EstimationSpec)] = [
        // lm_robust(mpg ~ hp, mtcars, se_type = …)
        "mtcars_ols_classical": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", variance: .classical)),
        "mtcars_ols_hc0": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", variance: .hc0)),
        "mtcars_ols_hc1": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", variance: .hc1)),
        "mtcars_ols_hc2": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", variance: .hc2)),
        "mtcars_ols_hc3": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", variance: .hc3)),
        // lm_robust(mpg ~ hp, mtcars, clusters = cyl, se_type = …)
        "mtcars_ols_cluster_cyl_cr0": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", clusters: "cyl", variance: .cr0)),
        "mtcars_ols_cluster_cyl_stata": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", clusters: "cyl", variance: .cr1)),
        "mtcars_ols_cluster_cyl_cr2": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", clusters: "cyl", variance: .cr2)),
        // lm_robust(mpg ~ hp + wt + am, mtcars, se_type = 'HC2'): am as the 0/1 treatment, hp and wt covariates
        "mtcars_ols_wt_hc2_multi": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "am", covariates: ["hp", "wt"], variance: .hc2)),
        // lm_robust(mpg ~ hp, mtcars, fixed_effects = ~carb, …)
        "mtcars_fe_carb_classical": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", fixedEffects: "carb", variance: .classical)),
        "mtcars_fe_carb_hc1": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", fixedEffects: "carb", variance: .hc1)),
        "mtcars_fe_carb_hc2": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", fixedEffects: "carb", variance: .hc2)),
        "mtcars_fe_carb_cluster_cyl_cr2": ("mtcars.csv", .init(outcomes: ["mpg"], treatment: "hp", fixedEffects: "carb", clusters: "cyl", variance: .cr2)),
        // difference_in_means(mpg ~ am, mtcars [, blocks = cyl])
        "mtcars_dim_am": ("mtcars.csv", .init(estimator: .dim, outcomes: ["mpg"], treatment: "am")),
        "mtcars_dim_am_blocks_cyl": ("mtcars.csv", .init(estimator: .dim, outcomes: ["mpg"], treatment: "am", blocks: "cyl")),
        // lm_lin(mpg ~ am, covariates = ~hp + wt, mtcars)  (default HC2)
        "mtcars_lin_am_hp_wt": ("mtcars.csv", .init(estimator: .lin, outcomes: ["mpg"], treatment: "am", covariates: ["hp", "wt"])),
        // iv_robust(mpg ~ hp + am | wt + gear, mtcars, se_type = …)
        "mtcars_iv_classical": ("mtcars.csv", .init(estimator: .iv, outcomes: ["mpg"], endogenous: ["hp", "am"], instruments: ["wt", "gear"], variance: .classical)),
        "mtcars_iv_hc1": ("mtcars.csv", .init(estimator: .iv, outcomes: ["mpg"], endogenous: ["hp", "am"], instruments: ["wt", "gear"], variance: .hc1)),
        "mtcars_iv_hc2": ("mtcars.csv", .init(estimator: .iv, outcomes: ["mpg"], endogenous: ["hp", "am"], instruments: ["wt", "gear"], variance: .hc2)),
        // lm_robust(extra ~ group, sleep): group is a factor with levels 1, 2 → term group2 (rct: group=2)
        "sleep_ols_hc2": ("sleep.csv", .init(outcomes: ["extra"], treatment: "group", control: "1")),
        // Lin (2013), Table 2 replication on alo_star_men
        "lin2013_unadjusted_hc0": ("alo_star_men.csv", .init(outcomes: ["GPA_year1"], treatment: "sfsp", variance: .hc0)),
        "lin2013_adjusted_hc0": ("alo_star_men.csv", .init(outcomes: ["GPA_year1"], treatment: "sfsp", covariates: ["gpa0"], variance: .hc0)),
        "lin2013_lin_hc0": ("alo_star_men.csv", .init(estimator: .lin, outcomes: ["GPA_year1"], treatment: "sfsp", covariates: ["gpa0"], variance: .hc0)),
        "lin2013_lin_hc2": ("alo_star_men.csv", .init(estimator: .lin, outcomes: ["GPA_year1"], treatment: "sfsp", covariates: ["gpa0"])),
    ]

    static func rctTerm(_ rTerm: String) -> String { rTerm == "group2" ? "group=2" : rTerm }

    @Test func everyReferenceCaseHasATranslation() throws {
        let expected = try ReferenceData.expected()
        #expect(expected.count == 56)
        let names = Set(expected.map(\.caseName))
        #expect(names == Set(Self.cases.keys), "cases without translation: \(names.subtracting(Self.cases.keys))")
    }

    @Test(arguments: try! ReferenceData.expected())
    func reproducesEstimatrRow(_ row: ReferenceData.Expected) throws {
        let (file, spec) = try #require(Self.cases[row.caseName])
        let result = try Estimation.estimate(spec, data: try ReferenceData.data(file))
        let got = try #require(result.row(outcome: row.outcome, term: Self.rctTerm(row.term)),
                               "\(row.caseName): no term \(row.term) in \(result.rows.map(\.term))")
        let pairs: [(String, Double, Double)] = [
            ("estimate", got.estimate, row.estimate), ("std.error", got.stdError, row.stdError),
            ("statistic", got.statistic, row.statistic), ("df", got.df, row.df), ("p.value", got.pValue, row.pValue),
            ("conf.low", got.confLow, row.confLow), ("conf.high", got.confHigh, row.confHigh),
        ]
        for (name, value, reference) in pairs {
            #expect(isClose(value, reference, relative: 1e-6), "\(row.caseName) \(row.term) \(name): \(value) vs R \(reference)")
        }
    }
}

extension ReferenceData.Expected: CustomTestStringConvertible {
    var testDescription: String { "\(caseName) \(term)" }
}
