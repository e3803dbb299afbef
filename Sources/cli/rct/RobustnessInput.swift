import ArgumentParser
import Estimation
import Foundation
import Inference
import Robustness
import Tabular

/// Reading the columns of `rct attrition`, `rct subgroups` and `rct bounds` from a table, with errors
/// that name the file, line and column. The statistics themselves take the plain arrays returned here.
struct ColumnReader {
    let table: Table
    let path: String

    /// An error message for the file, printed by `fail`.
    struct Failure: Error { let message: String }

    func index(_ name: String, option: String) throws -> Int {
        guard let j = table.index(of: name) else {
            throw Failure(message: "\(option) \"\(name)\": there is no such column; the columns are: \(table.header.joined(separator: ", ")). Check the spelling (names are case-sensitive).")
        }
        return j
    }

    func cells(_ name: String, option: String) throws -> [String] {
        let j = try index(name, option: option)
        return table.rows.map { j < $0.count ? $0[j].trimmingCharacters(in: .whitespaces) : "" }
    }

    /// A 0/1 column (treatment or response) that must be present on every row.
    func indicator(_ name: String, option: String, role: String, meaning: String) throws -> [Bool] {
        try cells(name, option: option).enumerated().map { i, cell in
            switch Double(cell) {
            case 1?: return true
            case 0?: return false
            default:
                let shown = cell.isEmpty ? "an empty cell" : "\"\(cell)\""
                throw Failure(message: "line \(table.lines[i]), column \"\(name)\" (\(role)): \(shown) is not 0 or 1; code the \(role) as \(meaning) on every row")
            }
        }
    }

    /// Numbers; an empty cell or `NA` is missing. Rows where `only` is false are not read (nil).
    func numbers(_ name: String, option: String, role: String, only: [Bool]? = nil) throws -> [Double?] {
        try cells(name, option: option).enumerated().map { i, cell in
            if let only, !only[i] { return nil }
            if cell.isEmpty || cell == "NA" { return nil }
            guard let v = Double(cell), v.isFinite else {
                throw Failure(message: "line \(table.lines[i]), column \"\(name)\" (\(role)): \"\(cell)\" is not a number; the \(role) must be numeric (leave the cell empty for a missing value)")
            }
            return v
        }
    }

    /// The treatment column as 1 (treated) / 0 (control): 0/1 cells, or the arms' ids of a two-arm trial
    /// (the panel's `arm` column) with `control` naming the control arm (`control` when not given).
    func treatment(_ name: String, option: String, control: String?) throws -> [Bool] {
        let cells = try cells(name, option: option)
        let binary: Set<String> = ["0", "1", "0.0", "1.0"]
        if cells.allSatisfy({ binary.contains($0) }) {
            return try indicator(name, option: option, role: "treatment", meaning: "1 (treated) or 0 (control)")
        }
        let controlLevel = control ?? "control"
        var levels: [String] = []
        for c in cells where !c.isEmpty && !levels.contains(c) { levels.append(c) }
        if levels.contains(controlLevel) {
            guard let i = cells.firstIndex(where: { $0.isEmpty }) else {
                guard levels.count == 2 else {
                    throw Failure(message: "column \"\(name)\" (treatment) holds \(levels.count) arms (\(levels.joined(separator: ", "))); these commands compare two: keep the rows of two arms (e.g. --where \(name)=…) or code the treatment 0/1")
                }
                return cells.map { $0 != controlLevel }
            }
            throw Failure(message: "line \(table.lines[i]), column \"\(name)\" (treatment): the cell is empty; every unit needs its arm")
        }
        guard let i = cells.firstIndex(where: { !binary.contains($0) }) else { return [] }
        let shown = cells[i].isEmpty ? "an empty cell" : "\"\(cells[i])\""
        throw Failure(message: "line \(table.lines[i]), column \"\(name)\" (treatment): \(shown) is not 0 or 1; code the treatment as 1 (treated) or 0 (control) on every row, "
            + "or give arm ids with --control naming the control arm" + (control == nil ? "" : " (\"\(controlLevel)\" is not in the column)"))
    }

    /// Labels; an empty cell or `NA` is missing.
    func labels(_ name: String, option: String) throws -> [String?] {
        try cells(name, option: option).map { $0.isEmpty || $0 == "NA" ? nil : $0 }
    }

    /// Labels that must be present on every row.
    func requiredLabels(_ name: String, option: String, role: String) throws -> [String] {
        try labels(name, option: option).enumerated().map { i, cell in
            guard let cell else {
                throw Failure(message: "line \(table.lines[i]), column \"\(name)\" (\(role)): the cell is empty; every unit needs its \(role)")
            }
            return cell
        }
    }

    func covariates(_ list: String?) throws -> [Covariate] {
        try commaList(list).map { Covariate(name: $0, values: try numbers($0, option: "--covariates", role: "covariate")) }
    }
}

