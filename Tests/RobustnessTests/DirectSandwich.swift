import Foundation
import Tabular
import TestSupport
import NumericCore

/// An independent, deliberately naive HC2 Wald test for cross-checking: explicit design matrix with an
/// intercept and dummies (no absorption), (X′X)⁻¹ by `inverse()`, the meat Σ eᵢ²/(1 − hᵢ) xᵢxᵢ′ built
/// row by row, F = (Rb)′(RVR′)⁻¹(Rb)/q on F(q, N − K). It shares only NumericCore's matrix operations
/// with the code under test.
enum DirectSandwich {
    struct Result { var beta: [Double]; var V: [[Double]]; var f: Double; var p: Double; var df: Int }

    static func wald(y: [Double], columns: [[Double]], R: [[Double]]) throws -> Result {
        let n = y.count, k = columns.count
        let X = try Matrix(columns: columns)
        let XtX = try X.transposed.multiplied(by: X)
        let M = try XtX.inverse()
        let beta = try M.multiplied(by: try X.transposed.multiplied(by: y))
        let fitted = try X.multiplied(by: beta)
        var meat = Matrix(rows: k, columns: k)
        for i in 0..<n {
            let x = X.row(i)
            var h = 0.0
            for a in 0..<k { for b in 0..<k { h += x[a] * M[a, b] * x[b] } }
            let e = y[i] - fitted[i]
            let w = h < 1 - 1e-10 ? e * e / (1 - h) : 0
            for a in 0..<k { for b in 0..<k { meat[a, b] += w * x[a] * x[b] } }
        }
        let V = try M.multiplied(by: meat).multiplied(by: M)
        let Rm = try Matrix(R)
        let rb = try Rm.multiplied(by: beta)
        let middle = try Rm.multiplied(by: V).multiplied(by: Rm.transposed).inverse()
        let f = zip(rb, try middle.multiplied(by: rb)).reduce(0) { $0 + $1.0 * $1.1 } / Double(R.count)
        let p = try FisherF(numerator: Double(R.count), denominator: Double(n - k)).upperTail(f)
        return Result(beta: beta, V: (0..<k).map { V.row($0) }, f: f, p: p, df: n - k)
    }
}

/// Columns of a CSV fixture as numbers (NA and empty cells as nil).

enum ReferenceCSV {
    static func read(_ relative: String) throws -> Table {
        try DelimitedReader().read(path: Fixtures.path(relative))
    }

    static func numbers(_ table: Table, _ name: String) throws -> [Double?] {
        try table.numericColumn(name)
    }

    static func required(_ table: Table, _ name: String) throws -> [Double] {
        try table.numericColumn(name).map { $0! }
    }
}
