import CGSL

/// The result of an ordinary least-squares fit of `y` on the columns of `X`.
public struct LeastSquaresFit: Sendable {
    /// Indices (into the columns of `X`) of the columns that were estimated, in their original order.
    public let keptColumns: [Int]
    /// Indices of the columns dropped because they are (numerically) linear combinations of earlier
    /// columns. R's `lm` reports these as `NA` coefficients.
    public let droppedColumns: [Int]
    /// Coefficients of the kept columns, in the order of `keptColumns`.
    public let coefficients: [Double]
    /// `(X_kᵀ X_k)⁻¹` for the kept columns X_k, from the QR factor: `R⁻¹ R⁻ᵀ`.
    public let unscaledCovariance: Matrix
    public let fitted: [Double]
    public let residuals: [Double]

    public var rank: Int { keptColumns.count }
}

public enum LeastSquares {
    /// Default relative tolerance for collinearity: a column whose component orthogonal to the earlier
    /// kept columns has a norm below `1e-7` times its own norm is dropped. This is the tolerance of R's
    /// `lm` (`qr(..., tol = 1e-07)`), so the same columns are dropped as in R.
    public static let defaultTolerance = 1e-7

    /// Least squares through Householder QR (`gsl_linalg_QR_decomp`, `gsl_linalg_QR_lssolve`) with rank
    /// detection. Columns are examined in their order; a column that is collinear with earlier ones is
    /// dropped and the decomposition repeated, so the reported `droppedColumns` are the later members of
    /// each collinear set, as in R. Throws when `X` has fewer rows than kept columns or no rows at all.
    public static func fit(_ X: Matrix, _ y: [Double], tolerance: Double = defaultTolerance) throws -> LeastSquaresFit {
        guard X.rows == y.count else {
            throw NumericError.dimensionMismatch("the design has \(X.rows) rows but the outcome has \(y.count) values")
        }
        guard X.rows > 0 else { throw NumericError.invalidArgument("no observations to fit") }
        _ = GSLRuntime.ready
        let norms = (0..<X.columns).map { j -> Double in
            var s = 0.0
            for i in 0..<X.rows { s += X[i, j] * X[i, j] }
            return s.squareRoot()
        }
        var kept = Array(0..<X.columns).filter { norms[$0] > 0 }
        var dropped = Array(0..<X.columns).filter { norms[$0] == 0 }
        while true {
            guard kept.count <= X.rows else {
                throw NumericError.singularMatrix(
                    "\(kept.count) columns cannot be estimated from \(X.rows) observations")
            }
            let Xk = X.selectingColumns(kept)
            let (qr, tau) = try decompose(Xk)
            let k = kept.count
            // The first kept column whose R diagonal is negligible relative to its own norm is collinear.
            if let position = (0..<k).first(where: { abs(qr[$0, $0]) <= tolerance * norms[kept[$0]] }) {
                dropped.append(kept.remove(at: position))
                continue
            }
            return try solve(qr: qr, tau: tau, X: Xk, y: y, kept: kept, dropped: dropped.sorted())
        }
    }

    private static func decompose(_ A: Matrix) throws -> (Matrix, [Double]) {
        var qr = A
        let k = min(A.rows, A.columns)
        var tau = [Double](repeating: 0, count: k)
        if k == 0 { return (qr, tau) }
        try qr.storage.withUnsafeMutableBufferPointer { buffer in
            var view = gsl_matrix_view_array(buffer.baseAddress, A.rows, A.columns)
            try tau.withUnsafeMutableBufferPointer { t in
                var tv = gsl_vector_view_array(t.baseAddress, k)
                try GSLRuntime.check(gsl_linalg_QR_decomp(&view.matrix, &tv.vector), "gsl_linalg_QR_decomp")
            }
        }
        return (qr, tau)
    }

    private static func solve(qr: Matrix, tau: [Double], X: Matrix, y: [Double],
                              kept: [Int], dropped: [Int]) throws -> LeastSquaresFit {
        let n = X.rows, k = kept.count
        var beta = [Double](repeating: 0, count: k)
        var residual = [Double](repeating: 0, count: n)
        if k > 0 {
            var qrCopy = qr.storage
            var tauCopy = tau
            var b = y
            try qrCopy.withUnsafeMutableBufferPointer { qrBuffer in
                var qrView = gsl_matrix_view_array(qrBuffer.baseAddress, n, k)
                try tauCopy.withUnsafeMutableBufferPointer { t in
                    var tv = gsl_vector_view_array(t.baseAddress, k)
                    try b.withUnsafeMutableBufferPointer { bb in
                        var bv = gsl_vector_view_array(bb.baseAddress, n)
                        try beta.withUnsafeMutableBufferPointer { xb in
                            var xv = gsl_vector_view_array(xb.baseAddress, k)
                            try residual.withUnsafeMutableBufferPointer { rb in
                                var rv = gsl_vector_view_array(rb.baseAddress, n)
                                try GSLRuntime.check(
                                    gsl_linalg_QR_lssolve(&qrView.matrix, &tv.vector, &bv.vector, &xv.vector, &rv.vector),
                                    "gsl_linalg_QR_lssolve")
                            }
                        }
                    }
                }
            }
        } else {
            residual = y
        }
        // R⁻¹ by back substitution on the upper triangle of the QR factor; (XᵀX)⁻¹ = R⁻¹ R⁻ᵀ.
        var rInverse = Matrix(rows: k, columns: k)
        for col in 0..<k {
            for i in stride(from: col, through: 0, by: -1) {
                var s = (i == col) ? 1.0 : 0.0
                for j in (i + 1)..<(col + 1) where j <= col { s -= qr[i, j] * rInverse[j, col] }
                rInverse[i, col] = s / qr[i, i]
            }
        }
        let covariance = try rInverse.multiplied(by: rInverse.transposed)
        let fitted = zip(y, residual).map { $0 - $1 }
        return LeastSquaresFit(keptColumns: kept, droppedColumns: dropped, coefficients: beta,
                               unscaledCovariance: covariance, fitted: fitted, residuals: residual)
    }
}
