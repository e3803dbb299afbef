import Estimation
import Foundation
import Tabular
import TestSupport

/// Loads the reference data sets of `fixtures/reference/` (provenance in its README) with the project's
/// own delimited reader.
enum ReferenceData {
    static func table(_ name: String) throws -> Table {
        try DelimitedReader().read(path: Fixtures.path("fixtures/reference/\(name)"))
    }

    static func data(_ name: String) throws -> EstimationData {
        let t = try table(name)
        return try EstimationData(columns: t.header.enumerated().map { j, h in (h, t.rows.map { $0[j] }) },
                                  lines: t.lines, source: name)
    }

    /// One row of `estimatr_expected.csv`.
    struct Expected {
        var caseName: String
        var call: String
        var outcome: String
        var term: String
        var estimate, stdError, statistic, df, pValue, confLow, confHigh: Double
    }

    static func expected() throws -> [Expected] {
        let t = try table("estimatr_expected.csv")
        func c(_ row: [String], _ name: String) -> String { row[t.index(of: name)!] }
        return t.rows.map { r in
            Expected(caseName: c(r, "case"), call: c(r, "call"), outcome: c(r, "outcome"), term: c(r, "term"),
                     estimate: Double(c(r, "estimate"))!, stdError: Double(c(r, "std.error"))!,
                     statistic: Double(c(r, "statistic"))!, df: Double(c(r, "df"))!,
                     pValue: Double(c(r, "p.value"))!, confLow: Double(c(r, "conf.low"))!,
                     confHigh: Double(c(r, "conf.high"))!)
        }
    }
}
