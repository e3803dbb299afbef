import Assignment
import Foundation
import Tabular
import TrialStore

/// The baseline table by arm from the store's assigned families (`rct balance`): means, SDs,
/// standardized differences and an omnibus F-test per arm against control, over the design's
/// cohort-column covariates or the columns given. In a cluster-randomised design the same table follows
/// at the cluster level (`Balance.clusterTable`: every covariate averaged per cluster, the arms compared
/// across clusters), and the CSV gains a `level` column (`family`, `cluster`).
public enum BaselineBalance {
    public struct Outcome: Sendable {
        public var table: BalanceTable
        /// The table at the cluster level (cluster-randomised designs only).
        public var clusterTable: BalanceTable?
        public var units: Int
        /// The report for standard output.
        public var lines: [String]
        /// The table as CSV (one row per covariate and arm).
        public var csv: String
    }

    public static func run(_ file: DesignFile, store: some EnrolmentStore, columns given: [String]?) async throws -> Outcome {
        let d = file.design
        let units = try await store.assignmentRecords().map(\.assignedUnit)
        guard !units.isEmpty else { throw WorkflowError.nothingAssigned(store: store.location) }
        let columns = given ?? d.covariates.compactMap(\.column)
        guard !columns.isEmpty else { throw WorkflowError.noBalanceCovariates }
        if let missing = columns.first(where: { c in !units.contains { $0.attributes[c] != nil } }) {
            throw WorkflowError.unknownCohortColumn(column: missing, available: Set(units.flatMap { $0.attributes.keys }).sorted())
        }
        let values = columns.map { c in
            (name: c, values: units.map { Double(($0.attributes[c] ?? "").trimmingCharacters(in: .whitespaces)) })
        }
        let table = try Balance.table(arms: d.arms.map(\.id), control: d.controlArm.id, armOfUnit: units.map(\.arm), covariates: values)
        // A cluster-randomised design: the same table over clusters, as they were randomised.
        let clustered = d.isClusterRandomised && units.allSatisfy { $0.cluster != nil }
            ? try Balance.clusterTable(arms: d.arms.map(\.id), control: d.controlArm.id, armOfUnit: units.map(\.arm),
                                       clusterOfUnit: units.map(\.cluster), covariates: values)
            : nil
        func f(_ x: Double?, _ digits: Int = 3) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "–" }
        var csv = [["covariate", "arm", "n", "mean", "sd", "std_diff"] + (clustered == nil ? [] : ["level"])]
        var lines = ["Baseline balance, \(units.count) assigned families (\(TrialStoreAccess.countsByArm(table.arms, units.map(\.arm))))"]
        func add(_ table: BalanceTable, level: String, unitName: String) {
            for row in table.rows {
                let cells = table.arms.indices.map { k in
                    "\(table.arms[k]): \(f(row.mean[k])) (\(f(row.sd[k]))), n \(row.count[k])"
                        + (row.standardizedDifference[k].map { ", d = \(String(format: "%+.3f", $0))" } ?? "")
                }
                lines.append("  \(row.covariate): " + cells.joined(separator: "; "))
                for k in table.arms.indices {
                    csv.append([row.covariate, table.arms[k], String(row.count[k]), f(row.mean[k], 6), f(row.sd[k], 6),
                                row.standardizedDifference[k].map { String(format: "%.6f", $0) } ?? ""] + (clustered == nil ? [] : [level]))
                }
            }
            for t in table.tests {
                lines.append("omnibus F-test, \(t.arm) vs \(table.control) on all covariates: F(\(t.numeratorDF), \(t.denominatorDF)) = "
                    + "\(String(format: "%.3f", t.statistic)), p = \(String(format: "%.4f", t.pValue)), n = \(t.observations) \(unitName)")
            }
        }
        add(table, level: "family", unitName: "families")
        if let clustered {
            let column = d.randomisation.clusterColumn ?? "cluster"
            lines.append("At the cluster level, \(clustered.clusters.count) clusters of \(column) "
                         + "(\(TrialStoreAccess.countsByArm(clustered.table.arms, units.reduce(into: [String: String]()) { $0[$1.cluster!] = $1.arm }.values.map { $0 }))): "
                         + "every covariate averaged per cluster, the arms compared across clusters; n counts clusters")
            add(clustered.table, level: "cluster", unitName: "clusters")
        }
        return Outcome(table: table, clusterTable: clustered?.table, units: units.count, lines: lines, csv: CSVWriter.comma.text(csv))
    }

    /// Writes the CSV to `path`.
    public static func write(_ outcome: Outcome, to path: String) throws { try OutputFile.write(outcome.csv, to: path) }
}
