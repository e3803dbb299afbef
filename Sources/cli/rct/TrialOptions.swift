import ArgumentParser
import Workflow

/// The design and the trial store, as every command that works on a trial takes them: the design as the
/// first argument (`rct COMMAND DESIGN`), the store with `--store` (default: beside the design). The
/// older spelling `--design DESIGN` is still read, with a note.
struct TrialOptions: ParsableArguments {
    @Argument(help: "The design file, e.g. designs/mission-kortrijk.yaml.")
    var design: String?

    @Option(name: .customLong("design"), help: ArgumentHelp("Deprecated spelling of the design argument.", visibility: .hidden))
    var designOption: String?

    @Option(help: "The trial store (default: beside the design, NAME.sqlite).")
    var store: String?

    func validate() throws {
        if let design, let designOption, design != designOption {
            throw ValidationError("Two designs given (\(design) and --design \(designOption)); give the design once, as the first argument.")
        }
    }

    /// The design's path, as given either way; a note on standard error for `--design`.
    var designPath: String? {
        if let design { return design }
        if let designOption {
            printError("note: --design is deprecated; give the design as the first argument (rct … \(designOption) …)")
            return designOption
        }
        return nil
    }

    /// The design's path, or a usage error naming the command.
    func requiredDesignPath(_ command: String) throws -> String {
        guard let path = designPath else {
            throw ValidationError("Give the design file as the first argument: rct \(command) DESIGN.")
        }
        return path
    }

    /// Loads and validates the design.
    func loadDesign(_ command: String) throws -> DesignFile {
        try DesignFile.load(try requiredDesignPath(command))
    }
}
