import Foundation
import Testing
import TestSupport
@testable import TrialDesign

/// `analysis:` as one primary specification and named sensitivity specifications, each taking from the
/// primary what it does not state; the validator's refusals with their key paths.
@Suite struct AnalysisSpecificationTests {
    static func design(_ analysis: String) throws -> Design {
        let base = try Fixtures.contents("fixtures/designs/minimal.yaml")
        let covariates = """
        covariates:
          - { id: age, label: Age, column: age }
          - { id: income, label: Income, column: income }

        """
        return try Design.parse(yaml: base + covariates + analysis)
    }

    static func problems(_ analysis: String) -> [DesignIssue] {
        do { _ = try design(analysis); return [] } catch let e as DesignError { return e.issues } catch { return [] }
    }

    @Test func sensitivitySpecificationsInheritWhatTheyDoNotState() throws {
        let d = try Self.design("""
        analysis:
          estimator: lin
          variance: hc2
          covariates: [age, income]
          sensitivity:
            - { id: unadjusted, label: Difference in means, estimator: dim }
            - { id: hc1, variance: hc1 }
            - { id: no_covariates, estimator: ols, covariates: [] }
        """)
        let a = d.analysis
        #expect(a.primary == AnalysisSpecification(id: "primary", label: "Primary analysis", estimator: .lin, variance: .hc2,
                                                   fixedEffects: true, covariates: ["age", "income"]))
        #expect(a.specifications.map(\.id) == ["primary", "unadjusted", "hc1", "no_covariates"])
        #expect(a.specification(named: "unadjusted")?.estimator == .dim)
        #expect(a.specification(named: "unadjusted")?.covariates == ["age", "income"])
        #expect(a.specification(named: "hc1").map { ($0.estimator, $0.variance, $0.label) } ?? (.ols, .hc0, "") == (.lin, .hc1, "hc1"))
        #expect(a.specification(named: "no_covariates")?.covariates == [])
        #expect(a.specification(named: "nothing") == nil)
        // Without sensitivity: only the primary.
        #expect(try Self.design("analysis: { estimator: ols }\n").analysis.specifications.map(\.id) == ["primary"])
    }

    @Test func theValidatorRefusesSpecificationsItCannotRun() {
        func first(_ yaml: String) -> (String, Int?, String)? {
            Self.problems(yaml).first.map { ($0.path, $0.line, $0.message) }
        }
        let head = "analysis:\n  covariates: [age]\n  sensitivity:\n"
        let unknown = first(head + "    - { id: more, covariates: [age, wealth] }\n")
        #expect(unknown?.0 == "analysis.sensitivity[0].covariates" && unknown?.1 == 36)
        #expect(unknown?.2.contains("\"wealth\" is not declared; declared: age, income") == true)
        let same = first(head + "    - { id: same, estimator: lin }\n")
        #expect(same?.0 == "analysis.sensitivity[0]" && same?.2.contains("states nothing that differs from the primary") == true)
        let primary = first(head + "    - { id: primary, estimator: dim }\n")
        #expect(primary?.0 == "analysis.sensitivity[0].id" && primary?.2.contains("names the primary analysis") == true)
        let twice = Self.problems(head + "    - { id: a, estimator: dim }\n    - { id: a, estimator: ols }\n")
        #expect(twice.contains { $0.path == "analysis.sensitivity[1].id" && $0.message.contains("used twice") })
        let iv = first(head + "    - { id: iv, estimator: iv }\n")
        #expect(iv?.0 == "analysis.sensitivity[0].estimator")
        let strata = first("analysis:\n  strata_fixed_effects: false\n  sensitivity:\n    - { id: fe, strata_fixed_effects: true }\n")
        #expect(strata?.0 == "analysis.sensitivity[0].strata_fixed_effects" && strata?.2.contains("no strata") == true)
        let misspelt = Self.problems(head + "    - { id: x, estimater: dim }\n")
        #expect(misspelt.contains { $0.path == "analysis.sensitivity[0].estimater" && $0.message.contains("did you mean \"estimator\"") })
    }
}
