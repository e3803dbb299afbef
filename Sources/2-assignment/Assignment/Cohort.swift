import Basics
import TrialData
import TrialDesign

/// A cohort member after intake: identifiers pseudonymised, nothing that identifies a person directly.
public struct CohortUnit: Sendable, Equatable, Codable {
    /// The study identifier: the code as given, or the pseudonym of a national number (`id_type: insz`).
    public var id: String
    /// The pseudonym of the reference parent's national number (`trial.link_column`), when present.
    public var linkKey: String?
    /// The line of the cohort file (or 0 for a family enrolled from the command line).
    public var line: Int
    /// Every other column, as text. The id and link columns are not among them.
    public var attributes: [String: String]

    public init(id: String, linkKey: String? = nil, line: Int, attributes: [String: String]) {
        self.id = id
        self.linkKey = linkKey
        self.line = line
        self.attributes = attributes
    }
}

/// Turns cohort rows into `CohortUnit`s: checks that every row has an identifier and that no identifier
/// occurs twice (naming the lines), validates national numbers (check digits, without ever echoing the
/// digits) and replaces them by keyed pseudonyms.
public struct CohortIntake {
    public var idColumn: String
    public var idType: IdentifierType
    public var linkColumn: String?
    public var pseudonymizer: Pseudonymizer?
    /// A name for messages: the cohort file's path.
    public var source: String
    /// Refuse a row when any other column holds a valid national number (11 digits with matching check
    /// digits): such a column would be stored as is. On for design runs (whose attributes are stored);
    /// the identifier itself is always checked.
    public var refusesNationalNumbersInAttributes: Bool = true

    public init(idColumn: String, idType: IdentifierType = .code, linkColumn: String? = nil,
                pseudonymizer: Pseudonymizer? = nil, source: String) {
        self.idColumn = idColumn
        self.idType = idType
        self.linkColumn = linkColumn
        self.pseudonymizer = pseudonymizer
        self.source = source
    }

    public init(design: Design, pseudonymizer: Pseudonymizer?, source: String) {
        self.init(idColumn: design.trial.idColumn, idType: design.trial.idType, linkColumn: design.trial.linkColumn,
                  pseudonymizer: pseudonymizer, source: source)
    }

    /// Whether a pseudonymisation key is needed (an identifier or the link column is a national number).
    public var needsKey: Bool { idType == .insz || linkColumn != nil }

    /// Checks the header: the identifier (and link) column must be there.
    public func checkHeader(_ header: [String]) throws {
        for (what, column) in [("identifier column (trial.id_column)", idColumn), ("link column (trial.link_column)", linkColumn)] {
            if let column, !header.contains(column) {
                throw AssignmentError.invalidCohort("\(source): the \(what) \"\(column)\" is not in the header; the columns are: "
                    + header.joined(separator: ", "))
            }
        }
    }

