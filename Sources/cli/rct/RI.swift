import ArgumentParser
import Foundation
import Inference
import Tabular


/// `rct ri`: randomization inference under the sharp null of no effect, re-drawing the assignment the
/// way the trial drew it (within blocks, whole clusters).
struct RandomizationInferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ri",
        abstract: "Randomization inference: p-values under the sharp null of no effect for any unit.",
        discussion: """
            Assignments are re-drawn with the trial's procedure: complete assignment keeping the observed \
            number treated, within blocks (--blocks) and of whole clusters (--clusters). Without --permutations, \
            every possible assignment is enumerated when there are at most \(RandomizationInference.exactLimit); \
            with --permutations N --seed S, N assignments are drawn (Monte Carlo, mt19937). Two-tailed p counts \
            |T*| >= |T|, upper p counts T* >= T, lower p counts T* <= T (ties within 1.5e-8 relative). \
            R equivalent: ri2::conduct_ri.
            """)

    @Option(help: "The data file (a header line; comma-separated unless --separator says otherwise), one row per unit, e.g. the panel's panel_wide.csv with --where wave=m6.")
    var data: String

    @OptionGroup var input: DataFileOptions

    @Option(help: "The outcome column; several columns separated by commas share the same assignments and also get Westfall–Young and Romano–Wolf step-down p-values.")
    var outcome: String

    var outcomeNames: [String] { outcome.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    @Option(help: "The treatment column: 1 for treated, 0 for control, or arm ids with --control.")
    var treatment: String

    @Option(help: "With arm ids in --treatment (the panel's arm column): the control arm's id.")
    var control: String?

    @Option(help: "The block column (assignment was within blocks).")
    var blocks: String?

    @Option(help: "The cluster column (whole clusters were assigned).")
    var clusters: String?

    @Option(help: "Covariate columns, separated by commas (statistics ols and t only).")
    var covariates: String?

    @Option(help: "The test statistic: dim (difference in means), ipw_dim (inverse-probability weighted), ols (regression coefficient with covariates and block indicators), t (that coefficient over its HC2 standard error).")
    var statistic: RandomizationStatistic = .differenceInMeans

    @Flag(help: "Enumerate every possible assignment (fails when there are more than \(RandomizationInference.exactLimit)).")
    var exact = false

    @Option(help: "Draw this many assignments at random (Monte Carlo); needs --seed.")
    var permutations: Int?

    @Option(help: "The seed of the mt19937 generator for Monte Carlo draws.")
    var seed: UInt64?

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    /// The JSON document of one outcome; `seed`, `generator` and `mc_standard_error` for Monte Carlo draws.
    struct Document: Encodable {
        var outcome, treatment, statistic: String
        @JSONNumber var estimate: Double?
        @JSONNumber var pTwoTailed: Double?
        @JSONNumber var pUpper: Double?
        @JSONNumber var pLower: Double?
        var assignments: Int
        @JSONNumber var possibleAssignments: Double?
        var exact: Bool
        var seed: UInt64?
        var generator: String?
        @JSONNumber var mcStandardError: Double?
        var units, clusters, blocks: Int
    }

    /// The JSON document of several outcomes on the same assignments, with the step-down p-values.
    struct SeveralDocument: Encodable {
        struct Outcome: Encodable {
            var outcome: String
            @JSONNumber var estimate: Double?
            @JSONNumber var pTwoTailed: Double?
            @JSONNumber var pUpper: Double?
            @JSONNumber var pLower: Double?
            @JSONNumber var mcStandardError: Double?
            @JSONNumber var pWestfallYoung: Double?
            @JSONNumber var pRomanoWolf: Double?
        }

        var treatment, statistic: String
        var assignments: Int
        @JSONNumber var possibleAssignments: Double?
        var exact: Bool
        var seed: UInt64?
        var generator: String?
        var outcomes: [Outcome]
    }

    func validate() throws {
        if exact && (permutations != nil || seed != nil) {
            throw ValidationError("--exact enumerates every assignment; leave out --permutations and --seed, or drop --exact")
        }
        if let permutations {
            guard permutations >= 1, permutations <= 100_000_000 else {
                throw ValidationError("--permutations must be between 1 and 100000000 (each draw keeps its statistic in memory), got \(permutations)")
            }
            guard seed != nil else {
                throw ValidationError("--permutations draws assignments at random: give --seed S too, so the result can be reproduced")
            }
        } else if seed != nil {
            throw ValidationError("--seed is used with --permutations N; give both for Monte Carlo draws")
        }
        if Set(outcomeNames).count != outcomeNames.count || outcomeNames.contains("") {
            throw ValidationError("--outcome: name each outcome column once, separated by commas (got \"\(outcome)\")")
        }
        if covariates != nil && !statistic.usesCovariates {
            throw ValidationError("--covariates are used only by --statistic ols or t (got --statistic \(statistic.rawValue))")
        }
    }

    func run() throws {
        let table = try input.read(data, command: "ri")
        func fail(_ message: String) -> ExitCode {
            printError("\(data): error: \(message)")
            return ExitCode(1)
        }
        func columnIndex(_ name: String, _ option: String) throws -> Int {
            guard let j = table.index(of: name) else {
                throw fail("\(option): there is no column \"\(name)\"; the columns are: \(table.header.joined(separator: ", "))")
            }
            return j
        }
        func cell(_ row: Int, _ j: Int) -> String {
            j < table.rows[row].count ? table.rows[row][j].trimmingCharacters(in: .whitespaces) : ""
        }
        func numbers(_ name: String, _ option: String, what: String) throws -> [Double] {
            let j = try columnIndex(name, option)
            return try (0..<table.rowCount).map { r in
                let text = cell(r, j)
                if text.isEmpty || text == "NA" {
                    throw fail("line \(table.lines[r]), column \"\(name)\": the \(what) is missing; randomization inference needs every unit's \(what) (drop the row or fill it in first)")
                }
                guard let v = Double(text), v.isFinite else {
                    throw fail("line \(table.lines[r]), column \"\(name)\": \"\(text)\" is not a number")
                }
                return v
            }
        }
        func labels(_ name: String, _ option: String) throws -> [String] {
            let j = try columnIndex(name, option)
            return try (0..<table.rowCount).map { r in
                let text = cell(r, j)
                if text.isEmpty { throw fail("line \(table.lines[r]), column \"\(name)\": the \(option.dropFirst(2)) label is empty") }
                return text
            }
        }
        guard table.rowCount >= 2 else { throw fail("the file has \(table.rowCount) data rows; randomization inference needs at least two units") }
        let z: [Bool]
        do { z = try ColumnReader(table: table, path: data).treatment(treatment, option: "--treatment", control: control) }
        catch let f as ColumnReader.Failure { throw fail(f.message) }
        let ys = try outcomeNames.map { try numbers($0, "--outcome", what: "outcome") }
        let blockLabels = try blocks.map { try labels($0, "--blocks") }
        let clusterLabels = try clusters.map { try labels($0, "--clusters") }
        let covariateNames = covariates.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        let x = try covariateNames.map { try numbers($0, "--covariates", what: "covariate") }

        do {
            let scheme = try RandomizationScheme(treatment: z, blocks: blockLabels, clusters: clusterLabels)
            let possible = scheme.assignmentCountApproximate
            let method: RandomizationMethod
            if let permutations, let seed {
                method = .monteCarlo(draws: permutations, seed: seed)
            } else {
                guard possible <= Double(RandomizationInference.exactLimit) else {
                    throw fail("the design has \(formatNumber(possible)) possible assignments, more than the "
                        + "\(RandomizationInference.exactLimit) that are enumerated; draw a sample of them with --permutations N --seed S (e.g. --permutations 10000 --seed 1)")
                }
                method = .exact
            }
            let draws: Double = { if case let .monteCarlo(d, _) = method { return Double(d) } else { return possible } }()
            let showProgress = draws * Double(scheme.unitCount) >= 5e7
            let progress: (@Sendable (Int, Int) -> Void)? = showProgress ? reportProgress : nil
            let result = try RandomizationInference.run(scheme: scheme, outcomes: ys, statistic: statistic,
                                                        covariates: x, method: method, progress: progress)
            if ys.count == 1 {
                print(try render(result, scheme: scheme))
            } else {
                print(try renderSeveral(result, scheme: scheme))
            }
        } catch let error as InferenceError {
            throw fail(error.description)
        }
    }

    /// Progress of long runs on standard error.
    @Sendable private func reportProgress(done: Int, total: Int) {
        let percent = Int((100 * Double(done) / Double(total)).rounded())
        printError("rct ri: \(done) of \(total) assignments (\(percent)%)")
    }

    /// Several outcomes: one row (or JSON object) per outcome with the step-down p-values.
    private func renderSeveral(_ result: RandomizationResult, scheme: RandomizationScheme) throws -> String {
        let observed = result.outcomes.map(\.estimate)
        let westfallYoung = try StepDown.westfallYoung(observed: observed, permuted: result.permuted)
        let romanoWolf = try StepDown.romanoWolf(observed: observed, permuted: result.permuted)
        let names = outcomeNames
        switch format {
        case .json:
            let drawn = result.seed.flatMap { seed in result.generator.map { (seed, $0) } }
            return try JSONOutput.text(SeveralDocument(
                treatment: treatment, statistic: statistic.rawValue, assignments: result.assignments,
                possibleAssignments: result.possibleAssignments, exact: result.exact, seed: drawn?.0, generator: drawn?.1,
                outcomes: result.outcomes.enumerated().map { k, o in
                    SeveralDocument.Outcome(outcome: names[k], estimate: o.estimate, pTwoTailed: o.pTwoTailed, pUpper: o.pUpper,
                                            pLower: o.pLower, mcStandardError: o.monteCarloStandardError,
                                            pWestfallYoung: westfallYoung[k], pRomanoWolf: romanoWolf[k])
                }))
        case .table:
            var lines = ["Randomization inference, sharp null of no effect, \(names.count) outcomes by \(treatment) on the same assignments",
                         "statistic \(statistic.rawValue); \(scheme.unitCount) units, \(scheme.clusterCount) clusters, \(scheme.blockCount) block\(scheme.blockCount == 1 ? "" : "s")"]
            if result.exact {
                lines.append("assignments: \(result.assignments) (every possible assignment: exact)")
            } else {
                lines.append("assignments: \(result.assignments) drawn (Monte Carlo, \(result.generator ?? "mt19937"), seed \(result.seed ?? 0))")
            }
            let width = max(7, names.map(\.count).max() ?? 7)
            func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
            lines.append(pad("outcome") + "\testimate\tp\tp (Westfall-Young)\tp (Romano-Wolf)")
            for (k, o) in result.outcomes.enumerated() {
                lines.append(pad(names[k]) + "\t\(formatNumber(o.estimate))\t\(formatNumber(o.pTwoTailed))\t\(formatNumber(westfallYoung[k]))\t\(formatNumber(romanoWolf[k]))")
            }
            return lines.joined(separator: "\n")
        }
    }

    private func render(_ result: RandomizationResult, scheme: RandomizationScheme) throws -> String {
        let o = result.outcomes[0]
        switch format {
        case .json:
            let drawn = result.seed.flatMap { seed in
                result.generator.flatMap { generator in o.monteCarloStandardError.map { (seed, generator, $0) } }
            }
            return try JSONOutput.text(Document(
                outcome: outcome, treatment: treatment, statistic: statistic.rawValue, estimate: o.estimate,
                pTwoTailed: o.pTwoTailed, pUpper: o.pUpper, pLower: o.pLower, assignments: result.assignments,
                possibleAssignments: result.possibleAssignments, exact: result.exact, seed: drawn?.0, generator: drawn?.1,
                mcStandardError: drawn?.2, units: scheme.unitCount, clusters: scheme.clusterCount, blocks: scheme.blockCount))
        case .table:
            let names: [RandomizationStatistic: String] = [
                .differenceInMeans: "difference in means", .inverseProbabilityWeighted: "inverse-probability-weighted difference in means",
                .olsCoefficient: "OLS coefficient", .studentized: "OLS coefficient / HC2 standard error"]
            var lines = ["Randomization inference, sharp null of no effect: \(outcome) by \(treatment)",
                         "statistic       \(names[statistic]!)",
                         "design          \(scheme.unitCount) units, \(scheme.clusterCount) clusters, \(scheme.blockCount) block\(scheme.blockCount == 1 ? "" : "s")",
                         "estimate        \(formatNumber(o.estimate))",
                         "p (two-tailed)  \(formatNumber(o.pTwoTailed))",
                         "p (upper)       \(formatNumber(o.pUpper))",
                         "p (lower)       \(formatNumber(o.pLower))"]
            if result.exact {
                lines.append("assignments     \(result.assignments) (every possible assignment: exact)")
            } else {
                let possible = result.possibleAssignments.isFinite ? formatNumber(result.possibleAssignments) : "more than 10^308"
                lines.append("assignments     \(result.assignments) drawn of \(possible) possible (Monte Carlo, \(result.generator ?? "mt19937"), seed \(result.seed ?? 0))")
                lines.append("MC std. error   \(formatNumber(o.monteCarloStandardError ?? .nan))")
            }
            return lines.joined(separator: "\n")
        }
    }
}
