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

/// How a language writes numbers in the report's HTML, Markdown and LaTeX: the decimal separator (a
/// point in English, a comma in Dutch: `0,25`). The CSV files never use it (`NumberFormat.csv`).
public struct NumberStyle: Sendable, Equatable {
    public let decimalComma: Bool

    public static let point = NumberStyle(decimalComma: false)
    public static let comma = NumberStyle(decimalComma: true)

    func local(_ text: String) -> String { decimalComma ? text.replacingAll(".", with: ",") : text }

    /// `x` with `digits` decimals (`NumberFormat.fixed`) in this style.
    public func fixed(_ x: Double, _ digits: Int) -> String { local(NumberFormat.fixed(x, digits)) }

    /// A p-value (`NumberFormat.pValue`) in this style: `0,042`, `<0,001`.
    public func pValue(_ p: Double) -> String { local(NumberFormat.pValue(p)) }

    /// "p = 0.653", or "p < 0.001" for the smallest (never "p = <0.001").
    public func pStatement(_ p: Double) -> String {
        p.isFinite && p < 0.001 ? "p < " + local(NumberFormat.fixed(0.001, 3)) : "p = " + pValue(p)
    }

    /// A percentage with one decimal and its sign (`NumberFormat.percent`) in this style: `+104,2%`.
    public func percent(_ x: Double) -> String { local(NumberFormat.percent(x)) }

    /// A confidence interval `[low, high]`; with a decimal comma the bounds are separated by a semicolon
    /// (`[0,07; 0,42]`).
    public func interval(_ low: Double, _ high: Double, _ digits: Int) -> String {
        "[\(fixed(low, digits))\(decimalComma ? ";" : ",") \(fixed(high, digits))]"
    }

    /// A signed number: `+0.25`, `-0.10` (a minus for negatives), `0.000` for zero.
    public func signed(_ x: Double, _ digits: Int) -> String {
        let text = fixed(x, digits)
        return x > 0 && text != fixed(0, digits) ? "+" + text : text
    }
}
