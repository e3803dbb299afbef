import Basics

// Rows of the inputs the assignment step reads (a cohort, a list of assignments made elsewhere), as
// read at the edge by their readers in Ingest and checked by Assignment.

/// One row of a cohort file as read at the edge: the 1-based line it starts on and its cells by column.
/// It may still hold real national numbers; it lives in memory only until `CohortIntake` has replaced them.
public struct CohortRow: Sendable {
    public var line: Int
    public var fields: [String: String]

    public init(line: Int, fields: [String: String]) {
        self.line = line
        self.fields = fields
    }
}

/// A cohort row left out because its identifier or a date cannot be used (a missing identifier, an
/// invalid national number, a date that does not exist): it is reported with its line and reason and
/// counted in the CONSORT flow, and the rest of the cohort goes on. The reason never shows a national number.
public struct UnusableIntakeRow: Sendable, Equatable {
    /// The rule and the reason the screening records for such a row (CONSORT's exclusion line).
    public static let rule = "unusable_intake_record"
    public static let reason = "unusable intake record"

    public var line: Int
    /// The column at fault.
    public var column: String
    /// What is wrong, for the report (`not a valid national number`, `"2018-02-30" is not a date …`).
    public var problem: String

    public init(line: Int, column: String, problem: String) {
        self.line = line
        self.column = column
        self.problem = problem
    }

    /// `line 17 (column insz: not a valid national number)`.
    public var shown: String { "line \(line) (column \(column): \(problem))" }

    /// The report's lines for rows left out of `source`, or none.
    public static func report(_ rows: [UnusableIntakeRow], source: String) -> [String] {
        guard !rows.isEmpty else { return [] }
        let listed = rows.prefix(20).map(\.shown).joined(separator: "; ") + (rows.count > 20 ? "; …" : "")
        return ["left out \(rows.count) row\(rows.count == 1 ? "" : "s") of \(source) whose identifier or date cannot be used "
            + "(\(reason), counted in the CONSORT flow): \(listed); correct \(rows.count == 1 ? "it" : "them") at the source and "
            + "screen again to include \(rows.count == 1 ? "it" : "them")"]
    }
}

/// One row of an assignment list made elsewhere (the city or funder drew it with another tool, or by hand),
/// as read at the edge: cells already parsed in the source's dialect, arm labels mapped through the
/// source's `codes`, national numbers already replaced by pseudonyms.
public struct ExternalAssignmentRow: Sendable, Equatable {
    /// The line of the file the row starts on.
    public var line: Int
    /// The family as the store knows it: the study code, or the pseudonym of a national number.
    public var unitID: String
    /// How messages name the family (never a national number).
    public var shown: String
    /// The arm after the `codes: { arm: … }` mapping (the cell itself when no mapping applies).
    public var arm: String
    /// The arm cell as written in the file.
    public var armCell: String
    public var assignedOn: CalendarDate
    public var stratum: String?
    public var block: String?
    public var cluster: String?
    /// The probability of the family's own arm, when the file has a `probability` column.
    public var probability: Double?
    /// Per-arm probability columns (`probability_<arm>`): arm id → probability; empty when absent.
    public var armProbabilities: [String: Double]

    public init(line: Int, unitID: String, shown: String? = nil, arm: String, armCell: String? = nil,
                assignedOn: CalendarDate, stratum: String? = nil, block: String? = nil, cluster: String? = nil,
                probability: Double? = nil, armProbabilities: [String: Double] = [:]) {
        self.line = line
        self.unitID = unitID
        self.shown = shown ?? unitID
        self.arm = arm
        self.armCell = armCell ?? arm
        self.assignedOn = assignedOn
        self.stratum = stratum
        self.block = block
        self.cluster = cluster
        self.probability = probability
        self.armProbabilities = armProbabilities
    }
}

/// One row of an assignment list at the cluster level (`level: cluster`): a cluster of a
/// cluster-randomised trial (a caseworker, a school) with its arm, optionally its stratum and the
/// probability of its arm. Its units (the families of the cohort whose cluster column names it) inherit
/// the arm, each from its own enrolment date.
public struct ClusterAssignmentRow: Sendable, Equatable {
    public var line: Int
    /// The cluster as the cohort's cluster column writes it.
    public var cluster: String
    /// The arm after the `codes: { arm: … }` mapping.
    public var arm: String
    /// The arm cell as written in the file.
    public var armCell: String
    public var stratum: String?
    /// The probability of the cluster's own arm, when the file gives it.
    public var probability: Double?

    public init(line: Int, cluster: String, arm: String, armCell: String? = nil, stratum: String? = nil, probability: Double? = nil) {
        self.line = line
        self.cluster = cluster
        self.arm = arm
        self.armCell = armCell ?? arm
        self.stratum = stratum
        self.probability = probability
    }
}

/// One problem of one row: fatal, the list is not imported.
public struct ExternalAssignmentProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// `FILE:LINE: what is wrong; what to do`.
    public var message: String
    public var description: String { message }

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}
