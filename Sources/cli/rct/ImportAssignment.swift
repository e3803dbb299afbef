import ArgumentParser
import Assignment
import Foundation
import Basics
import Ingest
import Tabular
import TrialDesign
import TrialStore

/// `rct import-assignment`: records an assignment that was randomised elsewhere.
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

    @Argument(help: "The design file.") var design: String
    @Option(help: "The trial store (default: beside the design, NAME.sqlite).") var store: String?
    @Option(help: "The assignment list (default: the file of the design's assignment source).") var file: String?
    @Option(help: "The cohort, when the store holds none yet (default: the design's cohort source).") var cohort: String?
    @Option(help: "The enrolment window FROM,TO (YYYY-MM-DD), when the design's date_window rule is not it.") var window: String?

    /// The canonical fields of an assignment source (`columns:` keys), besides `probability_<arm>`.
    static let fields = ["id", "arm", "assigned_on", "stratum", "block", "cluster", "probability"]

    func validate() throws {
        if let window, Self.parseWindow(window) == nil {
            throw ValidationError("--window \(window): write two dates FROM,TO as YYYY-MM-DD, e.g. --window 2017-04-01,2019-04-30.")
        }
    }

    /// A path of the design, relative to the design's folder, written as short as possible for messages:
    /// `fixtures/external/../mission/cohort.csv` → `fixtures/mission/cohort.csv` (lexically).
    static func resolve(_ path: String, besideDesign design: String) -> String {
        if path.hasPrefix("/") { return path }
        let folder = (design as NSString).deletingLastPathComponent
        var parts: [String] = []
        for part in (folder.isEmpty ? path : folder + "/" + path).split(separator: "/").map(String.init) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (design.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    static func parseWindow(_ text: String) -> (CalendarDate, CalendarDate)? {
        let parts = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let a = CalendarDate(iso: parts[0]), let b = CalendarDate(iso: parts[1]), a <= b else { return nil }
        return (a, b)
    }

    func run() throws {
        try StoreSupport.reporting { try body() }
    }

    private func body() throws {
        let (d, data) = try StoreSupport.loadDesign(design)
        let storePath = store ?? StoreSupport.defaultStorePath(design: design)
        let trialStore = try TrialStore.open(path: storePath)
        try trialStore.checkDesign(data)
        func resolve(_ path: String) -> String { Self.resolve(path, besideDesign: design) }
        guard let source = d.sources.first(where: { $0.kind == .assignment }) else {
            throw CommandFailure("\(design): the design has no source of kind assignment; add one under sources: (its file, "
                + "identifier, dialect and columns: { arm: …, assigned_on: … }), see docs/assignment.md")
        }
        let listPath = file ?? resolve(source.file)
        guard source.dialect.format == .delimited else {
            throw CommandFailure("\(design): source \(source.id): an assignment list is read as a delimited file; set dialect.format: delimited")
        }
        guard let bytes = FileManager.default.contents(atPath: listPath) else {
            throw CommandFailure("\(listPath): cannot read the assignment list; check the path (a design's paths are relative to its folder)")
        }
        let fingerprint = Fingerprint.sha256(bytes)
        let plan = AssignmentPlan(design: d)

        // Read the list.
        var list = try readList(listPath, source: source, design: d)

        // The cohort: the store's, or loaded and screened as `rct assign` does.
        let screened = try trialStore.screenedUnits()
        var newScreenings: [ScreeningEntry] = []
        var cohortUnits: [String: ScreeningEntry] = [:]
        var cohortName = "the store's cohort"
        var cohortLine: String
        if !screened.isEmpty {
            if let cohort {
                throw CommandFailure("\(storePath) already holds the cohort (\(screened.count) families screened); remove --cohort \(cohort)")
            }
            for (_, e) in screened { cohortUnits[e.unitID] = e }
            cohortLine = "cohort: the store's, \(screened.count) families screened"
        } else {
            guard let cohortPath = cohort ?? d.sources.first(where: { $0.kind == .cohort }).map({ resolve($0.file) }) else {
                throw CommandFailure("\(storePath) holds no cohort yet and the design has no cohort source; give the cohort with "
                    + "--cohort FILE (it is screened with the design's eligibility rules, as by `rct assign`)")
            }
            var intake = CohortIntake(design: d, pseudonymizer: nil, source: cohortPath)
            let (header, rows) = try StoreSupport.readCohort(cohortPath)
            try intake.checkHeader(header)
            try plan.checkHeader(header, source: cohortPath)
            if intake.needsKey { intake.pseudonymizer = try StoreSupport.pseudonymizer(design: d, designPath: design) }
            let units = try intake.units(rows)
            newScreenings = StoreSupport.screeningEntries(try TrialAssigner(plan: plan, source: cohortPath).screen(units))
            for e in newScreenings { cohortUnits[e.unitID] = e }
            cohortName = cohortPath
            let eligible = newScreenings.filter(\.eligible).count
            cohortLine = "cohort: \(cohortPath), \(newScreenings.count) families screened: \(eligible) eligible, "
                + "\(newScreenings.count - eligible) excluded (stored with the import)"
        }
        // A list that names families by a national number, in a trial whose families are study codes: the
        // number is the reference parent's (trial.link_column), matched through its pseudonym.
        if source.identifierType == .insz && d.trial.idType != .insz {
            guard d.trial.linkColumn != nil else {
                throw CommandFailure("\(design): source \(source.id) names families by national number, but the trial's families "
                    + "are study codes and the design has no trial.link_column to match them through; identify the list's rows "
                    + "by the study code (identifier.type: code)")
            }
            var byLink: [String: String] = [:]
            for e in cohortUnits.values { if let k = e.linkKey { byLink[k] = e.unitID } }
            for i in list.rows.indices {
                if let unit = byLink[list.rows[i].unitID] {
                    list.rows[i].unitID = unit
                    list.rows[i].shown = "\(unit) (line \(list.rows[i].line), by the parent's national number)"
                }
            }
        }
        var designStratum: [String: String] = [:]
        for e in cohortUnits.values where e.eligible {
            let unit = CohortUnit(id: e.unitID, linkKey: e.linkKey, line: e.line, attributes: e.attributes)
            if let s = try? plan.stratum(of: unit, source: cohortName) { designStratum[e.unitID] = s }
        }
        // A list without strata is stored with the design's strata, from the cohort.
        if list.strataFromCohort {
            for i in list.rows.indices { list.rows[i].stratum = designStratum[list.rows[i].unitID] }
        }

        // The enrolment window.
        var windowUsed: (from: CalendarDate, to: CalendarDate, origin: String)?
        if let window, let (a, b) = Self.parseWindow(window) {
            windowUsed = (a, b, "--window")
        } else {
            let rules = d.eligibility.compactMap { rule -> (from: CalendarDate, to: CalendarDate, origin: String, column: String)? in
                if case let .dateWindow(column, from, to) = rule.test {
                    return (from, to, "the design's eligibility rule \(rule.id), on \(column)", column)
                }
                return nil
            }
            if let r = rules.first(where: { $0.column == d.trial.enrolmentDateColumn }) ?? rules.first {
                windowUsed = (r.from, r.to, r.origin)
            }
        }

        let records = try trialStore.assignmentRecords()
        var already: [String: (record: Int, arm: String, assignedOn: CalendarDate)] = [:]
        for r in records { already[r.entry.unitID] = (r.seq, r.entry.arm, r.entry.assignedOn) }
        let context = ExternalAssignmentContext(
            file: listPath, cohortName: cohortName, allocation: plan.allocation, method: plan.method,
            idColumn: list.idColumn, armColumn: list.armColumn, dateColumn: list.dateColumn,
            probabilityColumn: list.probabilityColumn, armProbabilityColumns: list.armProbabilityColumns,
            screening: cohortUnits.mapValues { $0.eligible ? String?.none : .some($0.reason ?? "excluded") },
            alreadyAssigned: already, window: windowUsed, designStratum: designStratum)
        let review = ExternalAssignmentReview.review(list.rows, context: context)

        let problems = (list.problems + review.problems).sorted { $0.line < $1.line }
        if !problems.isEmpty || list.rows.isEmpty {
            for p in problems { printError("error: \(p.message)") }
            if list.rows.isEmpty && problems.isEmpty { printError("error: \(listPath): the list holds no families") }
            let n = max(1, problems.count)
            printError("\(listPath): \(n) problem\(n == 1 ? "" : "s") found; nothing was imported (the store is unchanged). "
                + "Correct the list (or the design's source mapping) and run the import again")
            throw ExitCode(1)
        }
        for w in review.warnings { printError("warning: \(w)") }

        let entries = review.assignments.map { a -> AssignmentEntry in
            let unit = cohortUnits[a.unitID]
            var e = AssignmentEntry(unitID: a.unitID, linkKey: unit?.linkKey, line: unit?.line ?? 0, arm: a.arm,
                                    assignedOn: a.assignedOn, stratum: a.stratum, block: a.block, blockSize: nil,
                                    cluster: a.cluster, probability: a.probability,
                                    procedure: AssignmentEntry.importedProcedure, seed: 0, generator: "none",
                                    caseManager: nil, capacityStatus: CapacityStatus.notLimited.rawValue)
            e.sourceSHA256 = fingerprint
            return e
        }
        let shownName = (listPath as NSString).lastPathComponent
        let receipt = try trialStore.importRun(file: shownName, fingerprint: fingerprint,
                                               probabilitiesDerived: review.probabilitiesDerived) { _ in (newScreenings, entries) }

        let arms = plan.allocation.arms
        print("read \(listPath) (SHA-256 \(fingerprint)): \(list.rows.count) families, \(source.dialect.encoding.rawValue), "
            + "separator \(source.dialect.separator), dates \(source.dialect.dateFormat.rawValue)")
        print(cohortLine)
        print("imported \(entries.count) families (\(StoreSupport.countsByArm(arms, entries.map(\.arm)))) as procedure "
            + "imported: records \(receipt.headSeq - receipt.assigned + 1)–\(receipt.headSeq)")
        if let w = windowUsed {
            print("enrolment window \(w.from) to \(w.to) (\(w.origin)): every assignment date lies inside")
        } else {
            print("enrolment window: not checked (the design has no date_window rule; give one with --window FROM,TO)")
        }
        let ratio = plan.allocation.weights.map(String.init).joined(separator: ":")
        print("arm shares per stratum, exact binomial test against the declared ratio \(ratio):")
        for s in review.strata {
            print("  \(s.stratum): " + arms.indices.map { "\(s.counts[$0]) \(arms[$0])" }.joined(separator: ", ")
                + ", p = \(String(format: "%.4f", s.pValue))" + (s.implausible ? " (implausible, see the warning)" : ""))
        }
        if let derivation = review.derivation {
            print("probabilities: not in the file; \(derivation)")
        } else {
            let columns = ([list.probabilityColumn].compactMap { $0 } + arms.compactMap { list.armProbabilityColumns[$0] })
            print("probabilities: given in the file (\(columns.joined(separator: ", ")))")
        }
        print("store \(storePath): chain head \(receipt.headHash)")
    }

    // MARK: Reading the list

    struct ListRead {
        var rows: [ExternalAssignmentRow] = []
        var problems: [ExternalAssignmentProblem] = []
        var idColumn = "", armColumn = "", dateColumn = ""
        var probabilityColumn: String?
        var armProbabilityColumns: [String: String] = [:]
        /// The list has no stratum column: strata come from the cohort.
        var strataFromCohort = true
    }

    private func readList(_ path: String, source: Source, design trial: Design) throws -> ListRead {
        var out = ListRead()
        let arms = trial.arms.map(\.id)
        let known = Set(Self.fields + arms.map { "probability_\($0)" })
        if let unknown = source.columns.keys.sorted().first(where: { !known.contains($0) }) {
            throw CommandFailure("\(design): source \(source.id): columns: \"\(unknown)\" is not a field of an assignment list; "
                + "the fields are \(Self.fields.joined(separator: ", ")) and probability_<arm> (\(arms.map { "probability_\($0)" }.joined(separator: ", ")))")
        }
        let d = source.dialect
        let reader: DelimitedRecordReader
        var header: [String]
        do {
            reader = try d.delimitedReader(path: path)
            guard d.header else {
                throw CommandFailure("\(design): source \(source.id): an assignment list needs a header line (dialect.header: true)")
            }
            guard let first = try reader.next() else { throw CommandFailure("\(path): the file is empty") }
            header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        } catch let e as RecordReadError {
            throw CommandFailure("\(path): \(e.description)")
        }
        func column(_ field: String, required: Bool) throws -> Int? {
            let name = field == "id" ? (source.columns["id"] ?? source.identifierColumn) : (source.columns[field] ?? field)
            if let i = header.firstIndex(of: name) { return i }
            if required || source.columns[field] != nil {
                throw CommandFailure("\(path):1: the column \"\(name)\" (field \(field)) is not in the header; the columns are: "
                    + header.joined(separator: ", ") + ". Map the field to the file's column under the source's columns: { \(field): COLUMN }")
            }
            return nil
        }
        let idIndex = try column("id", required: true)!
        let armIndex = try column("arm", required: true)!
        let dateIndex = try column("assigned_on", required: true)!
        let stratumIndex = try column("stratum", required: false)
        let blockIndex = try column("block", required: false)
        let clusterIndex = try column("cluster", required: false)
        let probabilityIndex = try column("probability", required: false)
        var armProbabilityIndex: [String: Int] = [:]
        for arm in arms { if let i = try column("probability_\(arm)", required: false) { armProbabilityIndex[arm] = i } }
        if !armProbabilityIndex.isEmpty && armProbabilityIndex.count < arms.count {
            let missing = arms.filter { armProbabilityIndex[$0] == nil }.map { "probability_\($0)" }
            throw CommandFailure("\(path):1: the list gives per-arm probabilities for some arms only; map "
                + missing.joined(separator: ", ") + " too (each row's probabilities over the arms must sum to one)")
        }
        out.idColumn = header[idIndex]
        out.armColumn = header[armIndex]
        out.dateColumn = header[dateIndex]
        out.probabilityColumn = probabilityIndex.map { header[$0] }
        out.armProbabilityColumns = armProbabilityIndex.mapValues { header[$0] }
        out.strataFromCohort = stratumIndex == nil

        var pseudonymizer: Pseudonymizer?
        if source.identifierType == .insz { pseudonymizer = try StoreSupport.pseudonymizer(design: trial, designPath: design) }
        let armCodes = source.codes["arm"] ?? [:]
        let stratumCodes = source.codes["stratum"] ?? [:]
        let decimalMark: Character = source.dialect.decimal.first ?? "."
        let thousands: Character? = source.dialect.thousands?.first
        do {
            while let record = try reader.next() {
                let line = record.line
                func problem(_ text: String) { out.problems.append(.init(line: line, message: "\(path):\(line): \(text)")) }
                if record.fields.count != header.count {
                    problem("the row has \(record.fields.count) fields, the header \(header.count); check the separator "
                        + "(\(source.dialect.separator)) and the quotes of this row")
                    continue
                }
                if !record.badlyEncodedFields.isEmpty {
                    problem("column \(header[record.badlyEncodedFields[0]]) is not valid \(source.dialect.encoding.rawValue) text; "
                        + "declare the file's real encoding under the source's dialect (encoding: windows-1252 or utf-8)")
                    continue
                }
                func cell(_ i: Int?) -> String? {
                    guard let i else { return nil }
                    let t = record.fields[i].trimmingCharacters(in: .whitespaces)
                    return t.isEmpty ? nil : t
                }
                guard let rawID = cell(idIndex) else {
                    problem("the \(out.idColumn) cell is empty; every row names the family it assigns"); continue
                }
                var unitID = rawID, shown = rawID
                if let pseudonymizer {
                    do { unitID = pseudonymizer.pseudonym(for: try NationalNumber(rawID)) } catch {
                        problem("column \(out.idColumn): not a valid national number; correct it at the source (the number itself is not shown)")
                        continue
                    }
                    shown = "with pseudonym \(unitID.prefix(12))…"
                }
                guard let armCell = cell(armIndex) else {
                    problem("family \(shown): the \(out.armColumn) cell is empty; every row gives the family's arm"); continue
                }
                guard let dateCell = cell(dateIndex) else {
                    problem("family \(shown): the \(out.dateColumn) cell is empty; every row gives the date of assignment"); continue
                }
                guard let date = CellParser.date(dateCell, format: source.dialect.dateFormat) else {
                    problem("family \(shown): \(out.dateColumn) \"\(dateCell)\" is not a date in the form \(source.dialect.dateFormat.rawValue); "
                        + "correct the cell, or declare the file's date form under the source's dialect (date_format)")
                    continue
                }
                func probability(_ i: Int?) -> (Double?, Bool) {
                    guard let i else { return (nil, true) }
                    guard let text = cell(i) else {
                        problem("family \(shown): the \(header[i]) cell is empty; give every row's probability, or remove the "
                            + "probability columns from the source's columns to have them derived")
                        return (nil, false)
                    }
                    guard let p = CellParser.decimal(text, decimal: decimalMark, thousands: thousands) else {
                        problem("family \(shown): \(header[i]) \"\(text)\" is not a number (decimal mark \(decimalMark)); correct the cell")
                        return (nil, false)
                    }
                    return (p, true)
                }
                let (p, pOK) = probability(probabilityIndex)
                var perArm: [String: Double] = [:]
                var armsOK = true
                for arm in arms {
                    guard let i = armProbabilityIndex[arm] else { continue }
                    let (q, ok) = probability(i)
                    if let q { perArm[arm] = q }
                    armsOK = armsOK && ok
                }
                if !pOK || !armsOK { continue }
                let stratum = cell(stratumIndex).map { stratumCodes[$0] ?? $0 }
                out.rows.append(ExternalAssignmentRow(line: line, unitID: unitID, shown: shown, arm: armCodes[armCell] ?? armCell,
                                                      armCell: armCell, assignedOn: date, stratum: stratum,
                                                      block: cell(blockIndex), cluster: cell(clusterIndex),
                                                      probability: p, armProbabilities: perArm))
            }
        } catch let e as RecordReadError {
            throw CommandFailure("\(path): \(e.description)")
        }
        return out
    }
}
