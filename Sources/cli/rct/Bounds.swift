import ArgumentParser
import Inference

/// `rct bounds`: Lee (2009) bounds on the effect among units observed in either arm.
struct BoundsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounds",
        abstract: "Lee (2009) trimming bounds on the treatment effect under monotone attrition.",
        discussion: """
            Reads --data (CSV, header line; one row per randomised unit, including those never \
            observed). --treatment: 1 = treated, 0 = control, on every row. A unit's outcome is \
            observed when its --outcome cell is not empty, or, with --observed R, when R is 1 (R must \
            then be 0 or 1 on every row; an empty outcome with R = 1 is an error). The arm with the \
            larger observed share is trimmed; prints the lower and upper bound, their standard errors \
            (Lee's Proposition 3) and the Imbens–Manski confidence interval. Lee bounds have no clustered \
            version: with --clusters the bounds are computed over units as without, and the output says \
            so (their standard errors treat units as independent). See docs/inference.md.
            """)

    @Option(help: "The data file (a header line; comma-separated unless --separator says otherwise), e.g. the panel's panel_wide.csv with --where wave=m6.")
    var data: String

    @OptionGroup var input: DataFileOptions

    @Option(help: "Outcome column (empty cell = not observed unless --observed is given).")
    var outcome: String

    @Option(help: "Treatment column: 1 = treated, 0 = control, or arm ids (the panel's arm column) with --control.")
    var treatment: String

    @Option(help: "With arm ids in --treatment (the panel\'s arm column): the control arm\'s id.")
    var control: String?

    @Option(help: "Response column: 1 = outcome observed, 0 = not observed.")
    var observed: String?

    @Option(help: "Cluster column: Lee bounds have no clustered version, so the bounds are computed over units and the output says so.")
    var clusters: String?

    @OptionGroup var output: LevelAndFormatOptions

    /// What --clusters changes: nothing, said.
    var clusterNote: String? {
        clusters.map { "Lee (2009) bounds have no clustered version: computed over units, not clusters of \($0); their standard errors and interval treat units as independent and are too narrow when outcomes are correlated within clusters" }
    }

    /// The JSON document.
    struct Document: Encodable {
        var outcome, treatment: String
        @JSONNumber var lower: Double?
        @JSONNumber var upper: Double?
        @JSONNumber var lowerStdError: Double?
        @JSONNumber var upperStdError: Double?
        @JSONNumber var confLow: Double?
        @JSONNumber var confHigh: Double?
        @JSONNumber var level: Double?
        @JSONNumber var criticalValue: Double?
        var trimmedArm: String
        @JSONNumber var trimmingProportion: Double?
        @JSONNumber var observedShareTreated: Double?
        @JSONNumber var observedShareControl: Double?
        var clusters: String?
        var note: String?
    }

    func run() throws {
        let table = try input.read(data, command: "bounds")
        let bounds = try reportingErrors(command: "bounds", path: data) { () throws -> LeeBounds in
            let reader = ColumnReader(table: table, path: data)
            let z = try reader.treatment(treatment, option: "--treatment", control: control)
            // With --observed, the outcome cells of unobserved rows are not read at all (they may hold
            // placeholders such as "." or 99).
            let r = try observed.map { try reader.indicator($0, option: "--observed", role: "response", meaning: "1 (observed) or 0 (not observed)") }
            let y = try reader.numbers(outcome, option: "--outcome", role: "outcome", only: r)
            if let observed, let r {
                for i in y.indices where r[i] && y[i] == nil {
                    throw ColumnReader.Failure(message: "line \(table.lines[i]), column \"\(outcome)\" (outcome): the cell is empty but column \"\(observed)\" says it was observed (1); fill in the outcome or set \"\(observed)\" to 0")
                }
            }
            if let clusters { _ = try reader.requiredLabels(clusters, option: "--clusters", role: "cluster") }
            let treated = y.indices.filter { z[$0] }.map { y[$0] }
            let control = y.indices.filter { !z[$0] }.map { y[$0] }
            return try LeeBounds(treated: treated, control: control, level: output.level)
        }
        switch output.format {
        case .json:
            print(try JSONOutput.text(Document(
                outcome: outcome, treatment: treatment, lower: bounds.lower, upper: bounds.upper,
                lowerStdError: bounds.lowerStandardError, upperStdError: bounds.upperStandardError,
                confLow: bounds.confidenceInterval.lower, confHigh: bounds.confidenceInterval.upper,
                level: bounds.confidenceLevel, criticalValue: bounds.criticalValue, trimmedArm: bounds.trimmedArm.rawValue,
                trimmingProportion: bounds.trimmingProportion, observedShareTreated: bounds.observedShareTreated,
                observedShareControl: bounds.observedShareControl, clusters: clusters, note: clusterNote)))
        case .table:
            print("Lee (2009) bounds: \(outcome) by \(treatment), monotone attrition")
            print(keyValueLines([
                ("observed share", "treated \(formatNumber(bounds.observedShareTreated)), control \(formatNumber(bounds.observedShareControl))"),
                ("trimmed", "\(bounds.trimmedArm.rawValue) arm, proportion \(formatNumber(bounds.trimmingProportion)) of its observed units"),
                ("lower bound", "\(formatNumber(bounds.lower)) (SE \(formatNumber(bounds.lowerStandardError)))"),
                ("upper bound", "\(formatNumber(bounds.upper)) (SE \(formatNumber(bounds.upperStandardError)))"),
                ("\(formatNumber(bounds.confidenceLevel * 100))% CI (Imbens-Manski)",
                 "[\(formatNumber(bounds.confidenceInterval.lower)), \(formatNumber(bounds.confidenceInterval.upper))] (c = \(formatNumber(bounds.criticalValue)))"),
            ]).joined(separator: "\n"))
            if let clusterNote { print("note: \(clusterNote)") }
        }
    }
}
