import Basics
import Testing
import TrialDesign
import TrialData
import TestSupport
@testable import Panel

/// The two summary indices on a six-family example computed by hand.
///
/// Items a, b at m6. Control: (1, 2), (2, 2), (3, 5); treated: (3, 4), (5, –), (–, –).
/// Control means and SDs (n − 1): a 2 and 1; b 3 and √3. z-scores: C1 (−1, −1/√3), C2 (0, −1/√3),
/// C3 (1, 2/√3), T1 (1, 1/√3), T2 (3, –), T3 (–, –).
@Suite struct SurveyIndexTests {
    static let yaml = """
    trial: { id: index-test, title: Index test }
    arms:
      - { id: control, control: true }
      - { id: treat }
    randomisation: { method: complete, seed: 1 }
    waves:
      - { id: m6, offset_months: 6 }
    sources:
      - { id: s6, kind: survey, wave: m6, file: s6.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
    families:
      - { id: main }
    outcomes:
      - { id: klk, family: main, type: continuous, source: s6, rule: index_mean, items: [a, b], windows: { m6: [6, 6] } }
      - { id: icw, family: main, type: continuous, source: s6, rule: index_inverse_covariance, items: [a, b], windows: { m6: [6, 6] } }
    """

    static let answers: [(String, String, [String: Double])] = [
        ("C1", "control", ["a": 1, "b": 2]), ("C2", "control", ["a": 2, "b": 2]), ("C3", "control", ["a": 3, "b": 5]),
        ("T1", "treat", ["a": 3, "b": 4]), ("T2", "treat", ["a": 5]), ("T3", "treat", [:]),
    ]

    static func panel(answers: [(String, String, [String: Double])] = answers) throws -> PanelData {
        let design = try Design.parse(yaml: yaml)
        let units = answers.map { AssignedUnit(id: $0.0, arm: $0.1, assignedOn: CalendarDate(iso: "2019-01-15")!, probability: 0.5) }
        let responses = answers.map {
            SurveyResponse(source: "s6", wave: "m6", participant: $0.0, line: 1, interviewDate: CalendarDate(iso: "2019-07-20")!, answers: $0.2)
        }
        return try Panel.derive(design: design, units: units, records: [], responses: responses, exits: [])
    }

    let r3 = 3.0.squareRoot()

    @Test func klingLiebmanKatzMeanIndex() throws {
        let p = try Self.panel()
        func v(_ u: String) -> Double? { p.outcome("klk", unit: u, wave: "m6")?.value }
        #expect(isClose(v("C1")!, (-1 - 1 / r3) / 2, relative: 1e-12))
        #expect(isClose(v("C2")!, -1 / (2 * r3), relative: 1e-12))
        #expect(isClose(v("C3")!, (1 + 2 / r3) / 2, relative: 1e-12))
        #expect(isClose(v("T1")!, (1 + 1 / r3) / 2, relative: 1e-12))
        // T2's missing b is imputed at the treated arm's mean z of b (T1's only: 1/√3).
        #expect(isClose(v("T2")!, (3 + 1 / r3) / 2, relative: 1e-12))
        #expect(p.outcome("klk", unit: "T3", wave: "m6")?.status == .itemMissing)
        let ix = p.indices.first { $0.outcome == "klk" }!
        #expect(ix.controlMeans == [2, 3])
        #expect(isClose(ix.controlSDs[1], r3, relative: 1e-12) && ix.controlSDs[0] == 1)
        #expect(ix.weights == [0.5, 0.5])
    }

