import Foundation
import Reporting
import Tabular

/// `rct disclosure-check FOLDER`: tries every suppressed count of a published folder against the published
/// totals, the way a reader with a pencil would, and names each one that can be worked out.
///
/// It reads `counts.json` (every count the CONSORT diagram, the attrition, subgroup and balance tables and
/// the effect tables print, with the sums
/// that tie them: `DisclosureAudit` decides exactly whether a suppressed cell is determined) and
/// `effects.csv` (on each row `n_obs = control_n + intervention_n`: one of the three suppressed alone is the
/// total minus the rest). It needs nothing but the published folder.
public enum DisclosureCheck {
    public struct Finding: Sendable, Equatable {
        /// The file, relative to the folder (`counts.json`, `effects.csv`).
        public var file: String
        /// The cell: a key of counts.json, or `line L, column C` of effects.csv.
        public var cell: String
        /// How it is worked out.
        public var how: String
    }

    public struct Outcome: Sendable, Equatable {
        public var counts: Int
        public var suppressed: Int
        public var sums: Int
        public var effectRows: Int
        public var findings: [Finding]
    }

    public static func run(folder: String) throws -> Outcome {
        let countsPath = (folder as NSString).appendingPathComponent("counts.json")
        guard let data = FileManager.default.contents(atPath: countsPath) else {
            throw WorkflowError.disclosureInput(path: countsPath, problem: "no such file")
        }
        let published: PublishedCounts
        do {
            published = try JSONDecoder().decode(PublishedCounts.self, from: data)
        } catch {
            throw WorkflowError.disclosureInput(path: countsPath, problem: "not the counts.json of a report (\(error))")
        }
        let suppressed = Set(published.cells.filter { $0.value == nil }.map(\.key))
        var findings: [Finding] = []
        for sum in published.sums {
            let hidden = sum.keys.filter(suppressed.contains)
            if hidden.count == 1 {
                findings.append(Finding(file: "counts.json", cell: hidden[0],
                                        how: "\(sum.total) = \(sum.parts.joined(separator: " + ")), every other term published"))
            }
        }
        let determined: [String]
        do {
            determined = try DisclosureAudit.determined(keys: published.cells.map(\.key), sums: published.sums, suppressed: suppressed)
        } catch {
            throw WorkflowError.disclosureInput(path: countsPath, problem: "too many sums to decide exactly")
        }
        for key in determined where !findings.contains(where: { $0.cell == key }) {
            findings.append(Finding(file: "counts.json", cell: key, how: "a combination of the published sums determines it"))
        }

        let effectsPath = (folder as NSString).appendingPathComponent("effects.csv")
        var rows = 0
        if FileManager.default.fileExists(atPath: effectsPath) {
            let table: Table
            do {
                table = try DelimitedReader().read(path: effectsPath)
            } catch {
                throw WorkflowError.disclosureInput(path: effectsPath, problem: "cannot read it as CSV (\(error))")
            }
            let columns = ["n_obs", "control_n", "intervention_n"]
            let index = columns.compactMap { c in table.header.firstIndex(of: c) }
            guard index.count == 3 else {
                throw WorkflowError.disclosureInput(path: effectsPath, problem: "no columns \(columns.joined(separator: ", "))")
            }
            for (r, row) in table.rows.enumerated() {
                rows += 1
                let cells = index.map { $0 < row.count ? row[$0] : "" }
                let hidden = cells.indices.filter { Int(cells[$0]) == nil }
                if hidden.count == 1 {
                    findings.append(Finding(file: "effects.csv", cell: "line \(r + 2), column \(columns[hidden[0]])",
                                            how: "n_obs = control_n + intervention_n, the other two published"))
                }
            }
        }
        return Outcome(counts: published.cells.count, suppressed: suppressed.count, sums: published.sums.count,
                       effectRows: rows, findings: findings)
    }
}
