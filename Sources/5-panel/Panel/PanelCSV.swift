import Foundation
import Tabular
import TrialDesign

/// The analysis data set as CSV text (comma-separated, `.` decimal mark, RFC 4180 quoting by
/// `Tabular.CSVWriter`, `\n` line ends, UTF-8). Missing values are empty cells; the status columns say why.
public enum PanelCSV {
    /// The wide file: one line per unit × wave. Columns, in order: the design's id column, `arm`,
    /// `assigned_on`, `stratum`, `block`, `cluster`, `probability`, `wave`, `wave_target`,
    /// `interview_status`, `interview_date`, `take_up` (when the design has `analysis.take_up`), the
    /// cohort columns (take-up column, subgroup columns; prefixed `cohort_` when a covariate or outcome
    /// has the same name), then `<covariate>` and `<covariate>_status` for every covariate, then
    /// `<outcome>` and `<outcome>_status` for every outcome. Statuses are `CellStatus` raw values; an
    /// outcome not measured at the row's wave has an empty value and an empty status.
    public static func wide(_ panel: PanelData) -> String {
        let columns = WideColumns(panel)
        let csv = CSVWriter.comma
        var out = csv.line(columns.header) + "\n"
        out.reserveCapacity(panel.rows.count * 64 * max(1, panel.outcomeIDs.count))
        for row in panel.rows {
            var fields: [String] = [
                row.unitID, row.arm, row.assignedOn.description, row.stratum ?? "", row.block ?? "", row.cluster ?? "",
                formatNumber(row.probability), row.wave, row.waveTarget.description,
                row.interview == .noSurvey ? "" : row.interview.rawValue, row.interviewDate?.description ?? "",
            ]
            if panel.takeUpColumn != nil { fields.append(row.takeUp.map(formatNumber) ?? "") }
            for c in panel.cohortColumns { fields.append(row.cohort[c] ?? "") }
            for cell in row.covariates {
                fields.append(cell.value.map(formatNumber) ?? "")
                fields.append(cell.status.rawValue)
            }
            for cell in row.outcomes {
                fields.append(cell.value.map(formatNumber) ?? "")
                fields.append(cell.status == .notMeasured ? "" : cell.status.rawValue)
            }
            csv.append(fields, to: &out)
            out += "\n"
        }
        return out
    }

    /// The long file: one line per unit × wave × outcome measured at that wave, with columns
    /// `<id column>, wave, outcome, value, status, detail`.
    public static func long(_ panel: PanelData) -> String {
        let csv = CSVWriter.comma
        var out = csv.line([panel.idColumn, "wave", "outcome", "value", "status", "detail"]) + "\n"
        for row in panel.rows {
            for (o, cell) in row.outcomes.enumerated() where cell.status != .notMeasured {
                csv.append([row.unitID, row.wave, panel.outcomeIDs[o], cell.value.map(formatNumber) ?? "",
                            cell.status.rawValue, cell.detail ?? ""], to: &out)
                out += "\n"
            }
        }
        return out
    }

    /// Whole numbers without a decimal part (`3`, `-12`); others in Swift's shortest round-tripping
    /// form (`0.3333333333333333`, `1214.13`).
    public static func formatNumber(_ v: Double) -> String {
        if v.isNaN { return "" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

/// The names of the wide file's columns, made unique.
struct WideColumns {
    var fixed: [String]
    var takeUp: [String]
    var cohort: [String]
    var covariates: [String]
    var outcomes: [String]

    init(_ panel: PanelData) {
        fixed = [panel.idColumn, "arm", "assigned_on", "stratum", "block", "cluster", "probability", "wave",
                 "wave_target", "interview_status", "interview_date"]
        takeUp = panel.takeUpColumn == nil ? [] : ["take_up"]
        let taken = Set(fixed + takeUp + panel.covariateIDs + panel.covariateIDs.map { $0 + "_status" }
                        + panel.outcomeIDs + panel.outcomeIDs.map { $0 + "_status" })
        cohort = panel.cohortColumns.map { taken.contains($0) ? "cohort_" + $0 : $0 }
        covariates = panel.covariateIDs
        outcomes = panel.outcomeIDs
    }

    var header: [String] {
        fixed + takeUp + cohort + covariates.flatMap { [$0, $0 + "_status"] } + outcomes.flatMap { [$0, $0 + "_status"] }
    }
}
