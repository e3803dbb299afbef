import ArgumentParser
import Robustness

/// `rct subgroups`: ITT per level of a pre-specified subgroup and the test of equal effects.
struct SubgroupsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subgroups",
        abstract: "Intention-to-treat effect in each level of a pre-specified subgroup, and the test of equal effects.",
        discussion: """
            Reads --data (CSV, header line). Per level of --subgroup: the treatment coefficient of \
            --outcome on --treatment (1 = treated, 0 = control) and --covariates within that level, HC2. \
            Then the Wald F-test (HC2) that the effects are equal in every level, from the fully \
            interacted regression (treatment and covariates interacted with the subgroup indicators). \
            Rows with a missing outcome, subgroup or covariate are left out. With --clusters every fit is \
            cluster-robust (CR2 with Bell–McCaffrey degrees of freedom unless --se says cr1 or cr0) and the \
            equality test is referred to F(L − 1, G − 1), G the clusters. See docs/inference.md.
            """)

    @Option(help: "The data file (a header line; comma-separated unless --separator says otherwise), e.g. the panel's panel_wide.csv with --where wave=m6.")
    var data: String

    @OptionGroup var input: DataFileOptions

    @Option(help: "Outcome column (empty cell = missing).")
    var outcome: String

    @Option(help: "Treatment column: 1 = treated, 0 = control, or arm ids (the panel's arm column) with --control.")
    var treatment: String

    @Option(help: "With arm ids in --treatment (the panel\'s arm column): the control arm\'s id.")
    var control: String?

    @Option(help: "Subgroup column (its levels are compared).")
    var subgroup: String

    @Option(help: "Baseline covariate column(s), separated by commas.")
    var covariates: String?

    @OptionGroup var cluster: ClusterOptions

    @OptionGroup var output: LevelAndFormatOptions

    /// The JSON document.
    struct Document: Encodable {
        struct Level: Encodable {
            var level: String
            var units, treatedUnits, controlUnits: Int
            var effect: CoefficientJSON
        }

        var outcome, treatment, subgroup: String
        var covariates: [String]
        var levels: [Level]
        var equalityTest: WaldTestJSON
        var units, droppedRows: Int
        var variance: String
        var clusters: String?
        var nClusters: Int?
    }

    func run() throws {
        let table = try input.read(data, command: "subgroups")
        let result = try reportingErrors(command: "subgroups", path: data) { () throws -> SubgroupHeterogeneity in
            let reader = ColumnReader(table: table, path: data)
            let y = try reader.numbers(outcome, option: "--outcome", role: "outcome")
            let z = try reader.treatment(treatment, option: "--treatment", control: control)
            let g = try reader.labels(subgroup, option: "--subgroup")
            return try SubgroupHeterogeneity(outcome: y, treated: z, subgroup: g, covariates: try reader.covariates(covariates),
                                             outcomeName: outcome, treatmentName: treatment, subgroupName: subgroup,
                                             level: output.level, clusters: try cluster.read(reader),
                                             clusterVariance: cluster.variance)
        }
        switch output.format {
        case .json:
            print(try JSONOutput.text(Document(
                outcome: outcome, treatment: treatment, subgroup: subgroup, covariates: commaList(covariates),
                levels: result.levels.map { l in
                    Document.Level(level: l.label, units: l.units, treatedUnits: l.treatedUnits, controlUnits: l.controlUnits,
                                   effect: CoefficientJSON(l.effect))
                },
                equalityTest: WaldTestJSON(result.equalityTest), units: result.units, droppedRows: result.droppedRows,
                variance: result.variance.rawValue.uppercased(), clusters: cluster.clusters, nClusters: result.clusterCount)))
        case .table:
            print("Intention-to-treat effect of \(treatment) on \(outcome) by \(subgroup)" + (covariates.map { ", adjusted for \($0)" } ?? "") + " (\(cluster.wording(clusterCount: result.clusterCount)))")
            let header = ["level", "units", "treated", "control", "estimate", "std_error", "df", "p_value", "conf_low", "conf_high"]
            let body = result.levels.map { l in
                [l.label, "\(l.units)", "\(l.treatedUnits)", "\(l.controlUnits)"]
                    + [l.effect.estimate, l.effect.stdError, l.effect.df, l.effect.pValue, l.effect.confLow, l.effect.confHigh].map(formatNumber)
            }
            let all = [header] + body
            let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
            for line in all {
                print(line.enumerated().map { c, cell in
                    let pad = String(repeating: " ", count: widths[c] - cell.count)
                    return c == 0 ? cell + pad : pad + cell
                }.joined(separator: "  "))
            }
            print("equal effects in every level: \(result.equalityTest.sentence)")
            if result.droppedRows > 0 {
                print("\(result.droppedRows) of \(result.units + result.droppedRows) rows left out for a missing outcome, subgroup or covariate")
            }
        }
    }
}
