import ArgumentParser
import Inference

/// `rct mde`: the minimum detectable effect of a two-arm design.
struct MDECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mde",
        abstract: "Minimum detectable effect of a two-arm trial for a target power.",
        discussion: """
            The smallest effect (in outcome units) that a two-sided t-test detects with the given power \
            (R power.t.test(n =, sd =, power =)$delta). Blocked and clustered designs as for `rct power`.
            """)

    @Option(name: [.customLong("n-per-arm"), .customLong("n")], help: "Units per arm.")
    var nPerArm: Double

    @Option(help: "The target power.")
    var power: Double = 0.8

    @OptionGroup var options: PowerDesignOptions

    func run() throws {
        do {
            let setting = options.setting
            let mde = try PowerAnalysis.minimumDetectableEffect(power: power, perArm: nPerArm, setting: setting)
            let (se, df) = try setting.standardErrorAndDF(perArm: nPerArm)
            switch options.format {
            case .json:
                var j = options.document
                j.nPerArm = nPerArm
                j.power = power
                j.standardError = se
                j.df = df
                j.mde = mde
                j.mdeInSD = mde / options.sd
                print(try JSONOutput.text(j))
            case .table:
                var lines = options.designLines()
                lines += ["units per arm   \(formatNumber(nPerArm))",
                          "power           \(formatNumber(power))",
                          "standard error  \(formatNumber(se)) (df \(formatNumber(df)))",
                          "MDE             \(formatNumber(mde)) (\(formatNumber(mde / options.sd)) SD)"]
                print(lines.joined(separator: "\n"))
            }
        } catch let error as InferenceError {
            printError("error: \(error.description)")
            throw ExitCode(1)
        }
    }
}
