import Assignment
import Basics
import Foundation
import TestSupport
import Testing
import TrialData
import TrialDesign

/// The exact binomial test and the checks of an assignment list made elsewhere, on plain values.
@Suite struct ExternalAssignmentTests {
    // MARK: Exact binomial test

    /// Closed forms for p = 1/2, where the distribution is symmetric: binom.test(3, 10) sums the six
    /// outcomes 0–3 and 7–10: 2·(1 + 10 + 45 + 120)/1024 = 0.34375; binom.test(0, 10) = 2/1024.
    @Test func symmetricClosedForms() {
        #expect(isClose(ExactBinomial.twoSidedPValue(successes: 3, trials: 10, p: 0.5), 0.34375, relative: 1e-12))
        #expect(isClose(ExactBinomial.twoSidedPValue(successes: 7, trials: 10, p: 0.5), 0.34375, relative: 1e-12))
        #expect(isClose(ExactBinomial.twoSidedPValue(successes: 0, trials: 10, p: 0.5), 2.0 / 1024, relative: 1e-12))
        #expect(isClose(ExactBinomial.twoSidedPValue(successes: 5, trials: 10, p: 0.5), 1, relative: 1e-12))
        #expect(ExactBinomial.twoSidedPValue(successes: 0, trials: 0, p: 0.3) == 1)
        // 5 of 33 (the fixture `implausible.csv`): 2·Σ_{k≤5} C(33,k)/2^33.
        let tail = (0...5).reduce(0.0) { $0 + binomialCoefficient(33, $1) } / pow(2, 33)
        #expect(isClose(ExactBinomial.twoSidedPValue(successes: 5, trials: 33, p: 0.5), 2 * tail, relative: 1e-12))
    }

    /// The definition, computed independently with exact integer binomial coefficients: the sum of
    /// P(K = k) over k with P(K = k) ≤ P(K = x)(1 + 10⁻⁷), over a grid of n, p and every x.
    @Test func agreesWithTheDefinitionOverAGrid() {
        for n in [1, 2, 5, 9, 20, 40] {
            for p in [0.2, 1.0 / 3, 0.5, 0.7] {
                let pmf = (0...n).map { binomialCoefficient(n, $0) * pow(p, Double($0)) * pow(1 - p, Double(n - $0)) }
                for x in 0...n {
                    let expected = min(1, pmf.filter { $0 <= pmf[x] * (1 + 1e-7) }.reduce(0, +))
                    let got = ExactBinomial.twoSidedPValue(successes: x, trials: n, p: p)
                    #expect(isClose(got, expected, relative: 1e-9, absolute: 1e-15), "n \(n) p \(p) x \(x)")
                    #expect(got > 0 && got <= 1)
                }
            }
        }
    }

    func binomialCoefficient(_ n: Int, _ k: Int) -> Double {
        var c = 1.0
        for i in 0..<k { c = c * Double(n - i) / Double(i + 1) }
        return c.rounded()
    }

    // MARK: Review

