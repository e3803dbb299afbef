import ArgumentParser
import Workflow

/// `rct validate DESIGN`: loads a design and reports every problem with its line and key path.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a trial design file and report every problem with its line and key.",
        discussion: """
            Also opens every source's file as an import would: that it exists, looks like its declared dialect \
            (encoding, separator) and has the columns the design maps; and that the pseudonymisation key is there \
            when a source holds national numbers. --no-files checks the design alone (before the data exist). \
            Exits with status 0 when the design (and its files) can be used and 1 when not; the problems go to \
            standard error.
            """)

    @Argument(help: "The design file, e.g. designs/mission-kortrijk.yaml.")
    var design: String

    @Flag(name: .customLong("no-files"), help: "Check the design only, not the files it names.")
    var noFiles = false

    func run() throws {
        try reportingFailures {
            let file = try DesignFile.load(design)
            let d = file.design
            print("\(design): valid design \"\(d.trial.id)\": \(d.arms.count) arms, \(d.waves.count) waves, "
                + "\(d.sources.count) sources, \(d.outcomes.count) outcomes (\(d.outcomes.filter(\.primary).count) primary)")
            if noFiles { return }
            try InputCheck.require(file)
            print("\(design): the files of all \(d.sources.count) sources exist, fit their dialects and have the mapped columns")
        }
    }
}
