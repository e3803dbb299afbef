// Reference values: exact rational results (worked by hand and confirmed with NumPy 2.4.6 / SciPy 1.17.1
// on 2026-11-23: numpy.linalg.inv, numpy.linalg.eigh, scipy.linalg.fractional_matrix_power(A, -0.5)).
import NumericCore
import Testing
import TestSupport

@Suite struct LinearAlgebraTests {
    let a = try! Matrix([[4, 1, 2], [1, 3, 0.5], [2, 0.5, 5]])

    @Test func inverseOfASymmetricMatrixIsExact() throws {
        let expected = [59.0 / 176, -1.0 / 11, -1.0 / 8, -1.0 / 11, 4.0 / 11, 0, -1.0 / 8, 0, 1.0 / 4]
        for inverse in [try a.inverse(), try a.symmetricPositiveDefiniteInverse()] {
            for (x, e) in zip(inverse.storage, expected) { #expect(isClose(x, e, relative: 1e-13, absolute: 1e-15)) }
        }
        let product = try a.multiplied(by: a.inverse())
        for i in 0..<3 { for j in 0..<3 { #expect(isClose(product[i, j], i == j ? 1 : 0, absolute: 1e-14)) } }
    }

    @Test func singularMatrixThrowsInsteadOfCrashing() throws {
        let singular = try Matrix([[1, 2], [2, 4]])
        #expect(throws: NumericError.self) { try singular.inverse() }
        #expect(throws: NumericError.self) { try singular.symmetricPositiveDefiniteInverse() }
        #expect(throws: NumericError.self) { try singular.solve([1, 2]) }
        let notPositive = try Matrix([[1, 0], [0, -1]])
        #expect(throws: NumericError.self) { try notPositive.symmetricPositiveDefiniteInverse() }
    }

    @Test func dimensionMismatchThrows() throws {
        let m23 = try Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(throws: NumericError.dimensionMismatch("cannot multiply 2 × 3 by 2 × 3")) { try m23.multiplied(by: m23) }
        #expect(throws: NumericError.self) { try m23.inverse() }
        #expect(throws: NumericError.self) { try Matrix(rows: 2, columns: 2, storage: [1, 2, 3]) }
    }

    @Test func symmetricEigenMatchesReference() throws {
        let e = try SymmetricEigen(a)
        let expected = [2.0965216172967187, 3.0722239520050754, 6.831254430698205]
        for (v, x) in zip(e.values, expected) { #expect(isClose(v, x, relative: 1e-13)) }
        // A v = λ v for every pair.
        for j in 0..<3 {
            let v = e.vectors.column(j)
            let av = try a.multiplied(by: v)
            for i in 0..<3 { #expect(isClose(av[i], e.values[j] * v[i], absolute: 1e-12)) }
        }
        let rebuilt = try e.reconstructed { $0 }
        for (x, y) in zip(rebuilt.storage, a.storage) { #expect(isClose(x, y, absolute: 1e-12)) }
    }

    @Test func inverseSquareRootMatchesReference() throws {
        let root = try a.symmetricInverseSquareRoot()
        let expected = [0.5607902223001464, -0.07938503790926581, -0.12016494936531835,
                        -0.07938503790926578, 0.5977096211108773, -0.008808417792062104,
                        -0.12016494936531819, -0.008808417792062106, 0.4852656970362025]
        for (x, e) in zip(root.storage, expected) { #expect(isClose(x, e, relative: 1e-12, absolute: 1e-14)) }
        // (A^-1/2)² A = I.
        let check = try root.multiplied(by: root).multiplied(by: a)
        for i in 0..<3 { for j in 0..<3 { #expect(isClose(check[i, j], i == j ? 1 : 0, absolute: 1e-12)) } }
    }

    @Test func leastSquaresMatchesExactSolution() throws {
        let x = try Matrix(columns: [[1, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6]])
        let fit = try LeastSquares.fit(x, [1, 3, 2, 5, 4, 6])
        #expect(fit.keptColumns == [0, 1])
        #expect(fit.droppedColumns.isEmpty)
        #expect(isClose(fit.coefficients[0], 0.4, relative: 1e-13))
        #expect(isClose(fit.coefficients[1], 31.0 / 35, relative: 1e-13))
        let expectedCov = [13.0 / 15, -1.0 / 5, -1.0 / 5, 2.0 / 35]
        for (c, e) in zip(fit.unscaledCovariance.storage, expectedCov) { #expect(isClose(c, e, relative: 1e-12)) }
        for i in 0..<6 { #expect(isClose(fit.fitted[i] + fit.residuals[i], [1.0, 3, 2, 5, 4, 6][i], absolute: 1e-13)) }
        // Residuals are orthogonal to the columns.
        #expect(abs(fit.residuals.reduce(0, +)) < 1e-12)
    }

    @Test func collinearColumnIsDetectedAndDroppedLikeR() throws {
        // Column 2 = 2 × column 1; column 3 is independent. R's lm reports column 2 as NA.
        let x = try Matrix(columns: [[1, 1, 1, 1, 1], [1, 2, 3, 4, 5], [2, 4, 6, 8, 10], [0, 1, 0, 1, 1]])
        let fit = try LeastSquares.fit(x, [2, 3, 5, 4, 6])
        #expect(fit.droppedColumns == [2])
        #expect(fit.keptColumns == [0, 1, 3])
        let reduced = try LeastSquares.fit(x.selectingColumns([0, 1, 3]), [2, 3, 5, 4, 6])
        for (a, b) in zip(fit.coefficients, reduced.coefficients) { #expect(isClose(a, b, relative: 1e-12)) }
    }

    @Test func zeroColumnAndTooFewRowsAreHandled() throws {
        let x = try Matrix(columns: [[1, 1, 1], [0, 0, 0]])
        let fit = try LeastSquares.fit(x, [1, 2, 3])
        #expect(fit.droppedColumns == [1])
        #expect(isClose(fit.coefficients[0], 2, relative: 1e-14))
        let wide = try Matrix(columns: [[1, 1], [1, 2], [3, 1]])
        #expect(throws: NumericError.self) { try LeastSquares.fit(wide, [1, 2]) }
        #expect(throws: NumericError.self) { try LeastSquares.fit(x, [1, 2]) }
    }
}
