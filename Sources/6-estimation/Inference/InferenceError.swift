/// Every failure of the inference layer: input that does not describe a valid trial or question.
/// Each message says what was wrong and what to do about it.
public enum InferenceError: Error, Equatable, CustomStringConvertible {
    /// Arrays that should describe the same units have different lengths.
    case lengthMismatch(String)
    /// A value outside its allowed range (a probability outside (0, 1), a negative SD, …).
    case invalidArgument(String)
    /// The assignment cannot be re-drawn as described: a cluster in two blocks, a cluster whose units
    /// have different arms, a trial with no treated or no control unit.
    case invalidDesign(String)
    /// The statistic cannot be computed (e.g. covariates collinear with the treatment).
    case notEstimable(String)

    public var description: String {
        switch self {
        case let .lengthMismatch(text), let .invalidArgument(text), let .invalidDesign(text), let .notEstimable(text):
            return text
        }
    }
}
