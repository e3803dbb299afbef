import ArgumentParser
import Basics
import Workflow

/// `rct import-assignment DESIGN`: records an assignment that was randomised elsewhere.
struct ImportAssignment: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-assignment",
        abstract: "Record an assignment made elsewhere (a list drawn by the city, the funder or another tool).",
        discussion: """
            Reads the design's source of kind `assignment` (or --file, read in that source's dialect), checks \
            every row against the design and the cohort, and appends one hash-chained record per family in one \
            transaction, each marked procedure `imported` with the file's SHA-256. Nothing is written when any \
            row is wrong. Probabilities missing from the file are derived from the declared procedure and the \
            counts per stratum, and the report says so. See docs/assignment.md, "Assignments made elsewhere".
            """)

    @OptionGroup var trial: TrialOptions
    @Option(help: "The assignment list (default: the file of the design's assignment source).") var file: String?
    @Option(help: "The cohort, when the store holds none yet (default: the design's cohort source).") var cohort: String?
    @Option(help: "The enrolment window FROM,TO (YYYY-MM-DD), when the design's date_window rule is not it.") var window: String?

    func validate() throws {
        if let window, Self.parseWindow(window) == nil {
            throw ValidationError("--window \(window): write two dates FROM,TO as YYYY-MM-DD, e.g. --window 2017-04-01,2019-04-30.")
        }
    }

    static func parseWindow(_ text: String) -> (from: CalendarDate, to: CalendarDate)? {
        let parts = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let a = CalendarDate(iso: parts[0]), let b = CalendarDate(iso: parts[1]), a <= b else { return nil }
        return (a, b)
    }

    func run() throws {
        try reportingFailures {
            let design = try trial.loadDesign("import-assignment")
            let store = try TrialStoreAccess.openExisting(design, store: trial.store)
            let outcome = try AssignmentListImport.run(design, store: store, options: .init(
                file: file, cohort: cohort, window: window.flatMap(Self.parseWindow)))
            for w in outcome.warnings { printError("warning: \(w)") }
            outcome.lines.forEach { print($0) }
        }
    }
}
