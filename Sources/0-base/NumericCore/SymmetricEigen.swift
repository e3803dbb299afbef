import CGSL

/// Eigenvalues and eigenvectors of a real symmetric matrix.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Eigenvectors as columns, in the order of `values`.
    public let vectors: Matrix

    /// Decomposes `A` with `gsl_eigen_symmv` (only the lower triangle of `A` is read, as in GSL).
    public init(_ A: Matrix) throws {
        guard A.rows == A.columns else {
            throw NumericError.dimensionMismatch("an eigen-decomposition needs a square matrix, not \(A.rows) × \(A.columns)")
        }
        _ = GSLRuntime.ready
        let n = A.rows
        var eval = [Double](repeating: 0, count: n)
        var evec = Matrix(rows: n, columns: n)
        if n > 0 {
            guard let work = gsl_eigen_symmv_alloc(n) else {
                throw NumericError.gsl(function: "gsl_eigen_symmv_alloc", status: Int32(GSL_ENOMEM), reason: "out of memory")
            }
            defer { gsl_eigen_symmv_free(work) }
            var a = A.storage
            try a.withUnsafeMutableBufferPointer { ab in
                var av = gsl_matrix_view_array(ab.baseAddress, n, n)
                try eval.withUnsafeMutableBufferPointer { eb in
                    var ev = gsl_vector_view_array(eb.baseAddress, n)
                    try evec.storage.withUnsafeMutableBufferPointer { vb in
                        var vv = gsl_matrix_view_array(vb.baseAddress, n, n)
                        try GSLRuntime.check(gsl_eigen_symmv(&av.matrix, &ev.vector, &vv.matrix, work), "gsl_eigen_symmv")
                        try GSLRuntime.check(gsl_eigen_symmv_sort(&ev.vector, &vv.matrix, GSL_EIGEN_SORT_VAL_ASC),
                                             "gsl_eigen_symmv_sort")
                    }
                }
            }
        }
        values = eval
        vectors = evec
    }

    /// `V f(Λ) Vᵀ`: a function applied to the eigenvalues of the decomposed matrix.
    public func reconstructed(applying f: (Double) -> Double) throws -> Matrix {
        let n = values.count
        var scaled = vectors
        for j in 0..<n {
            let fj = f(values[j])
            for i in 0..<n { scaled[i, j] *= fj }
        }
        return try scaled.multiplied(by: vectors.transposed)
    }
}

extension Matrix {
    /// `A^(-1/2)` of a symmetric positive semi-definite matrix, as used by the CR2 (Bell–McCaffrey)
    /// adjustment. Eigenvalues at or below `tolerance × largest` are treated as zero and given zero in the
    /// result (a generalised inverse square root), which is what R's clubSandwich does.
    public func symmetricInverseSquareRoot(tolerance: Double = 1e-12) throws -> Matrix {
        let eigen = try SymmetricEigen(self)
        let largest = eigen.values.map(abs).max() ?? 0
        return try eigen.reconstructed { v in v > tolerance * largest ? 1 / v.squareRoot() : 0 }
    }
}
