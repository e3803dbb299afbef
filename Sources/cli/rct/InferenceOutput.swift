import ArgumentParser
import Foundation
import Tabular

/// Output formats shared by the inference subcommands (ri, adjust, power, mde).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Numbers for tables: up to 7 significant digits, no exponent for ordinary magnitudes.
func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
    return String(format: "%.7g", x)
}

/// Parses a comma-separated list of numbers given to option `name`.
func parseNumberList(_ text: String, option name: String) throws -> [Double] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    return try parts.enumerated().map { i, part in
        guard let v = Double(part), v.isFinite else {
            throw ValidationError("\(name): \"\(part)\" (value \(i + 1)) is not a number; give numbers separated by commas, e.g. \(name) 0.01,0.04")
        }
        return v
    }
}
