import Foundation
import Testing
import TestSupport
@testable import TrialDesign

/// The clusters of a design's analysis (`Design.analysisClusters`): a cluster-randomised design clusters
/// by its `randomisation.cluster_column` and gets CR2 by default; `analysis.clusters` declares a
/// clustering that was not the randomisation's; a cluster-robust variance without clusters is refused
/// with its key and line.
@Suite struct ClusteredDesignTests {
    @Test func theBundledClusterExampleClustersByCaseworkerWithCR2() throws {
        let d = try Design.load(path: Fixtures.path("designs/caseworkers-cluster.yaml"))
        #expect(d.isClusterRandomised)
        #expect(d.analysisClusters == AnalysisClusters(column: "caseworker", randomised: true, key: "randomisation.cluster_column"))
        // No variance: key, so CR2 (estimatr's default with clusters); the sensitivity analysis asks for CR1.
        #expect(d.analysis.variance == .cr2 && !d.analysis.varianceGiven)
        #expect(d.analysis.specification(named: "cr1")?.variance == .cr1)
        // The individually randomised example is unchanged: HC2, no clusters.
        let mission = try Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
        #expect(mission.analysisClusters == nil && mission.analysis.variance == .hc2)
    }

    @Test func analysisClustersDeclaresAClusteringForTheAnalysisOnly() throws {
        let d = try AnalysisSpecificationTests.design("analysis:\n  clusters: school\n")
        #expect(!d.isClusterRandomised)
        #expect(d.analysisClusters == AnalysisClusters(column: "school", randomised: false, key: "analysis.clusters"))
        #expect(d.analysis.variance == .cr2)
        // A variance stated by the design wins over the default.
        #expect(try AnalysisSpecificationTests.design("analysis:\n  clusters: school\n  variance: cr1\n").analysis.variance == .cr1)
    }

    @Test func aClusterRobustVarianceWithoutClustersIsRefusedWithItsKeyAndLine() throws {
        let refused = AnalysisSpecificationTests.problems("analysis:\n  variance: cr2\n")
        let issue = try #require(refused.first { $0.path == "analysis.variance" })
        #expect(issue.line == 34)
        #expect(issue.message.contains("cr2 is a cluster-robust variance but the design has no clusters"))
        #expect(issue.message.contains("declare analysis.clusters: COLUMN, or use variance: hc2"))
        let sensitivity = AnalysisSpecificationTests.problems("analysis:\n  sensitivity:\n    - { id: clustered, variance: cr1 }\n")
        #expect(sensitivity.contains { $0.path == "analysis.sensitivity[0].variance" && $0.message.contains("no clusters") })
        // With clusters declared the same variance is fine.
        #expect(AnalysisSpecificationTests.problems("analysis:\n  clusters: school\n  variance: cr0\n").isEmpty)
    }

    @Test func aClusterRandomisedDesignAnalysesItsOwnClusters() throws {
        let yaml = try Fixtures.contents("designs/caseworkers-cluster.yaml")
            .replacingOccurrences(of: "analysis:\n  estimator: ols\n", with: "analysis:\n  estimator: ols\n  clusters: site\n")
        do {
            _ = try Design.parse(yaml: yaml)
            Issue.record("analysis.clusters other than the randomisation's cluster_column was accepted")
        } catch let e as DesignError {
            let issue = try #require(e.issues.first { $0.path == "analysis.clusters" })
            #expect(issue.message.contains("the design randomised clusters of caseworker"))
            #expect(issue.message.contains("analysis.clusters must be caseworker or be left out"))
            #expect(issue.line != nil)
        }
    }

    @Test func aListOfClustersNeedsAClusterRandomisedDesign() throws {
        let list = """
          - id: list
            kind: assignment
            level: cluster
            file: workers.csv
            identifier: { column: worker, type: code }
            dialect: { format: delimited, separator: ";" }

        """
        // On the unit-randomised minimal design: refused with the source's key.
        let base = try Fixtures.contents("fixtures/designs/minimal.yaml")
        let minimal = base.replacingOccurrences(of: "sources:\n", with: "sources:\n" + list)
        do {
            _ = try Design.parse(yaml: minimal)
            Issue.record("level: cluster accepted on a design that randomised families")
        } catch let e as DesignError {
            #expect(e.issues.contains { $0.path == "sources[0].level" && $0.message.contains("a list of clusters needs a cluster-randomised design") })
        }
        // On the cluster example: accepted, and read as such.
        var yaml = try Fixtures.contents("designs/caseworkers-cluster.yaml")
        yaml = yaml.replacingOccurrences(of: "sources:\n", with: "sources:\n" + list)
        let d = try Design.parse(yaml: yaml)
        #expect(d.sources.first { $0.id == "list" }?.level == .cluster)
        #expect(d.sources.first { $0.id == "cohort" }?.level == .unit)
        // level on another kind of source, and a list of clusters identified by national numbers: refused.
        let wrong = yaml.replacingOccurrences(of: "identifier: { column: worker, type: code }", with: "identifier: { column: worker, type: insz }")
            .replacingOccurrences(of: "    kind: ocmw_leefloon\n", with: "    kind: ocmw_leefloon\n    level: cluster\n")
        do {
            _ = try Design.parse(yaml: wrong)
            Issue.record("refusals expected")
        } catch let e as DesignError {
            #expect(e.issues.contains { $0.path.hasSuffix(".level") && $0.message.contains("level: cluster is for an assignment list") })
            #expect(e.issues.contains { $0.path == "sources[0].identifier.type" && $0.message.contains("use type: code") })
        }
    }
}
