import Foundation

/// How numbers are written in published tables (Markdown, LaTeX, HTML). CSV keeps full precision.
enum NumberFormat {
    /// `x` with `digits` decimals; a minus sign for negatives, no sign for zero ("-0.000" is written "0.000").
    static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "NA" : (x > 0 ? "Inf" : "-Inf") }
        let s = String(format: "%.\(digits)f", x)
        if s.hasPrefix("-"), Double(s) == 0 { return String(s.dropFirst()) }
        return s
    }

    /// Decimals for an outcome's means and effects: shares and scales get 3, amounts in euro 1.
    static func digits(for kind: OutcomeKind, magnitude: Double) -> Int {
        switch kind {
        case .binary: return 3
        case .count, .continuous: return abs(magnitude) >= 100 ? 1 : 3
        }
    }

    /// A p-value: three decimals, `<0.001` below that.
    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "NA" }
        return p < 0.001 ? "<0.001" : fixed(p, 3)
    }

    /// A number for CSV: the shortest text that reads back to the same double; empty for missing.
    static func csv(_ x: Double?) -> String {
        guard let x else { return "" }
        guard x.isFinite else { return x.isNaN ? "NA" : (x > 0 ? "Inf" : "-Inf") }
        return "\(x)"
    }

    /// A percentage with one decimal, e.g. `+104.2%`.
    static func percent(_ x: Double) -> String {
        (x >= 0 ? "+" : "") + fixed(100 * x, 1) + "%"
    }
}
