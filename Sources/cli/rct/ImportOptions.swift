import ArgumentParser
import Foundation
import Workflow

/// How `rct import`, `panel`, `report` and `run` import a source whose file changed.
struct ReplaceOption: ParsableArguments {
    @Flag(help: "Replace the stored import of a source whose file changed (a corrected extract); its rows are kept but no longer read. Without it a changed file stops the command.")
    var replace = false

    /// The import step's options; `RCT_IMPORT_SERIAL` in the environment (any value) prepares rows on
    /// one thread instead of two (same results; for comparison and debugging).
    func importOptions(sources: [String]? = nil, streamFrom: Int = ImportStep.streamingFile) -> ImportStep.Options {
        ImportStep.Options(sources: sources, replace: replace, streamFrom: streamFrom,
                           pipelined: ProcessInfo.processInfo.environment["RCT_IMPORT_SERIAL"] == nil)
    }
}
