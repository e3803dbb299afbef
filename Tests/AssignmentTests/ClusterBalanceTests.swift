import Assignment
import Foundation
import Tabular
import TestSupport
import Testing

/// Baseline balance at the cluster level (`Balance.clusterTable`) on the bundled cluster example's frozen
/// panel (fixtures/reporting/clustered/caseworkers_panel.csv, wave m6: 199 families of 18 caseworkers),
/// against base R's values frozen by fixtures/reporting/clustered/cluster_balance.R in cluster_balance.csv.
/// The test never calls R.
@Suite struct ClusterBalanceTests {
    static let covariates = ["domains_weak", "single_parent", "leefloon_before"]

    static func reference() throws -> [String: Double] {
        let table = try DelimitedReader().read(path: Fixtures.path("fixtures/reporting/clustered/cluster_balance.csv"))
        let keys = zip(try table.column("covariate"), try table.column("quantity")).map { "\($0).\($1)" }
        return Dictionary(uniqueKeysWithValues: zip(keys, try table.numericColumn("value").map { $0! }))
    }

    static func panel() throws -> (arms: [String], clusters: [String?], covariates: [(name: String, values: [Double?])]) {
        let table = try DelimitedReader().read(path: Fixtures.path("fixtures/reporting/clustered/caseworkers_panel.csv"))
        let m6 = try table.column("wave").enumerated().filter { $0.element == "m6" }.map(\.offset)
        let arms = try table.column("arm"), clusters = try table.column("cluster")
        return (m6.map { arms[$0] }, m6.map { clusters[$0] },
                try covariates.map { c in let v = try table.numericColumn(c); return (c, m6.map { v[$0] }) })
    }

    /// Relative tolerance 1e-10 on means, SDs, standardized differences and the F statistic (R prints 15
    /// significant digits); 1e-8 on the p-value (an F tail through GSL against R's pf).
    @Test func clusterMeansComparedAcrossCaseworkersAgreeWithR() throws {
        let r = try Self.reference()
        let (arms, clusters, covariates) = try Self.panel()
        #expect(arms.count == 199)
        let result = try #require(try Balance.clusterTable(arms: ["control", "intervention"], control: "control", armOfUnit: arms,
                                                            clusterOfUnit: clusters, covariates: covariates))
        #expect(result.clusters.count == 18)
        for (row, name) in zip(result.table.rows, Self.covariates) {
            #expect(row.covariate == name)
            #expect(Double(row.count[0]) == r["\(name).n_control"] && Double(row.count[1]) == r["\(name).n_intervention"])
            let ours: [(value: Double?, key: String)] = [
                (row.mean[0], "mean_control"), (row.sd[0], "sd_control"), (row.mean[1], "mean_intervention"),
                (row.sd[1], "sd_intervention"), (row.standardizedDifference[1], "std_difference"),
            ]
            for (value, key) in ours {
                let theirs = try #require(r["\(name).\(key)"])
                let value = try #require(value, "\(name) \(key) is missing")
                #expect(isClose(value, theirs, relative: 1e-10), "\(name) \(key): \(value) against R \(theirs)")
            }
        }
        let test = try #require(result.table.tests.first)
        #expect(Double(test.observations) == r["omnibus.clusters"])
        #expect(Double(test.numeratorDF) == r["omnibus.df1"] && Double(test.denominatorDF) == r["omnibus.df2"])
        #expect(isClose(test.statistic, try #require(r["omnibus.F"]), relative: 1e-10))
        #expect(isClose(test.pValue, try #require(r["omnibus.p"]), relative: 1e-8))
    }

    @Test func aClusterHoldingBothArmsHasNoClusterLevelTable() throws {
        let x: [(name: String, values: [Double?])] = [("x", [1, 2, 3, 4])]
        #expect(try Balance.clusterTable(arms: ["c", "t"], control: "c", armOfUnit: ["c", "t", "c", "t"],
                                         clusterOfUnit: ["a", "a", "b", "b"], covariates: x) == nil)
        // Units without a cluster are left out; a cluster whose units all lack the covariate has no mean.
        let y: [(name: String, values: [Double?])] = [("x", [1, 3, nil, 5, 7, nil])]
        let result = try #require(try Balance.clusterTable(arms: ["c", "t"], control: "c", armOfUnit: ["c", "c", "c", "t", "t", "t"],
                                                           clusterOfUnit: ["a", "a", "b", "d", "e", nil], covariates: y))
        #expect(result.clusters == ["a", "b", "d", "e"])
        #expect(result.table.rows[0].count == [1, 2] && result.table.rows[0].mean == [2, 6])
    }
}
