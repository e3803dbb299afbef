import ArgumentParser
import Inference


/// `rct adjust`: adjusted p-values (or q-values) for a family of hypotheses, in input order.
struct Adjust: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Adjust p-values for multiple testing (Holm, Bonferroni, BH, BY, sharpened q-values).",
        discussion: """
            holm, bonferroni, bh and by follow R's p.adjust; sharpened_q gives Benjamini–Krieger–Yekutieli \
            (2006) sharpened q-values as computed by Anderson's (2008) Stata code (on a 0.001 grid). \
            Values are printed in the order given.
            """)

    @Option(help: "The method: holm, bonferroni, bh, by or sharpened_q.")
    var method: MultipleTesting.Method

    @Option(name: .customLong("p"), help: "The p-values, separated by commas, e.g. --p 0.01,0.04,0.2.")
    var pValues: String

    @Option(help: "Output format: table or json (a JSON array of adjusted values).")
    var format: OutputFormat = .table

    func run() throws {
        let p = try parseNumberList(pValues, option: "--p")
        let adjusted: [Double]
        do {
            adjusted = try MultipleTesting.adjust(p, method: method)
        } catch let error as InferenceError {
            printError("error: --p: \(error.description)")
            throw ExitCode(1)
        }
        switch format {
        case .json:
            // An array of numbers on one line, as it always was: the numbers through the shared encoder.
            print("[" + (try adjusted.map(JSONOutput.number)).joined(separator: ", ") + "]")
        case .table:
            print("p\tadjusted (\(method.rawValue))")
            for (raw, a) in zip(p, adjusted) { print("\(formatNumber(raw))\t\(formatNumber(a))") }
        }
    }
}
