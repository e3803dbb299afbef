import CGSL

extension Matrix {
    /// The inverse of a square matrix by LU decomposition with partial pivoting
    /// (`gsl_linalg_LU_decomp`, `gsl_linalg_LU_invert`). Throws `singularMatrix` when a pivot is zero or
    /// the reciprocal condition estimate is below `1e-14`.
    public func inverse() throws -> Matrix {
        guard rows == columns else {
            throw NumericError.dimensionMismatch("cannot invert a \(rows) × \(columns) matrix: it is not square")
        }
        _ = GSLRuntime.ready
        let n = rows
        if n == 0 { return self }
        var lu = storage
        var result = Matrix(rows: n, columns: n)
        try lu.withUnsafeMutableBufferPointer { luBuffer in
            var luView = gsl_matrix_view_array(luBuffer.baseAddress, n, n)
            guard let perm = gsl_permutation_alloc(n) else {
                throw NumericError.gsl(function: "gsl_permutation_alloc", status: Int32(GSL_ENOMEM), reason: "out of memory")
            }
            defer { gsl_permutation_free(perm) }
            var signum: Int32 = 0
            try GSLRuntime.check(gsl_linalg_LU_decomp(&luView.matrix, perm, &signum), "gsl_linalg_LU_decomp")
            // GSL has no LU condition estimate; the ratio of the smallest to the largest pivot is a
            // cheap one that catches exact and near singularity.
            let pivots = (0..<n).map { abs(luBuffer[$0 * n + $0]) }
            let ratio = (pivots.max() ?? 0) > 0 ? (pivots.min() ?? 0) / (pivots.max() ?? 1) : 0
            guard ratio > 1e-14 else {
                throw NumericError.singularMatrix("the \(n) × \(n) matrix has no inverse (pivot ratio \(ratio))")
            }
            try result.storage.withUnsafeMutableBufferPointer { out in
                var inv = gsl_matrix_view_array(out.baseAddress, n, n)
                try GSLRuntime.check(gsl_linalg_LU_invert(&luView.matrix, perm, &inv.matrix), "gsl_linalg_LU_invert")
            }
        }
        return result
    }

    /// Solves `self × x = b` for square `self` by LU decomposition. Throws `singularMatrix` when singular.
    public func solve(_ b: [Double]) throws -> [Double] {
        guard rows == columns, b.count == rows else {
            throw NumericError.dimensionMismatch("cannot solve a \(rows) × \(columns) system with \(b.count) right-hand values")
        }
        let inv = try inverse()
        return try inv.multiplied(by: b)
    }

    /// The inverse of a symmetric positive-definite matrix by Cholesky decomposition
    /// (`gsl_linalg_cholesky_decomp1`, `gsl_linalg_cholesky_invert`). Throws `singularMatrix` when the
    /// matrix is not positive definite.
    public func symmetricPositiveDefiniteInverse() throws -> Matrix {
        guard rows == columns else {
            throw NumericError.dimensionMismatch("cannot invert a \(rows) × \(columns) matrix: it is not square")
        }
        _ = GSLRuntime.ready
        let n = rows
        if n == 0 { return self }
        var result = self
        try result.storage.withUnsafeMutableBufferPointer { buffer in
            var view = gsl_matrix_view_array(buffer.baseAddress, n, n)
            let status = gsl_linalg_cholesky_decomp1(&view.matrix)
            if status == Int32(GSL_EDOM) {
                throw NumericError.singularMatrix("the \(n) × \(n) matrix is not positive definite")
            }
            try GSLRuntime.check(status, "gsl_linalg_cholesky_decomp1")
            try GSLRuntime.check(gsl_linalg_cholesky_invert(&view.matrix), "gsl_linalg_cholesky_invert")
        }
        return result
    }
}
