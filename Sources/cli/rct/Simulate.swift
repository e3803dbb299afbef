import ArgumentParser
import Foundation
import Simulation
import TrialDesign

/// `rct simulate DESIGN --seed S --out DIR [--families N]`: writes a complete raw data set for a design.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a simulated raw data set (cohort, surveys, registry extracts) for a design, with planted effects.",
        discussion: """
            Files are written in exactly the names and dialects the design's sources declare, plus \
            assignment_planted.csv (the simulator's own 1:1 permuted-block assignment) and truth.json (the \
            planted effects, planted extract errors and the seed). National numbers are synthetic: they use \
            the never-issued sequence numbers 000 and 999. The same design, seed and --families give the \
            same files.
            """)

    @Argument(help: "The design file, e.g. designs/mission-kortrijk.yaml.")
    var design: String

    @Option(help: "Seed of the generator (mt19937).")
    var seed: UInt64

    @Option(help: "The folder to write into (created when missing).")
    var out: String

    @Option(help: "Number of screened families (about 70% are eligible).")
    var families: Int = Simulator.defaultFamilies

    func validate() throws {
        guard families >= 4 && families <= 100_000 else {
            throw ValidationError("Please give --families between 4 and 100000 (found \(families)).")
        }
    }

    func run() throws {
        let d: Design
        do { d = try Design.load(path: design) } catch let error as DesignError {
            printError(error.description)
            throw ExitCode(1)
        }
        let truth: Truth
        do {
            truth = try Simulator.run(design: d, seed: seed, families: families, outputDirectory: out)
        } catch let error as SimulationError {
            printError("rct simulate: \(error.description)")
            throw ExitCode(1)
        } catch {
            printError("rct simulate: cannot write the data set into \(out) (\(error.localizedDescription)); check that the folder can be created and written")
            throw ExitCode(1)
        }
        let arms = truth.randomised.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("simulated \(truth.design) (generator \(truth.generator), seed \(truth.seed)) into \(out)")
        print("  \(truth.familiesScreened) families screened, \(truth.eligible) eligible, randomised: \(arms)")
        for (file, n) in truth.rows.sorted(by: { $0.key < $1.key }) {
            let c = truth.corrections[file].map { ", \($0) of them corrections" } ?? ""
            print("  \(file): \(n) rows\(c)")
        }
        print("  planted errors: " + truth.plantedErrors.map { "\($0.file):\($0.line) \($0.reason)" }.joined(separator: "; "))
        print("  planted effects and seed: \((out as NSString).appendingPathComponent("truth.json"))")
    }
}
