import Foundation
import Inference
import Testing
import TestSupport

/// R's p.adjust outputs frozen in fixtures/inference/p_adjust.csv (computed by a line-by-line
/// transcription of R's p.adjust algorithm, see fixtures/inference/README.md). Tolerance 1e-12.
@Suite struct PAdjustReferenceTests {
    struct Row { let caseName: String; let p, holm, bonferroni, bh, by: Double }

    static func rows() throws -> [Row] {
        try Fixtures.contents("fixtures/inference/p_adjust.csv").split(separator: "\n").dropFirst().map { line in
            let c = line.split(separator: ",").map(String.init)
            return Row(caseName: c[0], p: Double(c[2])!, holm: Double(c[3])!, bonferroni: Double(c[4])!,
                       bh: Double(c[5])!, by: Double(c[6])!)
        }
    }

    @Test func everyMethodMatchesTheFrozenValues() throws {
        let rows = try Self.rows()
        let cases = Dictionary(grouping: rows, by: \.caseName)
        #expect(cases.count == 4)
        for (name, group) in cases {
            let p = group.map(\.p)
            let checks: [(MultipleTesting.Method, KeyPath<Row, Double>)] = [
                (.holm, \.holm), (.bonferroni, \.bonferroni), (.bh, \.bh), (.by, \.by)]
            for (method, key) in checks {
                let adjusted = try MultipleTesting.adjust(p, method: method)
                for (a, row) in zip(adjusted, group) {
                    #expect(abs(a - row[keyPath: key]) < 1e-12, "\(name) \(method): \(a) vs \(row[keyPath: key])")
                }
            }
        }
    }

    /// Benjamini & Hochberg (1995, section 4): of their 15 p-values, BH at q = 0.05 rejects four.
    @Test func benjaminiHochbergRejectsFourInTheirExample() throws {
        let p = try Self.rows().filter { $0.caseName == "bh1995" }.map(\.p)
        #expect(try MultipleTesting.benjaminiHochberg(p).filter { $0 <= 0.05 }.count == 4)
    }

    /// Properties over a grid of vectors: adjusted ≥ raw, ≤ 1, Bonferroni ≥ Holm ≥ raw, BY ≥ BH, and
    /// order preserved (a smaller raw p never gets a larger adjusted p).
    @Test func orderingProperties() throws {
        let vectors: [[Double]] = [[0.5], [0.01, 0.04, 0.04, 0.2], [0.9, 0.001, 0.3, 0.049, 0.051, 0.0],
                                   (1...12).map { Double($0) / 13 }, [1, 1, 1]]
        for p in vectors {
            let holm = try MultipleTesting.holm(p), bonf = try MultipleTesting.bonferroni(p)
            let bh = try MultipleTesting.benjaminiHochberg(p), by = try MultipleTesting.benjaminiYekutieli(p)
            let q = try MultipleTesting.sharpenedQValues(p)
            for i in p.indices {
                #expect(p[i] <= holm[i] && holm[i] <= bonf[i] && bonf[i] <= 1)
                #expect(p[i] <= bh[i] + 1e-15 && bh[i] <= by[i] && by[i] <= 1)
                #expect(bh[i] <= holm[i] + 1e-15)
                #expect(q[i] > 0 && q[i] <= 1)
                for j in p.indices where p[i] < p[j] {
                    #expect(holm[i] <= holm[j] && bh[i] <= bh[j] && by[i] <= by[j] && q[i] <= q[j])
                }
            }
        }
    }

    @Test func badInput() {
        #expect(throws: InferenceError.invalidArgument("p-value 2 is 1.5; p-values must lie between 0 and 1")) {
            try MultipleTesting.holm([0.1, 1.5])
        }
        #expect(throws: InferenceError.self) { try MultipleTesting.benjaminiHochberg([]) }
        #expect(throws: InferenceError.self) { try MultipleTesting.sharpenedQValues([.nan]) }
    }
}