    /// Complete cases C1, C2, C3, T1. With b' = √3 z_b: a = (−1, 0, 1, 1), b' = (−1, −1, 2, 1), both with
    /// mean 1/4: Var(a) = 2.75/3 = 11/12, Var(z_b) = 6.75/9 = 3/4, Cov(a, z_b) = 3.75/(3√3) = 1.25/√3.
    /// det Σ = 11/12 · 3/4 − 1.5625/3 = 1/6, so w = Σ⁻¹1 = 6 (3/4 − 1.25/√3, 11/12 − 1.25/√3)
    /// = (4.5 − 7.5/√3, 5.5 − 7.5/√3) = (0.16987298…, 1.16987298…); relative weights (0.1267949…, 0.8732051…).
    /// Raw index: (w_a z_a + w_b z_b)/(w_a + w_b); T2 has a only, so its raw index is z_a = 3. Control raw
    /// indices average 0 (each z averages 0 over the control group), and are re-standardised by their SD.
    @Test func andersonInverseCovarianceIndex() throws {
        let p = try Self.panel()
        let wa = 4.5 - 7.5 / r3, wb = 5.5 - 7.5 / r3
        let ix = p.indices.first { $0.outcome == "icw" }!
        #expect(isClose(ix.weights[0], wa / (wa + wb), relative: 1e-10))
        #expect(isClose(ix.weights[0], 0.12679491924311204, relative: 1e-10))
        #expect(isClose(ix.weights[1], 0.873205080756888, relative: 1e-10))
        func raw(_ a: Double, _ b: Double) -> Double { (wa * a + wb * b) / (wa + wb) }
        let control = [raw(-1, -1 / r3), raw(0, -1 / r3), raw(1, 2 / r3)]
        let mean = control.reduce(0, +) / 3
        let sd = (control.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        #expect(abs(mean) < 1e-12)
        #expect(isClose(ix.rescaleSD!, sd, relative: 1e-10))
        #expect(isClose(ix.rescaleSD!, 0.9850549273862389, relative: 1e-10))
        func v(_ u: String) -> Double? { p.outcome("icw", unit: u, wave: "m6")?.value }
        #expect(isClose(v("C1")!, (control[0] - mean) / sd, relative: 1e-10))
        #expect(isClose(v("C3")!, 1.152306601948018, relative: 1e-10))
        #expect(isClose(v("T1")!, (raw(1, 1 / r3) - mean) / sd, relative: 1e-10))
        #expect(isClose(v("T2")!, (3 - mean) / sd, relative: 1e-10))
        #expect(isClose(v("T2")!, 3.0455154495397023, relative: 1e-10))
        #expect(p.outcome("icw", unit: "T3", wave: "m6")?.status == .itemMissing)
    }

    @Test func indexFailuresAreExplained() throws {
        // Every control answer to a is 2: no spread to standardise by.
        var answers = Self.answers
        answers[0].2["a"] = 2
        answers[2].2["a"] = 2
        #expect(throws: PanelError.cannotStandardise(outcome: "klk", wave: "m6", item: "a", why: "every control answer is 2.0, SD 0")) {
            try Self.panel(answers: answers)
        }
        // b = 2a exactly in every complete case: singular covariance.
        let collinear: [(String, String, [String: Double])] = [
            ("C1", "control", ["a": 1, "b": 2]), ("C2", "control", ["a": 2, "b": 4]), ("C3", "control", ["a": 4, "b": 8]),
            ("T1", "treat", ["a": 3, "b": 6]),
        ]
        #expect(throws: PanelError.singularCovariance(outcome: "icw", wave: "m6", items: ["a", "b"])) {
            try Self.panel(answers: collinear)
        }
    }

    @Test func waveWithoutInterviewsIsNotAnError() throws {
        let design = try Design.parse(yaml: Self.yaml)
        let units = Self.answers.map { AssignedUnit(id: $0.0, arm: $0.1, assignedOn: CalendarDate(iso: "2019-01-15")!, probability: 0.5) }
        let p = try Panel.derive(design: design, units: units, records: [], responses: [], exits: [])
        #expect(p.rows.allSatisfy { $0.outcomes.allSatisfy { $0.status == .noInterview } })
        #expect(p.indices.isEmpty)
    }

    @Test func solverMatchesAHandSolvedSystem() {
        // [[4, 2], [2, 3]] x = [1, 1] → x = (1/8, 1/4); a pivot swap is needed for [[0, 1], [1, 0]].
        let x = SurveyIndex.solve([[4, 2], [2, 3]], [1, 1])!
        #expect(isClose(x[0], 0.125, relative: 1e-14) && isClose(x[1], 0.25, relative: 1e-14))
        #expect(SurveyIndex.solve([[0, 1], [1, 0]], [2, 3]) == [3, 2])
        #expect(SurveyIndex.solve([[1, 2], [2, 4]], [1, 1]) == nil)
    }
}
