import TrialDesign

/// Why a step of the workflow stops. Each case carries the files, sources, families and values at fault;
/// `description` words it for the evaluator who runs `rct` (or the service), naming the file and line
/// and saying what to do. Problems of the layers below (a design's problems, a store's, an importer's)
/// arrive as their own typed errors.
public enum WorkflowError: Error, Equatable, CustomStringConvertible {
    // The design and its files.
    case unreadableDesign(path: String)
    case noPseudonymisation(design: String)
    case keyNeededForSources(design: String, reason: String, environment: String?)
    case unreadableSource(path: String, source: String, design: String)
    case unreadableInput(path: String, source: String)
    case unusableInputs(design: String, problems: [InputCheck.Problem], consequence: String?)
    case cannotWrite(path: String, reason: String)

    // The store.
    case noStore(path: String, design: String)
    case amendment(String)
    case storeFailsVerification(path: String, first: String, count: Int)
    case mostlyUnknown(source: String, unknown: Int, rows: Int, limit: Double, byKey: Bool)
    case noAssignments(store: String, howToAssign: String)
    case nothingToLink(store: String, howToAssign: String)
    case importedAssignmentInStore(records: Int, first: Int)
    case noCohortSourceToAssign(design: String)

    // Key rotation.
    case unreadableRotationCohort(path: String)
    case rotationWrongOldKey(keyFile: String, store: String, inForce: String, given: String)
    case rotationCohortIncomplete(cohort: String, store: String, missing: Int, families: Int, otherPseudonym: Int, oldKeyFile: String)

    // Import.
    case noImportableSources(design: String)
    case notImportable(design: String, source: String, kind: SourceKind, importable: [String])
    case unknownSource(design: String, source: String, importable: [String])
    case fileChangedWhileImported(path: String, source: String)
    case noMergeReport(path: String)
    case importFailed(reason: String, source: String, design: String)
    case notImported(store: String, source: String, design: String)

    // Assignment.
    case enrolledBeforeLast(cohort: String, line: Int, unit: String, date: String, last: String, record: Int)
    case noEnrolmentDate(unit: String)
    case notRolling(design: String, method: String)
    case notOneFamily(path: String, families: Int)

    // An assignment made elsewhere.
    case noAssignmentSource(design: String)
    case unreadableList(path: String)
    case cohortAlreadyStored(store: String, screened: Int, cohort: String)
    case noCohort(store: String)
    case noLinkColumnForList(design: String, source: String)

    // Baseline balance.
    case nothingAssigned(store: String)
    case noBalanceCovariates
    case unknownCohortColumn(column: String, available: [String])

    // rct explain.
    case unknownFamily(family: String, store: String)

    // rct estimate DESIGN --analysis NAME.
    case unknownAnalysis(name: String, design: String, declared: [String])

    // rct run, rct report: the report is written, but a primary outcome has no estimate.
    case primaryNotEstimated(report: String, reasons: [String])

    // rct disclosure-check FOLDER: a published folder without the file the check reads, or one it cannot read.
    case disclosureInput(path: String, problem: String)
    // --pdf: no browser to print with.
    case noChromium(html: String)

    // Steps below, worded with the step's name.
    case panel(String)
    case report(String)

