import ArgumentParser
import Inference

/// Design options shared by `rct power` and `rct mde`.
struct PowerDesignOptions: ParsableArguments {
    @Option(help: "The outcome's standard deviation.")
    var sd: Double = 1

    @Option(help: "The two-sided significance level.")
    var alpha: Double = 0.05

    @Option(help: "Blocked design: the number of blocks (equal sizes, split equally).")
    var blocks: Int?

    @Option(name: .customLong("block-r2"), help: "Blocked design: the share of the outcome's variance explained by the blocks (0 to <1).")
    var blockR2: Double?

    @Option(help: "Clustered design: the intra-cluster correlation (0 to <1).")
    var icc: Double?

    @Option(name: .customLong("cluster-size"), help: "Clustered design: the number of units per cluster.")
    var clusterSize: Double?

    @Flag(help: "Also count rejections in the wrong direction (R power.t.test strict = TRUE; pwr.t.test).")
    var strict = false

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if (icc == nil) != (clusterSize == nil) {
            throw ValidationError("a clustered design needs both --icc and --cluster-size")
        }
        if blockR2 != nil && blocks == nil {
            throw ValidationError("--block-r2 describes a blocked design: give --blocks too")
        }
        if icc != nil && blocks != nil {
            throw ValidationError("choose one design: blocked (--blocks) or clustered (--icc, --cluster-size), not both")
        }
    }

    var setting: PowerAnalysis.Setting {
        var design = PowerAnalysis.Design.twoArm
        if let icc, let clusterSize { design = .clustered(clusterSize: clusterSize, icc: icc) }
        if let blocks { design = .blocked(blocks: blocks, rSquared: blockR2 ?? 0) }
        return PowerAnalysis.Setting(sd: sd, alpha: alpha, design: design, strict: strict)
    }

    var designName: String {
        switch setting.design {
        case .twoArm: return "two-arm"
        case .blocked: return "blocked"
        case .clustered: return "clustered"
        }
    }

    /// Lines describing the design, for tables.
    func designLines() -> [String] {
        var lines = ["design          \(designName), two-sided α = \(formatNumber(alpha)), SD = \(formatNumber(sd))"]
        switch setting.design {
        case .twoArm: break
        case let .blocked(b, r2): lines.append("blocks          \(b), share of variance explained \(formatNumber(r2))")
        case let .clustered(m, icc):
            lines.append("clusters        \(formatNumber(m)) units each, ICC \(formatNumber(icc)), design effect \(formatNumber(setting.designEffect))")
        }
        return lines
    }

    /// The JSON document with the design's part filled in.
    var document: PowerDocument {
        var j = PowerDocument(design: designName, sd: sd, alpha: alpha, strict: strict)
        switch setting.design {
        case .twoArm: break
        case let .blocked(b, r2): j.blocks = b; j.blockR2 = r2
        case let .clustered(m, icc): j.clusterSize = m; j.icc = icc; j.designEffect = setting.designEffect
        }
        return j
    }
}

/// The JSON document of `rct power` and `rct mde`: the design (`design, sd, alpha, strict`, with
/// `blocks, block_r2` or `cluster_size, icc, design_effect`), then what the command computed; absent
/// fields are left out.
struct PowerDocument: Encodable {
    struct Simulation: Encodable {
        var simulations: Int
        var seed: UInt64
        var generator: String
        @JSONNumber var bias: Double?
        @JSONNumber var rmse: Double?
        @JSONNumber var power: Double?
        @JSONNumber var powerMCStandardError: Double?
        @JSONNumber var coverage: Double?
        @JSONNumber var meanStandardError: Double?
        @JSONNumber var sdEstimate: Double?
    }

    var design: String
    @JSONNumber var sd: Double?
    @JSONNumber var alpha: Double?
    var strict: Bool
    var blocks: Int? = nil
    @JSONNumber var blockR2: Double? = nil
    @JSONNumber var clusterSize: Double? = nil
    @JSONNumber var icc: Double? = nil
    @JSONNumber var designEffect: Double? = nil
    @JSONNumber var effect: Double? = nil
    @JSONNumber var nPerArm: Double? = nil
    @JSONNumber var clustersPerArm: Double? = nil
    @JSONNumber var standardError: Double? = nil
    @JSONNumber var df: Double? = nil
    @JSONNumber var power: Double? = nil
    @JSONNumber var mde: Double? = nil
    @JSONNumber var mdeInSD: Double? = nil
    var simulation: Simulation? = nil
}

