import ArgumentParser
import Robustness

/// `rct dose-response`: the outcome on the dose received among the treated — non-experimental.
struct DoseResponseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dose-response",
        abstract: "Association of the dose received (e.g. case-manager hours) with the outcome among the treated (non-experimental).",
        discussion: """
            Reads --data (CSV, header line). Regresses --outcome on --dose and --covariates among the \
            rows with --treatment 1 (HC2). The dose was not randomised: the slope describes how outcomes \
            differ between treated families who received more or less of the intervention, not what a \
            higher dose would cause. The output is labelled non-experimental. See docs/inference.md.
            """)

    @Option(help: "The data file (a header line; comma-separated unless --separator says otherwise), e.g. the panel's panel_wide.csv with --where wave=m6.")
    var data: String

    @OptionGroup var input: DataFileOptions

    @Option(help: "Outcome column (empty cell = missing).")
    var outcome: String

    @Option(help: "Treatment column: 1 = treated, 0 = control, or arm ids with --control (only treated rows are used).")
    var treatment: String

    @Option(help: "With arm ids in --treatment (the panel\'s arm column): the control arm\'s id.")
    var control: String?

    @Option(help: "Dose column (e.g. case-manager hours; empty cell = missing).")
    var dose: String

    @Option(help: "Baseline covariate column(s), separated by commas.")
    var covariates: String?

    @OptionGroup var output: LevelAndFormatOptions

    /// The JSON document, flagged non-experimental.
    struct Document: Encodable {
        var nonExperimental: Bool
        var label, outcome, dose: String
        var slope: CoefficientJSON
        var covariates: [CoefficientJSON]
        var units, droppedRows: Int
        var variance = "HC2"
    }

    func run() throws {
        let table = try input.read(data, command: "dose-response")
        let result = try reportingErrors(command: "dose-response", path: data) { () throws -> DoseResponse in
            let reader = ColumnReader(table: table, path: data)
            let y = try reader.numbers(outcome, option: "--outcome", role: "outcome")
            let z = try reader.treatment(treatment, option: "--treatment", control: control)
            let d = try reader.numbers(dose, option: "--dose", role: "dose")
            return try DoseResponse(outcome: y, dose: d, treated: z, covariates: try reader.covariates(covariates),
                                    outcomeName: outcome, doseName: dose, treatmentName: treatment, level: output.level)
        }
        switch output.format {
        case .json:
            print(try JSONOutput.text(Document(
                nonExperimental: result.nonExperimental, label: result.label, outcome: outcome, dose: dose,
                slope: CoefficientJSON(result.slope), covariates: result.covariateCoefficients.map(CoefficientJSON.init),
                units: result.units, droppedRows: result.droppedRows)))
        case .table:
            print("NON-EXPERIMENTAL: \(outcome) on \(dose) among the treated (\(treatment) = 1); the dose was not randomised, so this is an association, not an effect")
            var pairs = [("slope (HC2)", result.slope.sentence)]
            for c in result.covariateCoefficients { pairs.append((c.term, c.sentence)) }
            pairs.append(("treated units used", "\(result.units)" + (result.droppedRows > 0 ? " (\(result.droppedRows) left out for a missing value)" : "")))
            print(keyValueLines(pairs).joined(separator: "\n"))
        }
    }
}
