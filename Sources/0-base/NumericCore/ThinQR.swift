import CGSL

/// The thin QR decomposition `X_k = Q R` of the estimable columns `X_k` of a matrix: `Q` is n × k with
/// orthonormal columns, `R` is k × k upper triangular. Used to project columns out of a vector once
/// (`v − Q Qᵀ v`, Frisch–Waugh–Lovell) without forming the n × n projection matrix.
public struct ThinQR: Sendable {
    /// n × k, orthonormal columns spanning the kept columns of the input.
    public let q: Matrix
    /// k × k upper triangular.
    public let r: Matrix
    /// The input columns that were kept (same rule as `LeastSquares.fit`), in order.
    public let keptColumns: [Int]
    /// The input columns dropped as collinear with earlier ones (R's `NA` coefficients).
    public let droppedColumns: [Int]
}

extension Matrix {
    /// Thin QR by Householder reflections (`gsl_linalg_QR_decomp`); the k columns of Q are obtained by
    /// applying the reflections to the first k unit vectors (`gsl_linalg_QR_Qvec`), so the cost is
    /// O(n k²) and the memory O(n k) — never n × n. Collinear columns are detected and dropped exactly as
    /// in `LeastSquares.fit` (relative tolerance `1e-7`, R's `lm`).
    public func thinQR(tolerance: Double = LeastSquares.defaultTolerance) throws -> ThinQR {
        _ = GSLRuntime.ready
        let n = rows
        let rankFit = try LeastSquares.fit(self, [Double](repeating: 0, count: n), tolerance: tolerance)
        let kept = rankFit.keptColumns
        let k = kept.count
        var qMatrix = Matrix(rows: n, columns: k)
        var rMatrix = Matrix(rows: k, columns: k)
        guard k > 0 else {
            return ThinQR(q: qMatrix, r: rMatrix, keptColumns: kept, droppedColumns: rankFit.droppedColumns)
        }
        var qr = selectingColumns(kept).storage
        var tau = [Double](repeating: 0, count: k)
        try qr.withUnsafeMutableBufferPointer { qrBuffer in
            var view = gsl_matrix_view_array(qrBuffer.baseAddress, n, k)
            try tau.withUnsafeMutableBufferPointer { t in
                var tv = gsl_vector_view_array(t.baseAddress, k)
                try GSLRuntime.check(gsl_linalg_QR_decomp(&view.matrix, &tv.vector), "gsl_linalg_QR_decomp")
                var e = [Double](repeating: 0, count: n)
                for j in 0..<k {
                    for i in 0..<n { e[i] = 0 }
                    e[j] = 1
                    try e.withUnsafeMutableBufferPointer { eb in
                        var ev = gsl_vector_view_array(eb.baseAddress, n)
                        try GSLRuntime.check(gsl_linalg_QR_Qvec(&view.matrix, &tv.vector, &ev.vector), "gsl_linalg_QR_Qvec")
                    }
                    for i in 0..<n { qMatrix.storage[i * k + j] = e[i] }
                }
            }
        }
        for i in 0..<k {
            for j in i..<k { rMatrix.storage[i * k + j] = qr[i * k + j] }
        }
        return ThinQR(q: qMatrix, r: rMatrix, keptColumns: kept, droppedColumns: rankFit.droppedColumns)
    }
}
