/// One problem found in a design file: where it is (key path, line, column) and what to do.
public struct DesignIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key path, e.g. `outcomes[3].type`.
    public let path: String
    public let line: Int?
    public let column: Int?
    /// What was found and what is allowed.
    public let message: String

    public init(path: String, line: Int?, column: Int?, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        let location = [line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return (location.isEmpty ? "" : "\(location): ") + (path.isEmpty ? "" : "\(path): ") + message
    }

    /// The issue as a compiler-style line: `FILE:LINE:COLUMN: error: PATH: MESSAGE`.
    public func formatted(file: String) -> String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): error: " + (path.isEmpty ? "" : "\(path): ") + message
    }
}

/// A design that could not be loaded or is invalid: every problem found, in file order.
public struct DesignError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let issues: [DesignIssue]

    public var description: String {
        issues.map { $0.formatted(file: file) }.joined(separator: "\n")
    }
}

/// A check of a design by a module that reads it (the design's own validator cannot know, e.g., the
/// fields of each source kind): one problem per key path (`sources[2].codes.kind`) with what is wrong and
/// what to do.
public typealias DesignCheck = @Sendable (Design) -> [(path: String, message: String)]
