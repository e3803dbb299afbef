import ArgumentParser
import Assignment
import Foundation
import TrialStore

/// `rct balance`: the baseline table by arm.
struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Baseline balance by arm: means, SDs, standardized differences and an omnibus F-test.",
        discussion: """
            Reads the assigned families from the store. Covariates are the design's cohort-column covariates \
            unless --covariates lists columns. Non-numeric cells count as missing. See docs/assignment.md.
            """)

    @Option(help: "The design file.") var design: String
    @Option(help: "The trial store (default: beside the design, NAME.sqlite).") var store: String?
    @Option(help: "Cohort columns to compare, comma-separated.") var covariates: String?
    @Option(help: "Also write the table to this CSV file.") var out: String?

    func run() throws {
        try StoreSupport.reporting {
            let (d, data) = try StoreSupport.loadDesign(design)
            let path = store ?? StoreSupport.defaultStorePath(design: design)
            let trialStore = try TrialStore.open(path: path)
            try trialStore.checkDesign(data)
            let units = try trialStore.assignedUnits()
            guard !units.isEmpty else { throw CommandFailure("\(path): no family has been assigned yet") }
            let columns = covariates.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                ?? d.covariates.compactMap(\.column)
            guard !columns.isEmpty else {
                throw CommandFailure("the design has no cohort-column covariates; list columns with --covariates a,b")
            }
            if let missing = columns.first(where: { c in !units.contains { $0.attributes[c] != nil } }) {
                throw CommandFailure("no assigned family has a column \"\(missing)\"; the columns are: "
                    + Set(units.flatMap { $0.attributes.keys }).sorted().joined(separator: ", "))
            }
            let values = columns.map { c in (name: c, values: units.map { Double(($0.attributes[c] ?? "").trimmingCharacters(in: .whitespaces)) }) }
            let table = try Balance.table(arms: d.arms.map(\.id), control: d.controlArm.id, armOfUnit: units.map(\.arm),
                                          covariates: values)
            func f(_ x: Double?, _ digits: Int = 3) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "–" }
            var csv = ["covariate,arm,n,mean,sd,std_diff"]
            print("Baseline balance, \(units.count) assigned families (\(StoreSupport.countsByArm(table.arms, units.map(\.arm))))")
            for row in table.rows {
                let cells = table.arms.indices.map { k in
                    "\(table.arms[k]): \(f(row.mean[k])) (\(f(row.sd[k]))), n \(row.count[k])"
                        + (row.standardizedDifference[k].map { ", d = \(String(format: "%+.3f", $0))" } ?? "")
                }
                print("  \(row.covariate): " + cells.joined(separator: "; "))
                for k in table.arms.indices {
                    csv.append([row.covariate, table.arms[k], String(row.count[k]), f(row.mean[k], 6), f(row.sd[k], 6),
                                row.standardizedDifference[k].map { String(format: "%.6f", $0) } ?? ""].joined(separator: ","))
                }
            }
            for t in table.tests {
                print("omnibus F-test, \(t.arm) vs \(table.control) on all covariates: F(\(t.numeratorDF), \(t.denominatorDF)) = "
                    + "\(String(format: "%.3f", t.statistic)), p = \(String(format: "%.4f", t.pValue)), n = \(t.observations)")
            }
            if let out { try StoreSupport.write(csv.joined(separator: "\n") + "\n", to: out) }
        }
    }
}
