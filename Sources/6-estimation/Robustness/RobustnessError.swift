/// Every way a robustness analysis can be refused. Each message names the column (and level) at fault
/// and says what to do; the command line prints it and exits non-zero. Failures of the underlying
/// regression arrive as `EstimationError` (a collinear column, too few observations).
public enum RobustnessError: Error, Equatable, CustomStringConvertible {
    /// Arrays that should describe the same units have different lengths.
    case lengthMismatch(String)
    /// The data cannot answer the question (one arm only, one subgroup level only, …).
    case invalidInput(String)
    /// A joint test cannot be computed (its restricted variance matrix is singular).
    case notEstimable(String)

    public var description: String {
        switch self {
        case let .lengthMismatch(text), let .invalidInput(text), let .notEstimable(text):
            return text
        }
    }
}

/// A named column of baseline covariate values (nil = missing), the plain input of every analysis.
public struct Covariate: Sendable, Equatable {
    public var name: String
    public var values: [Double?]

    public init(name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

func checkLengths(_ count: Int, _ columns: [(name: String, count: Int)]) throws {
    for c in columns where c.count != count {
        throw RobustnessError.lengthMismatch("column \"\(c.name)\" has \(c.count) values where there are \(count) units; every column must describe the same units")
    }
}
