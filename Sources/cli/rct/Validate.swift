import ArgumentParser
import Workflow

/// `rct validate DESIGN`: loads a design and reports every problem with its line and key path.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a trial design file and report every problem with its line and key.",
        discussion: "Exits with status 0 when the design is valid and 1 when it is not; the problems go to standard error.")

    @Argument(help: "The design file, e.g. designs/mission-kortrijk.yaml.")
    var design: String

    func run() throws {
        try reportingFailures {
            let d = try DesignFile.load(design).design
            print("\(design): valid design \"\(d.trial.id)\": \(d.arms.count) arms, \(d.waves.count) waves, "
                + "\(d.sources.count) sources, \(d.outcomes.count) outcomes (\(d.outcomes.filter(\.primary).count) primary)")
        }
    }
}
