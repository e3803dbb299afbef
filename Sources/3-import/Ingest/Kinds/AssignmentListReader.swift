import Basics
import Tabular
import TrialData
import TrialDesign

/// `assignment`: a list of assignments made elsewhere (by the city, the funder or another tool), one row
/// per family: its identifier, arm and date of assignment, and optionally its stratum, block, cluster and
/// the probability of its arm (`probability`) or of every arm (`probability_<arm>`). Read in the source's
/// dialect, arm and stratum labels mapped through its `codes:`, national numbers pseudonymised at once.
///
/// Every problem of every row is collected (a list is imported whole or not at all, so the evaluator
/// sees all its problems at once); problems of the file itself throw `AssignmentListError`.
public struct AssignmentListReader: SourceReader {
    /// The canonical fields (`columns:` keys), besides `probability_<arm>`.
    public static let fields: [SourceField] = [
        .required("id"), .required("arm"), .required("assigned_on"), .optional("stratum"), .optional("block"),
        .optional("cluster"), .optional("probability"),
    ]
    public static let codedFields = ["arm", "stratum"]

    /// One row read: the assignment, or the problems that keep it out (each `FILE:LINE: …`).
    public struct Line {
        public var row: ExternalAssignmentRow?
        public var problems: [ExternalAssignmentProblem]
        /// A list of clusters (`level: cluster`): the cluster row instead of `row`.
        public var clusterRow: ClusterAssignmentRow? = nil
    }

    /// The whole list.
    public struct List {
        public var rows: [ExternalAssignmentRow] = []
        /// A list of clusters (`level: cluster`): its rows (and `rows` is empty).
        public var clusterRows: [ClusterAssignmentRow] = []
        public var problems: [ExternalAssignmentProblem] = []
        /// The file's columns that hold the fields, for messages.
        public var idColumn = "", armColumn = "", dateColumn = ""
        public var probabilityColumn: String?
        public var armProbabilityColumns: [String: String] = [:]
        /// The list has no stratum column: strata come from the cohort.
        public var strataFromCohort = true
    }

    let path: String
    let header: [String]
    let idIndex, armIndex: Int
    /// The date column; nil in a list of clusters (each family's date is its own enrolment date).
    let dateIndex: Int?
    /// Whether the rows are clusters (`level: cluster`).
    let clusterLevel: Bool
    let stratumIndex, blockIndex, clusterIndex, probabilityIndex: Int?
    let armProbabilityIndex: [String: Int]
    let arms: [String]
    let pseudonymizer: Pseudonymizer?

    /// Reads the list of `source` at `path` for a trial with `arms`. `designName` names the design in
    /// messages about the source's declaration; `pseudonymizer` is needed when the list identifies
    /// families by national number.
    public static func read(path: String, source: Source, arms: [String], designName: String,
                            pseudonymizer: () throws -> Pseudonymizer) throws -> List {
        let known = Set(fields.map(\.name) + arms.map { "probability_\($0)" })
        if let unknown = source.columns.keys.sorted().first(where: { !known.contains($0) }) {
            throw AssignmentListError.unknownField(design: designName, source: source.id, field: unknown, arms: arms)
        }
        guard source.dialect.format == .delimited else {
            throw AssignmentListError.notDelimited(design: designName, source: source.id)
        }
        guard source.dialect.header else { throw AssignmentListError.noHeader(design: designName, source: source.id) }
        var file: SourceFile
        do { file = try SourceFile(path: path, display: path, dialect: source.dialect, source: source.id, designLine: source.dialectLine) } catch ImportError.emptyFile {
            throw AssignmentListError.empty(path: path)
        } catch let ImportError.unreadable(_, reason) {
            throw AssignmentListError.unreadable(path: path, reason: reason)
        }
        let reader = try AssignmentListReader(path: path, source: source, header: file.names, arms: arms,
                                              pseudonymizer: source.identifierType == .insz ? try pseudonymizer() : nil)
        var cells = try RowCells(source: source, names: file.names, fields: [], display: path)
        var out = List(idColumn: reader.header[reader.idIndex], armColumn: reader.header[reader.armIndex],
                       dateColumn: reader.dateIndex.map { reader.header[$0] } ?? "",

                       probabilityColumn: reader.probabilityIndex.map { reader.header[$0] },
                       armProbabilityColumns: reader.armProbabilityIndex.mapValues { reader.header[$0] },
                       strataFromCohort: reader.stratumIndex == nil)
        var row = TextRow()
        do {
            while try file.nextRow(&row) {
                let line = try reader.read(row, &cells)
                out.problems += line.problems
                if let r = line.row { out.rows.append(r) }
                if let r = line.clusterRow { out.clusterRows.append(r) }
            }
        } catch let e as RecordReadError {
            throw AssignmentListError.unreadable(path: path, reason: e.description)
        }
        return out
    }

