import ArgumentParser
import Basics
import Workflow

/// `rct enrol DESIGN`: screens and assigns one family at the moment it is enrolled (rolling designs).
struct Enrol: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enrol one family: screen it and, if eligible, assign it at once (permuted_blocks or minimisation designs).",
        discussion: """
            Give the family's cohort fields as repeated --field column=value, or as a one-row cohort file with --row \
            (in the dialect of the design's cohort source). --date sets the enrolment date (the design's enrolment \
            date column). The arm comes from the design's seed after replaying every earlier assignment of the \
            store, so enrolling families one by one gives the same arms as `rct assign` on the same families in \
            the same order.
            """)

    @OptionGroup var trial: TrialOptions
    @Option(name: .customLong("field"), help: "A cohort field of the family, column=value (repeat).") var fields: [String] = []
    @Option(help: "A cohort file with a header and exactly one family.") var row: String?
    @Option(help: "The enrolment date, YYYY-MM-DD (default: the enrolment date column of the fields).") var date: String?

    func validate() throws {
        if fields.isEmpty && row == nil { throw ValidationError("Give the family's fields: --field column=value … or --row FILE.csv.") }
        if !fields.isEmpty && row != nil { throw ValidationError("Give either --field or --row, not both.") }
        if let date, CalendarDate(iso: date) == nil { throw ValidationError("--date \(date): write the date as YYYY-MM-DD.") }
        for f in fields where !f.contains("=") {
            throw ValidationError("--field \(f): write column=value, e.g. --field family_id=F113.")
        }
    }

    func run() throws {
        try reportingFailures {
            let file = try trial.loadDesign("enrol")
            let family: Enrolment.Family
            if let row {
                family = .file(path: row)
            } else {
                var values: [String: String] = [:]
                for f in fields {
                    let parts = f.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    values[String(parts[0]).trimmingCharacters(in: .whitespaces)] = String(parts[1])
                }
                family = .fields(values)
            }
            // The store is opened after the design's method is known to be rolling.
            let outcome = try Enrolment.enrol(file, family: family, date: date.flatMap(CalendarDate.init(iso:)),
                                              store: { try TrialStoreAccess.openExisting(file, store: trial.store) })
            outcome.lines.forEach { print($0) }
        }
    }
}