    public func units(_ rows: [CohortRow]) throws -> [CohortUnit] {
        var firstLine: [String: Int] = [:]
        var out: [CohortUnit] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            let unit = try unit(row)
            try refuseDuplicate(unit, line: row.line, &firstLine)
            out.append(unit)
        }
        return out
    }

    /// Refuses a family listed twice (naming both lines), else notes its line.
    func refuseDuplicate(_ unit: CohortUnit, line: Int, _ firstLine: inout [String: Int]) throws {
        if let earlier = firstLine[unit.id] {
            let shown = idType == .insz ? "the same national number" : "\"\(unit.id)\""
            throw AssignmentError.invalidCohort("\(source):\(line): duplicate identifier: \(idColumn) \(shown) "
                + "already appears on line \(earlier); every family is listed once")
        }
        firstLine[unit.id] = line
    }

    /// The cohort's usable rows as units, and the rows left out because their identifier cannot be used
    /// (an empty identifier, an invalid national number in the identifier or link column), each with
    /// its line and reason: a protocol leaves such intake records out and reports them. Other problems
    /// (a duplicate identifier, a national number in another column, no key) still stop the intake, and
    /// so does a cohort in which most rows are unusable (a wrong column or file, not a few bad records).
    public func usableUnits(_ rows: [CohortRow]) throws -> (units: [CohortUnit], unusable: [UnusableIntakeRow]) {
        var firstLine: [String: Int] = [:]
        var out: [CohortUnit] = []
        var unusable: [(UnusableIntakeRow, String)] = []
        for row in rows {
            let unit: CohortUnit
            do { unit = try checkedUnit(row) } catch let u as Unusable {
                unusable.append((UnusableIntakeRow(line: row.line, column: u.column, problem: u.problem), u.message))
                continue
            }
            try refuseDuplicate(unit, line: row.line, &firstLine)
            out.append(unit)
        }
        if let first = unusable.first, unusable.count * 2 > rows.count {
            throw AssignmentError.invalidCohort(first.1 + " (and \(unusable.count - 1) more of the \(rows.count) rows: check the column "
                + "and the file)")
        }
        return (out, unusable.map(\.0))
    }

    /// An identifier that cannot be used: the row is left out by `usableUnits`, refused by `unit`.
    struct Unusable: Error {
        var column: String
        var problem: String
        var message: String
    }

    public func unit(_ row: CohortRow) throws -> CohortUnit {
        do { return try checkedUnit(row) } catch let u as Unusable { throw AssignmentError.invalidCohort(u.message) }
    }

    func checkedUnit(_ row: CohortRow) throws -> CohortUnit {
        let raw = (row.fields[idColumn] ?? "").trimmingCharacters(in: .whitespaces)
        guard !raw.isEmpty else {
            throw Unusable(column: idColumn, problem: "missing identifier",
                           message: "\(source):\(row.line): missing identifier: the \(idColumn) cell is empty; "
                + "every family needs an identifier")
        }
        let id = idType == .insz ? try pseudonymise(raw, column: idColumn, line: row.line) : raw
        var linkKey: String?
        if let linkColumn {
            let link = (row.fields[linkColumn] ?? "").trimmingCharacters(in: .whitespaces)
            if !link.isEmpty { linkKey = try pseudonymise(link, column: linkColumn, line: row.line) }
        }
        if idType != .insz, looksLikeNationalNumber(raw) {
            throw AssignmentError.invalidCohort("\(source):\(row.line): the identifier column \(idColumn) holds a national number, "
                + "which must never be stored or printed; declare trial.id_type: insz (it is then pseudonymised) or use study codes")
        }
        var attributes = row.fields
        attributes[idColumn] = nil
        if let linkColumn { attributes[linkColumn] = nil }
        if refusesNationalNumbersInAttributes,
           let column = attributes.keys.sorted().first(where: { looksLikeNationalNumber(attributes[$0]!) }) {
            throw AssignmentError.invalidCohort("\(source):\(row.line): column \(column) holds a national number, which would be "
                + "stored as is; only trial.id_column (id_type: insz) and trial.link_column are pseudonymised. Declare the "
                + "column as the link column or remove it from the cohort")
        }
        return CohortUnit(id: id, linkKey: linkKey, line: row.line, attributes: attributes)
    }

    /// Eleven digits (separators `.`, `-`, space allowed) with valid check digits.
    private func looksLikeNationalNumber(_ text: String) -> Bool {
        let digits = text.filter { !($0 == "." || $0 == "-" || $0 == " ") }
        return digits.count == 11 && digits.allSatisfy { $0.isASCII && $0.isNumber } && NationalNumber.isValid(digits)
    }

    private func pseudonymise(_ text: String, column: String, line: Int) throws -> String {
        guard let pseudonymizer else {
            throw AssignmentError.invalidCohort("\(source): column \(column) holds national numbers, which are pseudonymised "
                + "on entry; the design needs a pseudonymisation key (key_env or key_file)")
        }
        do {
            return pseudonymizer.pseudonym(for: try NationalNumber(text))
        } catch let error as NationalNumber.ValidationError {
            throw Unusable(column: column, problem: "not a valid national number",
                           message: "\(source):\(line): column \(column): not a valid national number: \(error); "
                + "correct it at the source (the number itself is not shown)")
        }
    }
}

extension String {
    func trimmingCharacters(in _: WhitespaceKind) -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}

enum WhitespaceKind { case whitespaces }
