/// The data an estimator reads: named columns of equal length whose cells are text, with nil (or an
/// empty string) for a missing value. Numbers are parsed when a role needs a number (outcomes,
/// covariates, weights, numeric treatments), labels are kept as text (blocks, clusters, fixed effects,
/// categorical treatments). `lines` optionally gives the file line of each row for error messages.
public struct EstimationData: Sendable {
    public let columnNames: [String]
    public let rowCount: Int
    let cells: [String: [String?]]
    /// The 1-based line of the source file on which each row stands, when the data came from a file.
    public let lines: [Int]?
    /// A name for the source (e.g. the file path) used in error messages.
    public let source: String?

    /// Columns of text cells, in order. Throws when lengths differ or a name repeats.
    public init(columns: [(name: String, values: [String?])], lines: [Int]? = nil, source: String? = nil) throws {
        var cells: [String: [String?]] = [:]
        let count = columns.first?.values.count ?? 0
        for column in columns {
            guard cells[column.name] == nil else { throw EstimationError.duplicateColumn(column.name) }
            guard column.values.count == count else {
                throw EstimationError.invalidSpecification(.columnLength(column: column.name, count: column.values.count,
                                                                         expected: count, outcome: nil))
            }
            cells[column.name] = column.values.map { cell in
                guard let cell else { return nil }
                let t = cell.trimmingWhitespace()
                return t.isEmpty || t == "NA" ? nil : t
            }
        }
        self.columnNames = columns.map(\.name)
        self.rowCount = count
        self.cells = cells
        self.lines = lines
        self.source = source
    }

    /// Numeric columns (nil or NaN is missing). Numbers are stored as their shortest exact text, so
    /// labels such as `1` and `1.0` compare as the same number when used as numbers.
    public init(numeric: [(name: String, values: [Double?])]) throws {
        try self.init(columns: numeric.map { column in
            (column.name, column.values.map { v -> String? in
                guard let v, !v.isNaN else { return nil }
                return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
            })
        })
    }

    /// The text cells of a column; throws `unknownColumn` listing the columns there are.
    public func labels(_ name: String) throws -> [String?] {
        guard let c = cells[name] else { throw EstimationError.unknownColumn(name, available: columnNames) }
        return c
    }

    /// The cells of a column as numbers; throws `notNumeric` naming the first cell that is not a number.
    public func numbers(_ name: String, role: String) throws -> [Double?] {
        let c = try labels(name)
        return try c.enumerated().map { i, cell in
            guard let cell else { return nil }
            guard let v = Double(cell), v.isFinite else {
                throw EstimationError.notNumeric(column: name, role: role, value: cell, line: lines?[i])
            }
            return v
        }
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and line ends. A cell with none (nearly every
    /// cell) is returned as it is, from a look at its first and last byte: going through characters was
    /// a sixth of `rct estimate` at a million rows.
    func trimmingWhitespace() -> String {
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        guard let first = utf8.first, let last = utf8.last else { return self }
        if !blank(first) && !blank(last) { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