    init(path: String, source: Source, header: [String], arms: [String], pseudonymizer: Pseudonymizer?) throws {
        self.path = path
        self.header = header
        self.arms = arms
        self.pseudonymizer = pseudonymizer
        clusterLevel = source.level == .cluster
        func column(_ field: String, required: Bool) throws -> Int? {
            let name = field == "id" ? (source.columns["id"] ?? source.identifierColumn) : (source.columns[field] ?? field)
            if let i = header.firstIndex(of: name) { return i }
            if required || source.columns[field] != nil {
                throw AssignmentListError.missingColumn(path: path, column: name, field: field, header: header)
            }
            return nil
        }
        idIndex = try column("id", required: true)!
        armIndex = try column("arm", required: true)!
        // A list of clusters has no date (each family's is its own enrolment date), block or cluster column.
        dateIndex = clusterLevel ? nil : try column("assigned_on", required: true)!
        stratumIndex = try column("stratum", required: false)
        blockIndex = clusterLevel ? nil : try column("block", required: false)
        clusterIndex = clusterLevel ? nil : try column("cluster", required: false)
        probabilityIndex = try column("probability", required: false)
        var perArm: [String: Int] = [:]
        for arm in arms where !clusterLevel { if let i = try column("probability_\(arm)", required: false) { perArm[arm] = i } }
        if !perArm.isEmpty && perArm.count < arms.count {
            throw AssignmentListError.someArmProbabilities(path: path, missing: arms.filter { perArm[$0] == nil }.map { "probability_\($0)" })
        }
        armProbabilityIndex = perArm
    }

