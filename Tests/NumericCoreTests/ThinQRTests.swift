import NumericCore
import Testing
import TestSupport

@Suite struct ThinQRTests {
    /// Q has orthonormal columns, R is upper triangular, and Q R reproduces the kept columns; a column
    /// that is a combination of earlier ones is dropped, as in LeastSquares.fit.
    @Test func factorsAndDropsCollinearColumns() throws {
        let n = 9
        let a = (0..<n).map { Double($0) }
        let b = (0..<n).map { Double(($0 * 4) % 7) - 2 }
        let c = zip(a, b).map { 2 * $0 - $1 }   // collinear with a and b
        let d = (0..<n).map { $0 % 3 == 0 ? 1.0 : 0 }
        let X = try Matrix(columns: [a, b, c, d])
        let qr = try X.thinQR()
        #expect(qr.keptColumns == [0, 1, 3] && qr.droppedColumns == [2])
        #expect(qr.q.rows == n && qr.q.columns == 3 && qr.r.rows == 3)
        let qtq = try qr.q.transposed.multiplied(by: qr.q)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(qtq[i, j] - (i == j ? 1 : 0)) < 1e-12) } }
        for i in 1..<3 { for j in 0..<i { #expect(qr.r[i, j] == 0) } }
        let product = try qr.q.multiplied(by: qr.r)
        let kept = X.selectingColumns(qr.keptColumns)
        for i in 0..<n { for j in 0..<3 { #expect(abs(product[i, j] - kept[i, j]) < 1e-10) } }
    }

    @Test func noColumns() throws {
        let qr = try Matrix(rows: 4, columns: 1).thinQR()
        #expect(qr.keptColumns.isEmpty && qr.droppedColumns == [0] && qr.q.columns == 0)
    }
}
