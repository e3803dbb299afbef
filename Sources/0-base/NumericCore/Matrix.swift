import CGSL

/// A dense matrix of doubles in row-major order. A plain value: GSL only ever sees a temporary view of
/// its storage inside NumericCore.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    /// Row-major storage: element (i, j) is `storage[i * columns + j]`.
    public var storage: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from row-major storage; throws when the count does not equal rows × columns.
    public init(rows: Int, columns: Int, storage: [Double]) throws {
        guard rows >= 0, columns >= 0, storage.count == rows * columns else {
            throw NumericError.dimensionMismatch(
                "\(storage.count) values cannot fill a \(rows) × \(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from an array of rows, which must all have the same length.
    public init(_ rowArrays: [[Double]]) throws {
        let columns = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == columns }) else {
            throw NumericError.dimensionMismatch("rows of different lengths")
        }
        try self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// A matrix whose columns are the given arrays, which must all have the same length.
    public init(columns columnArrays: [[Double]]) throws {
        let rows = columnArrays.first?.count ?? 0
        guard columnArrays.allSatisfy({ $0.count == rows }) else {
            throw NumericError.dimensionMismatch("columns of different lengths")
        }
        var m = Matrix(rows: rows, columns: columnArrays.count)
        for (j, column) in columnArrays.enumerated() {
            for i in 0..<rows { m.storage[i * columnArrays.count + j] = column[i] }
        }
        self = m
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    public static func diagonal(_ values: [Double]) -> Matrix {
        var m = Matrix(rows: values.count, columns: values.count)
        for (i, v) in values.enumerated() { m.storage[i * values.count + i] = v }
        return m
    }

    /// Inlinable: the estimators' loops over rows and columns call it across modules (13 % of
    /// `rct estimate` at a million rows when it was an opaque call).
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    public func row(_ i: Int) -> [Double] { Array(storage[(i * columns)..<((i + 1) * columns)]) }

    public func column(_ j: Int) -> [Double] { (0..<rows).map { storage[$0 * columns + j] } }

    public var diagonal: [Double] { (0..<Swift.min(rows, columns)).map { self[$0, $0] } }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { t.storage[j * rows + i] = storage[i * columns + j] }
        }
        return t
    }

    /// The matrix made of the given columns, in the given order.
    public func selectingColumns(_ indices: [Int]) -> Matrix {
        var m = Matrix(rows: rows, columns: indices.count)
        for i in 0..<rows {
            for (k, j) in indices.enumerated() { m.storage[i * indices.count + k] = storage[i * columns + j] }
        }
        return m
    }

    /// The matrix made of the given rows, in the given order.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var m = Matrix(rows: indices.count, columns: columns)
        for (k, i) in indices.enumerated() {
            for j in 0..<columns { m.storage[k * columns + j] = storage[i * columns + j] }
        }
        return m
    }

    public var description: String {
        (0..<rows).map { row($0).map { String($0) }.joined(separator: "\t") }.joined(separator: "\n")
    }

    /// Calls `body` with a GSL view of a copy of this matrix's storage (GSL may overwrite it).
    func withGSLMatrix<R>(_ body: (UnsafeMutablePointer<gsl_matrix>) throws -> R) rethrows -> R {
        var copy = storage
        return try copy.withUnsafeMutableBufferPointer { buffer in
            var view = gsl_matrix_view_array(buffer.baseAddress, rows, columns)
            return try body(&view.matrix)
        }
    }
}

// MARK: - Products

extension Matrix {
    /// The product `self × other` through BLAS (`gsl_blas_dgemm`). Cost O(rows · columns · other.columns).
    public func multiplied(by other: Matrix) throws -> Matrix {
        guard columns == other.rows else {
            throw NumericError.dimensionMismatch(
                "cannot multiply \(rows) × \(columns) by \(other.rows) × \(other.columns)")
        }
        _ = GSLRuntime.ready
        var result = Matrix(rows: rows, columns: other.columns)
        if rows == 0 || other.columns == 0 { return result }
        if columns == 0 { return result }
        try withGSLMatrix { a in
            try other.withGSLMatrix { b in
                try result.storage.withUnsafeMutableBufferPointer { out in
                    var c = gsl_matrix_view_array(out.baseAddress, rows, other.columns)
                    try GSLRuntime.check(gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, a, b, 0.0, &c.matrix),
                                         "gsl_blas_dgemm")
                }
            }
        }
        return result
    }

    /// The product `self × vector`.
    public func multiplied(by vector: [Double]) throws -> [Double] {
        guard columns == vector.count else {
            throw NumericError.dimensionMismatch(
                "cannot multiply \(rows) × \(columns) by a vector of length \(vector.count)")
        }
        var out = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            var s = 0.0
            let base = i * columns
            for j in 0..<columns { s += storage[base + j] * vector[j] }
            out[i] = s
        }
        return out
    }

    /// `selfᵀ × self`, the cross-product matrix (symmetric, columns × columns).
    public func crossProduct() throws -> Matrix {
        try transposed.multiplied(by: self)
    }
}
