import ArgumentParser
import Workflow

/// `rct explain DESIGN FAMILY OUTCOME [--wave W]`: why one family's cell holds what it holds.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain one cell of the panel: the family's records, what the window, filter and rule made of each, the value.",
        discussion: """
            Derives the panel from the store as rct panel does (nothing is imported) and prints, for the family \
            and the outcome at each wave it is measured (or at --wave), the window's days, every record of the \
            outcome's source for the family with whether the filter kept it and how its days stand to the window, \
            the rows set aside at import (voided by status, superseded by a correction), or for a survey outcome \
            the interview and the answers, and the cell's value and status. Nothing that could be a national \
            number is printed. See docs/panel.md.
            """)

    @OptionGroup var trial: TrialOptions
    @Argument(help: "The family's study code (the panel's first column).") var family: String
    @Argument(help: "The outcome's id.") var outcome: String
    @Option(help: "Only this wave (default: every wave the outcome is measured at).") var wave: String?

    func run() throws {
        try reportingFailures {
            let file = try trial.loadDesign("explain")
            let store = try TrialStoreAccess.open(file, store: trial.store)
            let explanations = try CellExplain.run(file, store: store, family: family, outcome: outcome, wave: wave)
            for (i, e) in explanations.enumerated() {
                if i > 0 { print("") }
                CellExplain.lines(e).forEach { print($0) }
            }
        }
    }
}