/// `rct power`: the power of a two-arm design, or the units per arm needed for a target power.
struct PowerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Power of a two-arm trial (or, with --power, the units per arm it needs).",
        discussion: """
            Two-sided t-test of the difference in means with equal arms (R power.t.test). Give --n-per-arm to \
            get the power, or --power to get the units per arm. Blocked designs: --blocks J [--block-r2 R2]. \
            Clustered designs: --icc RHO --cluster-size M (design effect 1 + (M - 1) RHO, df = clusters - 2). \
            With --simulate S --seed N (two-arm only), the design is also diagnosed by simulating S trials \
            (bias, RMSE, power, coverage of the Welch difference in means).
            """)

    @Option(help: "The effect to detect, in outcome units.")
    var effect: Double

    @Option(name: [.customLong("n-per-arm"), .customLong("n")], help: "Units per arm.")
    var nPerArm: Double?

    @Option(help: "The target power (to solve for the units per arm).")
    var power: Double?

    @Option(help: "Also simulate this many trials to diagnose the design (two-arm designs).")
    var simulate: Int?

    @Option(help: "The seed of the mt19937 generator for --simulate.")
    var seed: UInt64?

    @OptionGroup var options: PowerDesignOptions

    func validate() throws {
        if (nPerArm == nil) == (power == nil) {
            throw ValidationError("give exactly one of --n-per-arm (to compute the power) and --power (to compute the units per arm)")
        }
        if simulate != nil {
            guard seed != nil else { throw ValidationError("--simulate draws random trials: give --seed S too") }
            guard nPerArm != nil else { throw ValidationError("--simulate needs --n-per-arm") }
            guard options.designName == "two-arm" else { throw ValidationError("--simulate diagnoses two-arm designs only") }
        }
    }

    func run() throws {
        do {
            let setting = options.setting
            if let nPerArm {
                let p = try PowerAnalysis.power(effect: effect, perArm: nPerArm, setting: setting)
                var diagnosis: DesignDiagnosis.Result?
                if let simulate, let seed {
                    guard nPerArm == nPerArm.rounded() else {
                        printError("error: --simulate needs a whole number of units per arm, got \(formatNumber(nPerArm))")
                        throw ExitCode(1)
                    }
                    diagnosis = try DesignDiagnosis.diagnose(effect: effect, perArm: Int(nPerArm), sdControl: options.sd,
                                                             alpha: options.alpha, simulations: simulate, seed: seed)
                }
                let (se, df) = try setting.standardErrorAndDF(perArm: nPerArm)
                switch options.format {
                case .json:
                    var j = options.document
                    j.effect = effect
                    j.nPerArm = nPerArm
                    j.standardError = se
                    j.df = df
                    j.power = p
                    j.simulation = diagnosis.map { d in
                        PowerDocument.Simulation(simulations: d.simulations, seed: d.seed, generator: d.generator, bias: d.bias,
                                                 rmse: d.rmse, power: d.power, powerMCStandardError: d.powerStandardError,
                                                 coverage: d.coverage, meanStandardError: d.meanStandardError, sdEstimate: d.sdEstimate)
                    }
                    print(try JSONOutput.text(j))
                case .table:
                    var lines = options.designLines()
                    lines += ["effect          \(formatNumber(effect))",
                              "units per arm   \(formatNumber(nPerArm))",
                              "standard error  \(formatNumber(se)) (df \(formatNumber(df)))",
                              "power           \(formatNumber(p))"]
                    if let d = diagnosis {
                        lines += ["simulated       \(d.simulations) trials (\(d.generator), seed \(d.seed)), Welch difference in means:",
                                  "  bias          \(formatNumber(d.bias))",
                                  "  RMSE          \(formatNumber(d.rmse))",
                                  "  power         \(formatNumber(d.power)) (MC std. error \(formatNumber(d.powerStandardError)))",
                                  "  coverage      \(formatNumber(d.coverage))"]
                    }
                    print(lines.joined(separator: "\n"))
                }
            } else if let power {
                let n = try PowerAnalysis.sampleSize(effect: effect, power: power, setting: setting)
                var clustersPerArm: Double?
                if case let .clustered(m, _) = setting.design { clustersPerArm = n / m }
                switch options.format {
                case .json:
                    var j = options.document
                    j.effect = effect
                    j.power = power
                    j.nPerArm = n
                    j.clustersPerArm = clustersPerArm
                    print(try JSONOutput.text(j))
                case .table:
                    var lines = options.designLines()
                    lines += ["effect          \(formatNumber(effect))",
                              "power           \(formatNumber(power))",
                              "units per arm   \(formatNumber(n)) (round up)"]
                    if let k = clustersPerArm { lines.append("clusters/arm    \(formatNumber(k)) (round up)") }
                    print(lines.joined(separator: "\n"))
                }
            }
        } catch let error as InferenceError {
            printError("error: \(error.description)")
            throw ExitCode(1)
        }
    }
}