/// Anderson (2008) sharpened q-values, the reference cases of /work/shared/reference/README.md, frozen in
/// fixtures/inference/sharpened_q.csv. Results are on a 0.001 grid, so equality within 1e-12.
@Suite struct SharpenedQReferenceTests {
    @Test func matchesAndersonsCode() throws {
        let lines = try Fixtures.contents("fixtures/inference/sharpened_q.csv").split(separator: "\n").dropFirst()
        #expect(lines.count == 4)
        for line in lines {
            let c = line.split(separator: ",").map(String.init)
            let p = c[1].split(separator: ";").map { Double($0)! }
            let expected = c[2].split(separator: ";").map { Double($0)! }
            let q = try MultipleTesting.sharpenedQValues(p)
            #expect(q.count == expected.count)
            for (a, b) in zip(q, expected) { #expect(abs(a - b) < 1e-12, "\(c[0]): \(q) vs \(expected)") }
        }
    }
}

@Suite struct StepDownTests {
    /// Generated joint distribution: m outcomes, S draws; `correlated` copies one column into all.
    static func joint(m: Int, s: Int, correlated: Bool, seed: Int) -> [[Double]] {
        var state = UInt64(seed)
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        let base = (0..<s).map { _ in next() }
        return (0..<m).map { _ in correlated ? base : (0..<s).map { _ in next() } }
    }

    /// With one outcome both step-down procedures return the plain randomization p-value.
    @Test func oneOutcomeGivesTheRandomizationP() throws {
        let permuted = Self.joint(m: 1, s: 500, correlated: false, seed: 1)
        for t in [0.0, 0.1, 0.3, 0.45, 0.6] {
            let raw = RandomizationInference.pValues(observed: t, distribution: permuted[0]).twoTailed
            #expect(try StepDown.romanoWolf(observed: [t], permuted: permuted)[0] == raw)
            #expect(try StepDown.westfallYoung(observed: [t], permuted: permuted)[0] == raw)
        }
    }

    /// Identical outcomes need no correction (adjusted = raw); independent outcomes are adjusted at least
    /// as much as raw, and Westfall–Young never exceeds Holm.
    @Test func correlationIsUsed() throws {
        let observed = [0.46, 0.40, 0.2, 0.49]
        let same = Self.joint(m: 4, s: 2000, correlated: true, seed: 2)
        let raw = observed.map { RandomizationInference.pValues(observed: $0, distribution: same[0]).twoTailed }
        let rwSame = try StepDown.romanoWolf(observed: observed, permuted: same)
        let wySame = try StepDown.westfallYoung(observed: observed, permuted: same)
        for k in 0..<4 {
            #expect(abs(rwSame[k] - raw[k]) < 1e-12)
            #expect(abs(wySame[k] - raw[k]) < 1e-12)
        }
        let independent = Self.joint(m: 4, s: 2000, correlated: false, seed: 3)
        let rawI = (0..<4).map { RandomizationInference.pValues(observed: observed[$0], distribution: independent[$0]).twoTailed }
        let holm = try MultipleTesting.holm(rawI)
        let wy = try StepDown.westfallYoung(observed: observed, permuted: independent)
        let rw = try StepDown.romanoWolf(observed: observed, permuted: independent)
        for k in 0..<4 {
            #expect(wy[k] >= rawI[k] && rw[k] >= rawI[k])
            #expect(wy[k] <= holm[k] + 1e-12, "WY \(wy[k]) above Holm \(holm[k])")
        }
        // Monotone in the strength of the evidence.
        #expect(wy[3] <= wy[0] && wy[0] <= wy[1] && wy[1] <= wy[2])
        // Strongly dependent outcomes: far below Bonferroni; independent: close to 1 − (1 − p)^m.
        #expect(rw[3] > rawI[3])
    }

    @Test func mismatchedInput() {
        #expect(throws: InferenceError.self) { try StepDown.romanoWolf(observed: [1, 2], permuted: [[1, 2, 3]]) }
        #expect(throws: InferenceError.self) { try StepDown.westfallYoung(observed: [1], permuted: [[]]) }
    }
}
