import CGSL

/// Every failure of the numerical layer. GSL's own abort-on-error handler is switched off (see
/// `GSLRuntime`), so a GSL routine that fails returns a status that becomes one of these.
public enum NumericError: Error, Equatable, CustomStringConvertible {
    /// A GSL routine returned a non-zero status: `function` names the routine, `reason` is GSL's text.
    case gsl(function: String, status: Int32, reason: String)
    /// Dimensions that do not fit together (e.g. a 3 × 2 matrix times a 3-vector).
    case dimensionMismatch(String)
    /// A matrix that has no inverse (singular, or not positive definite where that is required).
    case singularMatrix(String)
    /// An argument outside the allowed range, e.g. a probability outside (0, 1) or a non-positive df.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .gsl(function, status, reason):
            return "\(function) failed (GSL status \(status)): \(reason)"
        case let .dimensionMismatch(text): return "dimension mismatch: \(text)"
        case let .singularMatrix(text): return "singular matrix: \(text)"
        case let .invalidArgument(text): return "invalid argument: \(text)"
        }
    }
}

/// Switches GSL's default error handler (which aborts the process) off exactly once. Every public entry
/// point of NumericCore that calls GSL touches `GSLRuntime.ready` first.
enum GSLRuntime {
    static let ready: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Turns a GSL status into a Swift error.
    static func check(_ status: Int32, _ function: String) throws {
        guard status != 0 else { return }
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "unknown error"
        throw NumericError.gsl(function: function, status: status, reason: reason)
    }
}
