import Basics
import Foundation
import Tabular
import TrialDesign

/// A cell to be written in a source's dialect.
enum Cell {
    case text(String)
    /// A day, written in the dialect's day form.
    case date(CalendarDate)
    /// A month, written in the dialect's month form (`YYYY-MM`, `YYYYMM`, `MM/YYYY`).
    case month(CalendarDate)
    /// Euro with two decimals, in the dialect's decimal mark and thousands separator.
    case amount(Double)
    case integer(Int)
    case empty
}

/// Writes rows in exactly the dialect a design's source declares (separator, quotes, decimal mark,
/// thousands separator, date form, encoding) and reports the physical line each row starts on.
struct DialectWriter {
    let dialect: WriteDialect

    init(dialect: Dialect) {
        self.dialect = WriteDialect(separator: dialect.separator, decimal: dialect.decimal, thousands: dialect.thousands,
                                    encoding: dialect.encoding, header: dialect.header, quote: dialect.quote,
                                    dateFormat: dialect.dateFormat, fields: dialect.fields)
    }

    init(plain: ()) {
        dialect = WriteDialect(separator: ",", decimal: ".", thousands: nil, encoding: .utf8, header: true, quote: "\"",
                               dateFormat: .iso, fields: [])
    }

    func format(_ cell: Cell) -> String {
        switch cell {
        case let .text(s): return s
        case .empty: return ""
        case let .integer(i): return String(i)
        case let .date(d): return Self.formatDate(d, dialect.dateFormat)
        case let .month(d): return Self.formatMonth(d, dialect.dateFormat)
        case let .amount(v): return Self.formatAmount(v, decimal: dialect.decimal, thousands: dialect.thousands)
        }
    }

    static func pad(_ v: Int, _ w: Int) -> String { SyntheticINSZ.pad(v, w) }

    static func formatDate(_ d: CalendarDate, _ f: DateFormat) -> String { f.format(day: d) }

    static func formatMonth(_ d: CalendarDate, _ f: DateFormat) -> String { f.format(month: d) }

    static func formatAmount(_ v: Double, decimal: String, thousands: String?) -> String {
        let cents = Int((abs(v) * 100).rounded())
        var whole = String(cents / 100)
        if let t = thousands, whole.count > 3 {
            var groups: [String] = []
            while whole.count > 3 { groups.insert(String(whole.suffix(3)), at: 0); whole.removeLast(3) }
            groups.insert(whole, at: 0)
            whole = groups.joined(separator: t)
        }
        return (v < 0 ? "-" : "") + whole + decimal + pad(cents % 100, 2)
    }

    /// Writes a delimited file; returns the line each row starts on.
    func writeDelimited(path: String, header: [String], rows: [[Cell]]) throws -> [Int] {
        let sep = dialect.separator
        let quote = dialect.quote
        func field(_ s: String) -> String {
            if s.contains(sep) || s.contains(quote) || s.contains("\n") || s.contains("\r") {
                return quote + s.replacingOccurrences(of: quote, with: quote + quote) + quote
            }
            return s
        }
        var text = ""
        var line = 1
        var lines: [Int] = []
        if dialect.header {
            text += header.map(field).joined(separator: sep) + "\r\n"
            line += 1
        }
        for row in rows {
            lines.append(line)
            let s = row.map { field(format($0)) }.joined(separator: sep)
            line += 1 + s.filter { $0 == "\n" }.count
            text += s + "\r\n"
        }
        try save(text, path)
        return lines
    }

    /// Writes a fixed-width file from values already formatted per field (padded with spaces on the
    /// right, cut to the field's length).
    func writeFixedWidth(path: String, rows: [[String: String]]) throws -> [Int] {
        let width = dialect.fields.map { $0.start + $0.length - 1 }.max() ?? 0
        var text = ""
        for row in rows {
            var line = [Character](repeating: " ", count: width)
            for f in dialect.fields {
                let v = Array(row[f.name] ?? "")
                for i in 0..<min(v.count, f.length) { line[f.start - 1 + i] = v[i] }
            }
            text += String(line) + "\n"
        }
        try save(text, path)
        return Array(1...max(1, rows.count)).prefix(rows.count).map { $0 }
    }

    private func save(_ text: String, _ path: String) throws {
        let encoding: CharacterEncoding = dialect.encoding == .windows1252 ? .windows1252 : .utf8
        guard let bytes = encoding.encode(text) else {
            throw SimulationError.notEncodable(file: path, encoding: encoding.rawValue)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// The parts of a design's `Dialect` the writer needs.
struct WriteDialect {
    var separator: String
    var decimal: String
    var thousands: String?
    var encoding: TextEncoding
    var header: Bool
    var quote: String
    var dateFormat: DateFormat
    var fields: [FixedWidthField]
}

public enum SimulationError: Error, CustomStringConvertible {
    case notEncodable(file: String, encoding: String)
    case unsupportedDesign(String)

    public var description: String {
        switch self {
        case let .notEncodable(file, encoding): return "\(file): the simulated text cannot be written in \(encoding)"
        case let .unsupportedDesign(why): return "the simulator cannot write this design: \(why)"
        }
    }
}
