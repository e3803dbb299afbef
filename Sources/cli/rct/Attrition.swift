import ArgumentParser
import Robustness

/// `rct attrition`: is response at follow-up related to the assignment?
struct AttritionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attrition",
        abstract: "Test for differential attrition: response rates by arm, and treatment × covariate interactions.",
        discussion: """
            Reads --data (CSV, header line; one row per randomised unit). --observed names the response \
            indicator (1 = outcome observed, 0 = not), --treatment the assignment (1 = treated, 0 = \
            control); both must be present on every row. (a) The response indicator regressed on the \
            treatment, with --blocks as fixed effects (HC2): the coefficient is the difference in \
            response rates. (b) With --covariates, the joint Wald F-test (HC2, F(m, N − K)) of the \
            treatment × covariate interactions in a regression of response on treatment, covariates, \
            their interactions and blocks; rows with a missing covariate are left out of (b). With \
            --clusters both fits are cluster-robust (CR2 with Bell–McCaffrey degrees of freedom unless --se \
            says cr1 or cr0) and (b) is referred to F(m, G − 1), G the clusters. See docs/inference.md.
            """)

    @Option(help: "The data file (a header line; comma-separated unless --separator says otherwise), e.g. the panel's panel_wide.csv with --where wave=m6.")
    var data: String

    @OptionGroup var input: DataFileOptions

    @Option(help: "Response column: 1 = outcome observed, 0 = not observed.")
    var observed: String

    @Option(help: "Treatment column: 1 = treated, 0 = control, or arm ids (the panel's arm column) with --control.")
    var treatment: String

    @Option(help: "With arm ids in --treatment (the panel\'s arm column): the control arm\'s id.")
    var control: String?

    @Option(help: "Randomisation block (stratum) column, absorbed as fixed effects.")
    var blocks: String?

    @Option(help: "Baseline covariate column(s) for the interaction test, separated by commas.")
    var covariates: String?

    @OptionGroup var cluster: ClusterOptions

    @OptionGroup var output: LevelAndFormatOptions

    /// The JSON document; `blocks`/`strata` with --blocks, the interaction test with --covariates.
    struct Document: Encodable {
        var observed, treatment: String
        var units, treatedUnits, controlUnits: Int
        @JSONNumber var responseRateTreated: Double?
        @JSONNumber var responseRateControl: Double?
        var blocks: String?
        var strata: Int?
        var treatmentEffect: CoefficientJSON
        var interactionTest: WaldTestJSON?
        var interactionUnits: Int?
        var droppedForMissingCovariates: Int?
        var variance: String
        var clusters: String?
        var nClusters: Int?
    }

    func run() throws {
        let table = try input.read(data, command: "attrition")
        let result = try reportingErrors(command: "attrition", path: data) { () throws -> DifferentialAttrition in
            let reader = ColumnReader(table: table, path: data)
            let r = try reader.indicator(observed, option: "--observed", role: "response", meaning: "1 (observed) or 0 (not observed)")
            let z = try reader.treatment(treatment, option: "--treatment", control: control)
            let strata = try blocks.map { try reader.requiredLabels($0, option: "--blocks", role: "block") }
            return try DifferentialAttrition(observed: r, treated: z, strata: strata, covariates: try reader.covariates(covariates),
                                             treatmentName: treatment, observedName: observed,
                                             strataName: blocks ?? "blocks", level: output.level,
                                             clusters: try cluster.read(reader), clusterVariance: cluster.variance)
        }
        switch output.format {
        case .json:
            let interaction = result.interactionTest.flatMap { test in result.interactionUnits.map { (test, $0) } }
            print(try JSONOutput.text(Document(
                observed: observed, treatment: treatment, units: result.units, treatedUnits: result.treatedUnits,
                controlUnits: result.controlUnits, responseRateTreated: result.responseRateTreated,
                responseRateControl: result.responseRateControl,
                blocks: result.strata == nil ? nil : blocks, strata: blocks == nil ? nil : result.strata,
                treatmentEffect: CoefficientJSON(result.treatmentEffect),
                interactionTest: interaction.map { WaldTestJSON($0.0) }, interactionUnits: interaction?.1,
                droppedForMissingCovariates: interaction == nil ? nil : result.droppedForMissingCovariates,
                variance: result.variance.rawValue.uppercased(), clusters: cluster.clusters, nClusters: result.clusterCount)))
        case .table:
            var pairs: [(String, String)] = [
                ("units", "\(result.units) (\(result.treatedUnits) treated, \(result.controlUnits) control)"),
                ("response rate, treated", formatNumber(result.responseRateTreated)),
                ("response rate, control", formatNumber(result.responseRateControl)),
                ("difference (\(cluster.wording(clusterCount: result.clusterCount)))", result.treatmentEffect.sentence),
            ]
            if let blocks, let s = result.strata { pairs.append(("blocks", "\(blocks): \(s) strata as fixed effects")) }
            if let test = result.interactionTest, let used = result.interactionUnits {
                pairs.append(("interactions", result.interactionTerms.joined(separator: ", ")))
                pairs.append(("joint test (\(result.variance.rawValue.uppercased()))", test.sentence))
                pairs.append(("rows used", "\(used)" + (result.droppedForMissingCovariates > 0 ? " (\(result.droppedForMissingCovariates) left out for a missing covariate)" : "")))
            }
            print("Differential attrition: \(observed) (1 = observed) by \(treatment)")
            print(keyValueLines(pairs).joined(separator: "\n"))
        }
    }
}
