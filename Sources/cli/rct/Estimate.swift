import Analysis
import ArgumentParser
import Estimation
import Foundation
import Tabular
import TrialDesign
import Workflow

/// `--estimator` parses `Estimation`'s own estimator type; help lists its cases.
extension EstimationSpec.Estimator: ExpressibleByArgument {}

/// `rct estimate`: effect estimates from a CSV file with the estimators of the `Estimation` module.
struct Estimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate treatment effects (\(EstimationSpec.Estimator.allCases.map(\.title).joined(separator: ", "))) from a CSV file or a trial's panel.",
        discussion: """
        With a design (rct estimate DESIGN [--analysis NAME]): derives the trial's panel as rct panel does and \
        estimates the effect of assignment on every outcome at every wave under the design's primary analysis, \
        or under the sensitivity analysis NAME (analysis.sensitivity); one row per outcome × wave.

        Reads --data (comma-separated, header line, empty cell = missing) and estimates the effect of \
        --treatment on every --outcome, each with listwise deletion over the columns it uses. Terms: \
        (Intercept); a 0/1 or numeric treatment under its column name; a categorical treatment as \
        COLUMN=LEVEL per non-control level; covariates under their names; Lin's centred covariates as \
        NAME_c and interactions TREATMENT:NAME_c. Standard errors default to hc2, or cr2 with \
        --clusters, as in R's estimatr; 'stata' is a synonym of cr1 (hc1 without --clusters). With --estimator iv, \
        --endogenous and --instrument replace --treatment.
        Results go to standard output; warnings (rows dropped, defaults chosen) to standard error \
        (inside the document with --format json). Exit status 1 on bad input, with a message naming \
        the column or block.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @OptionGroup var trial: TrialOptions

    @Option(help: "With a design: the analysis to estimate, primary (the default) or a sensitivity analysis's id.")
    var analysis: String?

    @Option(help: "The data file (a header line; comma-separated unless --separator says otherwise), e.g. the panel's panel_wide.csv with --where wave=m6.")
    var data: String?

    @OptionGroup var input: DataFileOptions

    @Option(help: "Outcome column(s), separated by commas.")
    var outcome: String?

    @Option(help: "Treatment (assignment) column.")
    var treatment: String?

    @Option(help: "Control level of a categorical treatment (default: 0 for a 0/1 treatment).")
    var control: String?

    @Option(help: ArgumentHelp("Estimator: " + EstimationSpec.Estimator.allCases.map { "\($0.rawValue) (\($0.title))" }.joined(separator: ", ") + "."))
    var estimator: EstimationSpec.Estimator = .ols

    @Option(help: "Covariate column(s), separated by commas.")
    var covariates: String?

    @Option(name: .customLong("fixed-effects"), help: "Stratum column absorbed as fixed effects (ols, lin, iv).")
    var fixedEffects: String?

    @Option(help: "Randomisation block column (dim).")
    var blocks: String?

    @Option(help: "Cluster column (unit of assignment).")
    var clusters: String?

    @Option(help: "Weights column (positive numbers).")
    var weights: String?

    @Option(help: "Endogenous regressor column(s) for --estimator iv, separated by commas.")
    var endogenous: String?

    @Option(help: "Instrument column(s) for --estimator iv, separated by commas.")
    var instrument: String?

    @Option(name: .customLong("se"), help: ArgumentHelp("Standard errors: " + VarianceType.allCases.map { $0 == .cr1 ? "cr1 (stata)" : $0.rawValue }.joined(separator: ", ") + "."))
    var se: String?

    @Option(help: "Confidence level of the intervals.")
    var level: Double = 0.95

    @Option(help: "Output format: table, csv or json.")
    var format: Format = .table

    func validate() throws {
        if trial.designPath != nil || analysis != nil {
            guard data == nil && outcome == nil else {
                throw ValidationError("Give either a design (rct estimate DESIGN [--analysis NAME]) or --data with --outcome, not both")
            }
            guard trial.designPath != nil else { throw ValidationError("--analysis names an analysis of a design: rct estimate DESIGN --analysis NAME") }
            return
        }
        guard data != nil else { throw ValidationError("Give a design (rct estimate DESIGN) or a CSV file with --data FILE --outcome COLUMN") }
        guard outcome != nil else { throw ValidationError("Missing expected argument '--outcome <outcome>'") }
        if let se, VarianceType(name: se) == nil {
            throw ValidationError("--se \"\(se)\" is not a variance estimator; choose one of \(VarianceType.names.joined(separator: ", "))")
        }
        guard level > 0, level < 1 else {
            throw ValidationError("--level must be strictly between 0 and 1 (e.g. 0.95), got \(level)")
        }
    }

    static func list(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() throws {
        if trial.designPath != nil { return try runDesign() }
        let data = self.data!, outcome = self.outcome!
        let table = try input.read(data, command: "estimate")
        // `stata` without clusters is Stata's `, robust`, i.e. HC1 (estimatr does the same).
        let chosenVariance = se.flatMap { name in
            name.lowercased() == "stata" && clusters == nil ? VarianceType.hc1 : VarianceType(name: name)
        }
        let spec = EstimationSpec(
            estimator: estimator, outcomes: Self.list(outcome), treatment: treatment, control: control,
            covariates: Self.list(covariates), fixedEffects: fixedEffects, blocks: blocks, clusters: clusters,
            weights: weights, endogenous: Self.list(endogenous), instruments: Self.list(instrument),
            variance: chosenVariance, level: level)
        let result: EstimationResult
        do {
            let columns = table.header.enumerated().map { j, name in
                (name: name, values: table.rows.map { row -> String? in j < row.count ? row[j] : nil })
            }
            let estimationData = try EstimationData(columns: columns, lines: table.lines, source: data)
            result = try Estimation.estimate(spec, data: estimationData)
        } catch let error as EstimationError {
            printError("rct estimate: error: \(data): \(error.describe(.commandLine))")
            throw ExitCode(1)
        }
        switch format {
        case .table:
            print(EstimateOutput.table(result), terminator: "")
            for note in result.notes { printError("warning: \(note.describe(.commandLine))") }
        case .csv:
            print(EstimateOutput.csv(result), terminator: "")
            for note in result.notes { printError("warning: \(note.describe(.commandLine))") }
            for f in result.firstStages { printError("note: \(EstimateOutput.firstStageSentence(f))") }
        case .json:
            print(try EstimateOutput.json(result, includeFirstStage: estimator == .iv))
        }
    }
}

extension Estimate {
    /// `rct estimate DESIGN [--analysis NAME]`: every outcome × wave of the trial's panel under one of the
    /// design's specifications.
    func runDesign() throws {
        try reportingFailures {
            let file = try trial.loadDesign("estimate")
            let name = analysis ?? AnalysisSpecification.primaryID
            guard let spec = file.design.analysis.specification(named: name) else {
                let names = file.design.analysis.specifications.map(\.id)
                throw WorkflowError.unknownAnalysis(name: name, design: file.path, declared: names)
            }
            let store = try TrialStoreAccess.open(file, store: trial.store)
            let step = try PanelStep.run(file, store: store, progress: { printError($0) }, warning: { printError("warning: \($0)") })
            let estimates: SpecificationEstimates
            do {
                estimates = try SpecificationEstimates.run(design: file.design, panel: step.panel, specification: spec)
            } catch let error as AnalysisError {
                throw WorkflowError.report(error.description)
            }
            let result = EstimationResult(rows: estimates.rows.map(\.estimate), notes: [])
            let waves = estimates.rows.map(\.wave)
            switch format {
            case .table: print(EstimateOutput.table(result, waves: waves), terminator: "")
            case .csv: print(EstimateOutput.csv(result, waves: waves), terminator: "")
            case .json:
                print(try EstimateOutput.json(result, includeFirstStage: false, waves: waves,
                                              warnings: estimates.warnings + estimates.unestimable))
                return
            }
            for w in estimates.warnings + estimates.unestimable { printError("warning: \(w)") }
        }
    }
}

/// The three renderings of an `EstimationResult`.
enum EstimateOutput {
    static let columns = ["outcome", "term", "estimate", "std_error", "statistic", "df", "p_value",
                          "conf_low", "conf_high", "n_obs"]

    /// Whether the rows rest on clusters (`--clusters`, or a clustered design): the tables then end with
    /// `n_clusters`, as effects.csv does.
    static func clustered(_ result: EstimationResult) -> Bool { result.rows.contains { $0.nClusters != nil } }

    static func header(_ result: EstimationResult, waves: [String]?) -> [String] {
        (waves == nil ? columns : [columns[0], "wave"] + columns.dropFirst()) + (clustered(result) ? ["n_clusters"] : [])
    }

    /// `n_obs`, and `n_clusters` when clustered (empty for a row without).
    static func counts(_ r: EstimateRow, clustered: Bool) -> [String] {
        [String(r.nObs)] + (clustered ? [r.nClusters.map(String.init) ?? ""] : [])
    }

    static func numbers(_ r: EstimateRow) -> [Double] {
        [r.estimate, r.stdError, r.statistic, r.df, r.pValue, r.confLow, r.confHigh]
    }

    /// Shortest text that reads back to the same double; NaN as `NA`.
    static func exact(_ x: Double) -> String { x.isNaN ? "NA" : "\(x)" }

    /// `waves` (one per row) adds a `wave` column after `outcome`: the rows of a design's panel.
    static func csv(_ result: EstimationResult, waves: [String]? = nil) -> String {
        let clustered = clustered(result)
        return CSVWriter.comma.text([header(result, waves: waves)] + result.rows.enumerated().map { i, r in
            [r.outcome] + (waves.map { [$0[i]] } ?? []) + [r.term] + numbers(r).map(exact) + counts(r, clustered: clustered)
        })
    }

    /// The JSON document: `estimates` (the tidy rows), `warnings` (the notes, in the command line's words)
    /// and, for `iv`, `first_stage`.
    struct Document: Encodable {
        struct Row: Encodable {
            var outcome: String
            var wave: String?
            var term: String
            @JSONNumber var estimate: Double?
            @JSONNumber var stdError: Double?
            @JSONNumber var statistic: Double?
            @JSONNumber var df: Double?
            @JSONNumber var pValue: Double?
            @JSONNumber var confLow: Double?
            @JSONNumber var confHigh: Double?
            var nObs: Int
            /// The clusters the row rests on (left out when unclustered).
            var nClusters: Int?
        }

        struct Stage: Encodable {
            var outcome, endogenous: String
            @JSONNumber var fStatistic: Double?
            @JSONNumber var numeratorDF: Double?
            @JSONNumber var denominatorDF: Double?
            @JSONNumber var pValue: Double?
        }

        var estimates: [Row]
        var warnings: [String]
        var firstStage: [Stage]?
    }

    static func json(_ result: EstimationResult, includeFirstStage: Bool, waves: [String]? = nil, warnings: [String]? = nil) throws -> String {
        try JSONOutput.text(Document(
            estimates: result.rows.enumerated().map { i, r in
                Document.Row(outcome: r.outcome, wave: waves?[i], term: r.term, estimate: r.estimate, stdError: r.stdError, statistic: r.statistic,
                             df: r.df, pValue: r.pValue, confLow: r.confLow, confHigh: r.confHigh, nObs: r.nObs,
                             nClusters: r.nClusters)
            },
            warnings: warnings ?? result.notes.map { $0.describe(.commandLine) },
            firstStage: includeFirstStage ? result.firstStages.map { f in
                Document.Stage(outcome: f.outcome, endogenous: f.endogenous, fStatistic: f.fStatistic, numeratorDF: f.numeratorDF,
                               denominatorDF: f.denominatorDF, pValue: f.pValue)
            } : nil))
    }

    static func short(_ x: Double) -> String { x.isNaN ? "NA" : String(format: "%.6g", x) }

    static func firstStageSentence(_ f: FirstStage) -> String {
        "first stage of \"\(f.endogenous)\" (outcome \"\(f.outcome)\"): F = \(short(f.fStatistic)) on \(short(f.numeratorDF)) and \(short(f.denominatorDF)) df, p = \(short(f.pValue))"
    }

    static func table(_ result: EstimationResult, waves: [String]? = nil) -> String {
        let header = header(result, waves: waves), clustered = clustered(result)
        let body = result.rows.enumerated().map { i, r in
            [r.outcome] + (waves.map { [$0[i]] } ?? []) + [r.term] + numbers(r).map(short) + counts(r, clustered: clustered)
        }
        let all = [header] + body
        let widths = header.indices.map { j in all.map { $0[j].count }.max() ?? 0 }
        let textColumns = waves == nil ? 2 : 3
        var out = ""
        for line in all {
            let cells = line.enumerated().map { j, cell -> String in
                let pad = String(repeating: " ", count: widths[j] - cell.count)
                return j < textColumns ? cell + pad : pad + cell
            }
            out += cells.joined(separator: "  ") + "\n"
        }
        if !result.firstStages.isEmpty {
            out += "\n"
            for f in result.firstStages { out += firstStageSentence(f) + "\n" }
        }
        return out
    }
}