    func day(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

    func context(method: RandomisationMethod = .blocked, screening: [String: String?]? = nil,
                 window: (CalendarDate, CalendarDate)? = nil, probabilities: Bool = false) throws -> ExternalAssignmentContext {
        let ids = (1...9).map { "F\($0)" }
        return ExternalAssignmentContext(
            file: "list.csv", cohortName: "cohort.csv", allocation: try Allocation(arms: ["control", "intervention"], weights: [1, 1]),
            method: method, idColumn: "gezin_id", armColumn: "groep", dateColumn: "datum",
            armProbabilityColumns: probabilities ? ["control": "kans_c", "intervention": "kans_i"] : [:],
            screening: screening ?? Dictionary(uniqueKeysWithValues: ids.map { ($0, String?.none) }),
            window: window.map { ($0.0, $0.1, "rule w") })
    }

    func row(_ line: Int, _ id: String, _ arm: String, stratum: String? = nil, date: String = "2018-01-10",
             probabilities: [String: Double] = [:]) -> ExternalAssignmentRow {
        ExternalAssignmentRow(line: line, unitID: id, arm: arm, assignedOn: day(date), stratum: stratum, armProbabilities: probabilities)
    }

    /// Complete assignment within stratum: p = n_arm / n_stratum, per stratum.
    @Test func derivesProbabilitiesFromTheCountsPerStratum() throws {
        let rows = [row(2, "F1", "control", stratum: "a"), row(3, "F2", "intervention", stratum: "a"),
                    row(4, "F3", "intervention", stratum: "a"), row(5, "F4", "control", stratum: "b"),
                    row(6, "F5", "intervention", stratum: "b")]
        let r = ExternalAssignmentReview.review(rows, context: try context())
        #expect(r.problems.isEmpty)
        #expect(r.probabilitiesDerived)
        let expected: [Double] = [1.0 / 3, 2.0 / 3, 2.0 / 3, 0.5, 0.5]
        #expect(r.assignments.map(\.probability) == expected)
        #expect(r.derivation!.contains("p = n_arm / n_stratum (a: control 1/3, intervention 2/3; b: control 1/2, intervention 1/2)"))
        #expect(r.strata.map(\.counts) == [[1, 2], [1, 1]])
        // Simple randomisation: each family's probability is the declared share, whatever the counts.
        let simple = ExternalAssignmentReview.review(rows, context: try context(method: .simple))
        #expect(simple.assignments.allSatisfy { $0.probability == 0.5 })
        #expect(simple.derivation!.contains("simple randomisation: p = the arm's declared share, control 0.5, intervention 0.5"))
    }

    @Test func givenProbabilitiesAreKeptAndChecked() throws {
        let ok = [row(2, "F1", "control", probabilities: ["control": 0.6, "intervention": 0.4]),
                  row(3, "F2", "intervention", probabilities: ["control": 0.6, "intervention": 0.4])]
        let r = ExternalAssignmentReview.review(ok, context: try context(probabilities: true))
        #expect(r.problems.isEmpty && !r.probabilitiesDerived && r.derivation == nil)
        #expect(r.assignments.map(\.probability) == [0.6, 0.4])
        let bad = [row(2, "F1", "control", probabilities: ["control": 0.6, "intervention": 0.3]),
                   row(3, "F2", "intervention", probabilities: ["control": 0.0, "intervention": 1.0])]
        let messages = ExternalAssignmentReview.review(bad, context: try context(probabilities: true)).problems.map(\.message)
        #expect(messages.count == 3)
        #expect(messages[0] == "list.csv:2: the arm probabilities add up to 0.9 (kans_c 0.6 + kans_i 0.3), not 1; each row's "
            + "probabilities over the arms must sum to one: correct them")
        #expect(messages[1].hasPrefix("list.csv:3: kans_c 0.0 is outside (0, 1)"))
        #expect(messages[2].hasPrefix("list.csv:3: kans_i 1.0 is outside (0, 1)"))
    }

    @Test func everyRowProblemNamesTheLineAndWhatToDo() throws {
        let screening: [String: String?] = ["F1": nil, "F2": nil, "F3": .some("no informed consent")]
        let rows = [row(2, "F1", "Interventi"), row(3, "F2", "control", date: "2020-01-01"),
                    row(4, "F3", "control"), row(5, "F9", "control"), row(6, "F1", "control")]
        let r = ExternalAssignmentReview.review(rows, context: try context(screening: screening,
                                                                           window: (day("2017-04-01"), day("2019-04-30"))))
        let m = r.problems.map(\.message)
        #expect(m.count == 5)
        #expect(m[0].hasPrefix("list.csv:2: groep \"Interventi\" is not an arm of the design (control, intervention); map the file's label"))
        #expect(m[1] == "list.csv:3: datum 2020-01-01 is outside the enrolment window 2017-04-01 to 2019-04-30 (rule w); "
            + "correct the date, or give the window the trial really used with --window FROM,TO")
        #expect(m[2].hasPrefix("list.csv:4: family F3 was screened out of the trial (no informed consent)"))
        #expect(m[3].hasPrefix("list.csv:5: family F9 is not in the cohort (cohort.csv)"))
        #expect(m[4].hasPrefix("list.csv:6: family F1 is listed twice (lines 2 and 6)"))
        #expect(!r.isImportable)
    }

    @Test func anImplausibleSplitIsAWarningNotAProblem() throws {
        let rows = (1...9).map { row($0 + 1, "F\($0)", "intervention") }
        let r = ExternalAssignmentReview.review(rows, context: try context())
        #expect(r.problems.isEmpty)
        #expect(r.strata.count == 1 && r.strata[0].stratum == "all" && r.strata[0].implausible)
        #expect(isClose(r.strata[0].pValue, 2.0 / 512, relative: 1e-12))
        #expect(r.warnings.count == 2)
        #expect(r.warnings.last == "stratum all: all 9 families are in intervention, so the derived probability is 1 and the "
            + "stratum tells nothing about the effect; check the list, or give the probabilities in the file")
        #expect(r.warnings.first == ["stratum all: 0 control, 9 intervention (n = 9); under the declared ratio 1:1 a split at least "
            + "this uneven has probability 0.003906 (exact binomial test). Check that the list holds the whole stratum, that the "
            + "arm labels are mapped right, and that 1:1 is the ratio that was used"][0])
    }
}