    public var description: String {
        switch self {
        case let .unreadableDesign(path):
            return "\(path): cannot read the design file"
        case let .noPseudonymisation(design):
            return "\(design): the cohort holds national numbers but the design has no pseudonymisation section (key_env or key_file)"
        case let .keyNeededForSources(design, reason, environment):
            return "\(design): \(reason). Registry files hold national numbers, which are replaced by "
                + "pseudonyms with the key used at assignment: set \(environment ?? "the environment variable named by key_env") "
                + "or point `key_file` (pseudonymisation section) at the key file"
        case let .unreadableSource(path, source, design):
            return "\(path): cannot read the file of source \(source); check `file:` of that source in \(design) "
                + "(paths are relative to the design's folder)"
        case let .unreadableInput(path, source):
            return "\(path): cannot read source \(source); check sources[].file in the design"
        case let .unusableInputs(design, problems, consequence):
            return "\(design): \(problems.count) input\(problems.count == 1 ? "" : "s") cannot be used" + (consequence.map { "; \($0)" } ?? "") + ":\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
        case let .cannotWrite(path, reason):
            return "\(path): cannot write the file (\(reason))"
        case let .amendment(message):
            return message
        case let .storeFailsVerification(path, first, count):
            return "\(path) fails verification: \(first)" + (count > 1 ? " (and \(count - 1) more problem\(count == 2 ? "" : "s"); `rct verify` lists them)" : "")
                + ". Nothing was analysed: a store whose record was altered is not analysed; restore it from a copy you trust"
        case let .mostlyUnknown(source, unknown, rows, limit, byKey):
            return "source \(source): \(unknown) of \(rows) rows name no family of the trial (more than \(Int((limit * 100).rounded())) %), "
                + "so the import was refused and the store left as it was. Likely causes: "
                + (byKey ? "a pseudonymisation key other than the trial's, " : "")
                + "an extract of another population or period, or the wrong identifier column in the design (identifier: column). "
                + "If most rows really are of people outside the trial, filter the extract first"
        case let .noStore(path, design):
            return "\(path): no trial store; create it with rct init \(design) (or run rct run \(design))"
        case let .noAssignments(store, how):
            return "\(store): the store holds no assignments yet; run \(how) first"
        case let .nothingToLink(store, how):
            return "\(store): the store has no assigned families yet, so imported rows cannot be linked to the trial; run \(how) first"
        case let .importedAssignmentInStore(records, first):
            return "the store holds an assignment made elsewhere (\(records) imported records, the first is record \(first)); families "
                + "are not drawn here after an imported assignment. Import the further families' assignment too, or start a new store"
        case let .noCohortSourceToAssign(design):
            return "\(design): the store holds no assignments and the design declares no cohort source to assign"
        case let .unreadableRotationCohort(path):
            return "cannot read the cohort file \(path): a key rotation needs the data manager's cohort file with every family's "
                + "national numbers, in the design's cohort format; nothing was changed"
        case let .rotationWrongOldKey(keyFile, store, inForce, given):
            return "the old key \(keyFile) (fingerprint \(given.prefix(12))…) is not the key in force in \(store) (\(inForce.prefix(12))…): "
                + "--old-key must be the key the trial's data are pseudonymised with now; nothing was changed"
        case let .rotationCohortIncomplete(cohort, store, missing, families, otherPseudonym, oldKeyFile):
            var text = "\(missing) of the \(families) families in \(store) are not found in \(cohort) under the old key \(oldKeyFile)"
            if otherPseudonym > 0 {
                text += "; \(otherPseudonym) of them are in the cohort file by family id, but their national number gives another "
                    + "pseudonym: \(oldKeyFile) is not the key they were pseudonymised with, or the cohort file is not this trial's"
            } else {
                text += ": give the data manager's complete cohort file (every family screened, in the design's cohort format) "
                    + "and the key the families were pseudonymised with"
            }
            return text + "; nothing was changed (every family must get its new pseudonym in the same rotation)"
        case let .noImportableSources(design):
            return "\(design): the design declares no registry or survey sources to import"
        case let .notImportable(design, source, kind, importable):
            return "\(design): source \(source) is a \(kind.rawValue) source, which `rct assign`, `rct import-assignment` or `rct run` reads, "
                + "not `rct import`; importable sources: \(importable.joined(separator: ", "))"
        case let .unknownSource(design, source, importable):
            return "\(design): no source \"\(source)\"; the design's importable sources are " + importable.joined(separator: ", ")
        case let .fileChangedWhileImported(path, source):
            return "\(path): the file changed while it was being imported (source \(source)); nothing was "
                + "imported for it. Wait until it is completely written and run the import again"
        case let .noMergeReport(path):
            return "\(path): the importer gave no merge report; nothing was imported"
        case let .importFailed(reason, source, design):
            return "\(reason) (source \(source) of \(design))"
        case let .notImported(store, source, design):
            return "\(store): source \(source) has not been imported; run `rct import \(design)` first"
        case let .enrolledBeforeLast(cohort, line, unit, date, last, record):
            return "\(cohort):\(line): family \(unit) was enrolled on \(date), before the last assignment in the store (\(last), "
                + "record \(record)), and a cohort file adds families in date order after the last; enrol this family with "
                + "`rct enrol` (the store records it next and it keeps its own date), or correct its date in \(cohort)"
        case let .noEnrolmentDate(unit):
            return "family \(unit) has no enrolment date"
        case let .notRolling(design, method):
            return "\(design): method \(method) randomises a whole cohort at once; enrol is for rolling designs (permuted_blocks, "
                + "minimisation). Use `rct assign \(design) --cohort FILE`"
        case let .notOneFamily(path, families):
            return "\(path): holds \(families) families; --row takes exactly one"
        case let .noAssignmentSource(design):
            return "\(design): the design has no source of kind assignment; add one under sources: (its file, identifier, dialect "
                + "and columns: { arm: …, assigned_on: … }), see docs/assignment.md"
        case let .unreadableList(path):
            return "\(path): cannot read the assignment list; check the path (a design's paths are relative to its folder)"
        case let .cohortAlreadyStored(store, screened, cohort):
            return "\(store) already holds the cohort (\(screened) families screened); remove --cohort \(cohort)"
        case let .noCohort(store):
            return "\(store) holds no cohort yet and the design has no cohort source; give the cohort with --cohort FILE (it is "
                + "screened with the design's eligibility rules, as by `rct assign`)"
        case let .noLinkColumnForList(design, source):
            return "\(design): source \(source) names families by national number, but the trial's families are study codes and the "
                + "design has no trial.link_column to match them through; identify the list's rows by the study code "
                + "(identifier.type: code)"
        case let .nothingAssigned(store):
            return "\(store): no family has been assigned yet"
        case .noBalanceCovariates:
            return "the design has no cohort-column covariates; list columns with --covariates a,b"
        case let .unknownCohortColumn(column, available):
            return "no assigned family has a column \"\(column)\"; the columns are: " + available.joined(separator: ", ")
        case let .unknownFamily(family, store):
            return "\(store): no assigned family \"\(family)\"; give its study code (as in the panel's first column)"
        case let .unknownAnalysis(name, design, declared):
            return "\(design): no analysis \"\(name)\"; the design's analyses are " + declared.joined(separator: ", ")
                + " (primary is the analysis: section itself, the others its sensitivity: list)"
        case let .primaryNotEstimated(report, reasons):
            return "\(reasons.count) primary outcome estimate\(reasons.count == 1 ? "" : "s") could not be made (the report \(report) "
                + "lists \(reasons.count == 1 ? "it" : "them") among its deviations): " + reasons.joined(separator: " ")
        case let .panel(message):
            return "panel: \(message)"
        case let .disclosureInput(path, problem):
            return "\(path): \(problem); rct disclosure-check reads the publish/ folder that rct report or rct run writes "
                + "(OUT/publish, with counts.json and effects.csv)"
        case let .noChromium(html):
            return "cannot print report.pdf: chromium is not installed (none on PATH, RCT_CHROMIUM not set). Install it "
                + "(Debian/Ubuntu: sudo apt-get install chromium) or set RCT_CHROMIUM to its path, then run again; "
                + "the HTML report is written: \(html)"
        case let .report(message):
            return "report: \(message)"
        }
    }
}
