/// A table of text cells as read from a file: a header and rows, with the line each row started on.
/// Parsing cells into numbers and dates is left to the caller, who knows the dialect.
public struct Table: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    /// The 1-based line of the file on which each row starts (header lines count).
    public var lines: [Int]

    public init(header: [String], rows: [[String]], lines: [Int]? = nil) {
        self.header = header
        self.rows = rows
        self.lines = lines ?? Array(2..<(2 + rows.count))
    }

    public var rowCount: Int { rows.count }

    /// The index of a column, or nil.
    public func index(of column: String) -> Int? { header.firstIndex(of: column) }

    /// The cells of a column; throws `TableError.unknownColumn` listing the columns there are.
    public func column(_ name: String) throws -> [String] {
        guard let j = index(of: name) else { throw TableError.unknownColumn(name, available: header) }
        return rows.map { j < $0.count ? $0[j] : "" }
    }

    /// A numeric column: empty cells (after trimming) are nil (missing); anything else that is not a
    /// number throws `TableError.notNumeric` with the row's line.
    public func numericColumn(_ name: String) throws -> [Double?] {
        let cells = try column(name)
        return try cells.enumerated().map { i, cell in
            let t = cell.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t == "NA" { return nil }
            guard let v = Double(t) else { throw TableError.notNumeric(column: name, line: lines[i], value: cell) }
            return v
        }
    }
}

public enum TableError: Error, Equatable, CustomStringConvertible {
    case unknownColumn(String, available: [String])
    case notNumeric(column: String, line: Int, value: String)
    case unterminatedQuote(line: Int)
    case wrongFieldCount(line: Int, expected: Int, found: Int)
    case empty

    public var description: String {
        switch self {
        case let .unknownColumn(name, available):
            return "there is no column \"\(name)\"; the columns are: \(available.joined(separator: ", "))"
        case let .notNumeric(column, line, value):
            return "line \(line), column \"\(column)\": \"\(value)\" is not a number (leave the cell empty for a missing value)"
        case let .unterminatedQuote(line):
            return "line \(line): a quoted field is never closed; check the quotes"
        case let .wrongFieldCount(line, expected, found):
            return "line \(line): \(found) fields where the header has \(expected); check the separator and quotes"
        case .empty:
            return "the file is empty: it needs a header line"
        }
    }
}

extension String {
    func trimmingCharacters(in set: WhitespaceSet) -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}

/// Spaces, tabs, carriage returns and newlines.
public enum WhitespaceSet { case whitespaces }