    public func read(_ record: borrowing TextRow, _ cells: inout RowCells) throws -> Line {
        let line = record.line
        let source = cells.source
        var problems: [ExternalAssignmentProblem] = []
        func problem(_ text: String) -> Line {
            problems.append(.init(line: line, message: "\(path):\(line): \(text)"))
            return Line(row: nil, problems: problems)
        }
        if record.count != header.count {
            return problem("the row has \(record.count) fields, the header \(header.count); check the separator "
                + "(\(source.dialect.separator)) and the quotes of this row")
        }
        if let bad = record.badlyEncodedFields().first {
            return problem("column \(header[bad]) is not valid \(source.dialect.encoding.rawValue) text; "
                + "declare the file's real encoding under the source's dialect (encoding: windows-1252 or utf-8)")
        }
        func cell(_ i: Int?) -> String? {
            guard let i else { return nil }
            let t = record.string(i)
            return t.isEmpty ? nil : t
        }
        let idColumn = header[idIndex], armColumn = header[armIndex]
        let what = clusterLevel ? "cluster" : "family"
        guard let rawID = cell(idIndex) else { return problem("the \(idColumn) cell is empty; every row names the \(what) it assigns") }
        var unitID = rawID, shown = rawID
        if let pseudonymizer {
            do { unitID = pseudonymizer.pseudonym(for: try NationalNumber(rawID)) } catch {
                return problem("column \(idColumn): not a valid national number; correct it at the source (the number itself is not shown)")
            }
            shown = "with pseudonym \(unitID.prefix(12))…"
        }
        guard let armCell = cell(armIndex) else {
            return problem("\(what) \(shown): the \(armColumn) cell is empty; every row gives the \(what)'s arm")
        }
        let armCodes = source.codes["arm"] ?? [:]
        let stratumCodes = source.codes["stratum"] ?? [:]
        if clusterLevel {
            var p: Double?
            if let i = probabilityIndex {
                guard let text = cell(i) else {
                    return problem("cluster \(shown): the \(header[i]) cell is empty; give every row's probability, or remove the "
                        + "probability column from the source's columns to have it derived from the clusters per stratum")
                }
                guard let q = CellParser.decimal(text, decimal: source.dialect.decimal.first ?? ".", thousands: source.dialect.thousands?.first) else {
                    return problem("cluster \(shown): \(header[i]) \"\(text)\" is not a number; correct the cell")
                }
                p = q
            }
            return Line(row: nil, problems: [], clusterRow: ClusterAssignmentRow(
                line: line, cluster: rawID, arm: armCodes[armCell] ?? armCell, armCell: armCell,
                stratum: cell(stratumIndex).map { stratumCodes[$0] ?? $0 }, probability: p))
        }
        let dateColumn = header[dateIndex!]
        guard let dateCell = cell(dateIndex) else {
            return problem("family \(shown): the \(dateColumn) cell is empty; every row gives the date of assignment")
        }
        guard let date = CellParser.date(dateCell, format: source.dialect.dateFormat) else {
            return problem("family \(shown): \(dateColumn) \"\(dateCell)\" is not a date in the form \(source.dialect.dateFormat.rawValue); "
                + "correct the cell, or declare the file's date form under the source's dialect (date_format)")
        }
        let decimalMark: Character = source.dialect.decimal.first ?? "."
        let thousands: Character? = source.dialect.thousands?.first
        func probability(_ i: Int?) -> (Double?, Bool) {
            guard let i else { return (nil, true) }
            guard let text = cell(i) else {
                _ = problem("family \(shown): the \(header[i]) cell is empty; give every row's probability, or remove the "
                    + "probability columns from the source's columns to have them derived")
                return (nil, false)
            }
            guard let p = CellParser.decimal(text, decimal: decimalMark, thousands: thousands) else {
                _ = problem("family \(shown): \(header[i]) \"\(text)\" is not a number (decimal mark \(decimalMark)); correct the cell")
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
        if !pOK || !armsOK { return Line(row: nil, problems: problems) }
        let stratum = cell(stratumIndex).map { stratumCodes[$0] ?? $0 }
        return Line(row: ExternalAssignmentRow(line: line, unitID: unitID, shown: shown, arm: armCodes[armCell] ?? armCell,
                                               armCell: armCell, assignedOn: date, stratum: stratum,
                                               block: cell(blockIndex), cluster: cell(clusterIndex),
                                               probability: p, armProbabilities: perArm),
                    problems: [])
    }
}

/// Why an assignment list cannot be read at all. Each names the design or file and says what to do.
public enum AssignmentListError: Error, Equatable, CustomStringConvertible {
    case unknownField(design: String, source: String, field: String, arms: [String])
    case notDelimited(design: String, source: String)
    case noHeader(design: String, source: String)
    case empty(path: String)
    case unreadable(path: String, reason: String)
    case missingColumn(path: String, column: String, field: String, header: [String])
    case someArmProbabilities(path: String, missing: [String])

    /// The message, every national number in it masked (a missing column's message lists the header's cells).
    public var description: String { NationalNumber.mask(text) }

    private var text: String {
        switch self {
        case let .unknownField(design, source, field, arms):
            let fields = AssignmentListReader.fields.map(\.name)
            return "\(design): source \(source): columns: \"\(field)\" is not a field of an assignment list; "
                + "the fields are \(fields.joined(separator: ", ")) and probability_<arm> (\(arms.map { "probability_\($0)" }.joined(separator: ", ")))"
        case let .notDelimited(design, source):
            return "\(design): source \(source): an assignment list is read as a delimited file; set dialect.format: delimited"
        case let .noHeader(design, source):
            return "\(design): source \(source): an assignment list needs a header line (dialect.header: true)"
        case let .empty(path):
            return "\(path): the file is empty"
        case let .unreadable(path, reason):
            return "\(path): \(reason)"
        case let .missingColumn(path, column, field, header):
            return "\(path):1: the column \"\(column)\" (field \(field)) is not in the header; the columns are: "
                + header.joined(separator: ", ") + ". Map the field to the file's column under the source's columns: { \(field): COLUMN }"
        case let .someArmProbabilities(path, missing):
            return "\(path):1: the list gives per-arm probabilities for some arms only; map "
                + missing.joined(separator: ", ") + " too (each row's probabilities over the arms must sum to one)"
        }
    }
}