func commaList(_ text: String?) -> [String] {
    guard let text else { return [] }
    return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Runs the body; every error of the input or the statistics becomes "rct COMMAND: error: FILE: …" on
/// standard error and exit status 1.
func reportingErrors<T>(command: String, path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ColumnReader.Failure {
        printError("rct \(command): error: \(path): \(error.message)")
    } catch let error as RobustnessError {
        printError("rct \(command): error: \(path): \(error.description)")
    } catch let error as EstimationError {
        printError("rct \(command): error: \(path): \(error.describe(.commandLine))")
    } catch let error as InferenceError {
        printError("rct \(command): error: \(path): \(error.description)")
    } catch let error as TableError {
        printError("rct \(command): error: \(path): \(error.description)")
    }
    throw ExitCode(1)
}

/// A table of label/value lines with the labels padded to one width.
func keyValueLines(_ pairs: [(String, String)]) -> [String] {
    let width = pairs.map(\.0.count).max() ?? 0
    return pairs.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }
}

/// A coefficient in the JSON documents: `term, estimate, std_error, statistic, df, p_value, conf_low,
/// conf_high`.
struct CoefficientJSON: Encodable {
    var term: String
    @JSONNumber var estimate: Double?
    @JSONNumber var stdError: Double?
    @JSONNumber var statistic: Double?
    @JSONNumber var df: Double?
    @JSONNumber var pValue: Double?
    @JSONNumber var confLow: Double?
    @JSONNumber var confHigh: Double?

    init(_ c: Coefficient) {
        term = c.term
        estimate = c.estimate
        stdError = c.stdError
        statistic = c.statistic
        df = c.df
        pValue = c.pValue
        confLow = c.confLow
        confHigh = c.confHigh
    }
}

/// A joint Wald test in the JSON documents: `restrictions, f_statistic, numerator_df, denominator_df,
/// p_value`.
struct WaldTestJSON: Encodable {
    var restrictions: [String]
    @JSONNumber var fStatistic: Double?
    @JSONNumber var numeratorDF: Double?
    @JSONNumber var denominatorDF: Double?
    @JSONNumber var pValue: Double?

    init(_ t: WaldTest) {
        restrictions = t.restrictions
        fStatistic = t.fStatistic
        numeratorDF = t.numeratorDF
        denominatorDF = t.denominatorDF
        pValue = t.pValue
    }
}

extension Coefficient {
    /// "estimate (SE se), t = …, df …, p = …, 95% CI [low, high]"
    var sentence: String {
        "\(formatNumber(estimate)) (SE \(formatNumber(stdError))), t = \(formatNumber(statistic)) on \(formatNumber(df)) df, p = \(formatNumber(pValue)), \(formatNumber(level * 100))% CI [\(formatNumber(confLow)), \(formatNumber(confHigh))]"
    }
}

extension WaldTest {    var sentence: String {
        "F = \(formatNumber(fStatistic)) on \(formatNumber(numeratorDF)) and \(formatNumber(denominatorDF)) df, p = \(formatNumber(pValue))"
    }
}

/// The options shared by `rct attrition`, `bounds`, `subgroups` and `dose-response`: the confidence level
/// and the output format.
struct LevelAndFormatOptions: ParsableArguments {
    @Option(help: "Confidence level of the intervals, strictly between 0 and 1.")
    var level: Double = 0.95

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        guard level > 0, level < 1 else { throw ValidationError("--level must be strictly between 0 and 1 (e.g. 0.95), got \(level)") }
    }
}

/// The cluster options of `rct subgroups` and `rct attrition` (and `rct bounds`, which has no clustered
/// version and says so): `--clusters COLUMN` makes every fit cluster-robust, CR2 with Bell–McCaffrey
/// degrees of freedom unless `--se` says cr0 or cr1 (stata); joint tests are then referred to F(q, G − 1).
struct ClusterOptions: ParsableArguments {
    @Option(help: "Cluster column (the unit of assignment, e.g. the caseworker): cluster-robust standard errors, CR2 unless --se says otherwise.")
    var clusters: String?

    @Option(name: .customLong("se"), help: "With --clusters: cr2 (the default, Bell–McCaffrey degrees of freedom), cr1 (stata) or cr0. Without --clusters the variance is HC2.")
    var se: String?

    func validate() throws {
        guard let se else { return }
        guard let v = VarianceType(name: se), v.isClustered else {
            throw ValidationError("--se \"\(se)\": these commands take a cluster-robust variance with --clusters: cr2, cr1 (stata) or cr0; without --clusters they use HC2")
        }
        guard clusters != nil else {
            throw ValidationError("--se \(se) is a cluster-robust variance: give the cluster column with --clusters COLUMN (without it the variance is HC2)")
        }
    }

    /// The variance of the fits: HC2, or the chosen cluster-robust one.
    var variance: VarianceType { clusters == nil ? .hc2 : (se.flatMap(VarianceType.init(name:)) ?? .cr2) }

    /// The variance as printed: "HC2", or "CR2, clustered by caseworker (18 clusters)".
    func wording(clusterCount: Int?) -> String {
        guard let clusters else { return "HC2" }
        return "\(variance.rawValue.uppercased()), clusters: \(clusters)" + (clusterCount.map { ", \($0) clusters" } ?? "")
    }

    /// The cluster of every row (required on every row).
    func read(_ reader: ColumnReader) throws -> [String]? {
        try clusters.map { try reader.requiredLabels($0, option: "--clusters", role: "cluster") }
    }
}
