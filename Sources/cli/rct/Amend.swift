import ArgumentParser
import Foundation
import Workflow

/// `rct amend DESIGN --reason "…"`: records a change of the design's locked part in the trial store.
struct Amend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a change of the design's locked part (outcomes, windows, analysis, …) as an amendment.",
        discussion: """
            What the randomisation and the pre-specified analysis rest on is locked at the first assignment \
            (docs/design-format.md, "What is locked"); file paths, dialects and column maps are not. Edit the \
            design, then run rct amend with the reason: the store keeps the amended design, every changed key \
            with its old and new value, who, when, why and whether outcome data had been imported yet, \
            hash-chained; rct verify checks it and the report lists it under "Changes to the pre-specified \
            plan". The arms and their ratio, the strata and the randomisation's method, seed, blocks and \
            clusters cannot be amended after the first assignment.
            """)

    @OptionGroup var trial: TrialOptions

    @Option(help: "Why the plan changed, in a sentence; it is reported.")
    var reason: String

    @Option(name: .customLong("by"), help: "Who changed it (default: the user name of this session).")
    var author: String?

    func run() throws {
        try reportingFailures {
            let file = try trial.loadDesign("amend")
            let (a, path) = try DesignAmendment.amend(file, store: trial.store, reason: reason, author: author)
            print("\(path): amendment \(a.seq) recorded (\(a.changes.count) key\(a.changes.count == 1 ? "" : "s") changed, "
                + "after \(a.assignments) assignment\(a.assignments == 1 ? "" : "s"), "
                + (a.outcomeData ? "after outcome data were imported" : "before any outcome data were imported") + "):")
            for c in a.changes { print("  \(c.summary)") }
            print("reason: \(a.reason) (by \(a.author), \(a.recordedAt))")
        }
    }
}
