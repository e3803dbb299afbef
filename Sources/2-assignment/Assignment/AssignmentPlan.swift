import Basics
import TrialDesign

/// A strata column and its allowed levels (empty: every level found in the cohort).
public struct StratumColumn: Sendable, Equatable {
    public var column: String
    public var levels: [String]
    public init(column: String, levels: [String] = []) {
        self.column = column
        self.levels = levels
    }
}

/// Everything an assignment run needs from a design, as one plain value. Built from a design, or for a
/// quick draw without a design (`rct assign --cohort … --seed …`).
public struct AssignmentPlan: Sendable {
    public var method: RandomisationMethod
    public var allocation: Allocation
    public var seed: UInt64
    /// Strata columns with their allowed levels (empty list: every level found).
    public var strata: [StratumColumn]
    public var clusterColumn: String?
    public var blockSizes: [Int]
    public var minimisationFactors: [String]
    public var followProbability: Double?
    public var capacity: Capacity?
    public var eligibility: Eligibility
    /// The column with each unit's enrolment (assignment) date; nil for a quick draw without dates.
    public var dateColumn: String?
    /// The generator's name, written next to the seed.
    public var generatorName: String { "mt19937" }

    public init(design: Design) {
        method = design.randomisation.method
        allocation = Allocation(design: design)
        seed = design.randomisation.seed
        strata = design.strata.map { StratumColumn(column: $0.column, levels: $0.levels) }
        clusterColumn = design.randomisation.clusterColumn
        blockSizes = design.randomisation.blockSizes
        minimisationFactors = design.randomisation.minimisationFactors
        followProbability = design.randomisation.followProbability
        capacity = design.capacity
        eligibility = Eligibility(rules: design.eligibility)
        dateColumn = design.trial.enrolmentDateColumn
    }

    public init(method: RandomisationMethod, allocation: Allocation, seed: UInt64, strata: [StratumColumn] = [],
                clusterColumn: String? = nil, blockSizes: [Int] = [], minimisationFactors: [String] = [],
                followProbability: Double? = nil, capacity: Capacity? = nil, eligibility: Eligibility = Eligibility(rules: []),
                dateColumn: String? = nil) {
        self.method = method
        self.allocation = allocation
        self.seed = seed
        self.strata = strata
        self.clusterColumn = clusterColumn
        self.blockSizes = blockSizes
        self.minimisationFactors = minimisationFactors
        self.followProbability = followProbability
        self.capacity = capacity
        self.eligibility = eligibility
        self.dateColumn = dateColumn
    }

    /// Rolling methods assign one family at a time as it is enrolled; the others randomise a cohort at once.
    public var isRolling: Bool { method == .permutedBlocks || method == .minimisation }

    /// The cohort columns the plan reads, for a header check.
    public var requiredColumns: [(column: String, purpose: String)] {
        var out = strata.map { ($0.column, "stratum") }
        if let c = clusterColumn { out.append((c, "randomisation.cluster_column")) }
        out += minimisationFactors.map { ($0, "randomisation.minimisation_factors") }
        if let d = dateColumn { out.append((d, "trial.enrolment_date_column")) }
        return out
    }

    public func checkHeader(_ header: [String], source: String) throws {
        try eligibility.checkHeader(header, source: source)
        if let (column, purpose) = requiredColumns.first(where: { !header.contains($0.column) }) {
            throw AssignmentError.invalidCohort("\(source): the column \"\(column)\" (\(purpose)) is not in the header; "
                + "the columns are: \(header.joined(separator: ", "))")
        }
    }

    /// The unit's stratum: the values of the strata columns joined by `|`, nil without strata. A value
    /// outside a stratum's declared levels is an input error naming the line.
    public func stratum(of unit: CohortUnit, source: String) throws -> String? {
        guard !strata.isEmpty else { return nil }
        return try strata.map { s -> String in
            let value = (unit.attributes[s.column] ?? "").trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                throw AssignmentError.invalidCohort("\(source):\(unit.line): the stratum column \(s.column) is empty; "
                    + "every randomised family needs a stratum")
            }
            if !s.levels.isEmpty && !s.levels.contains(value) {
                throw AssignmentError.invalidCohort("\(source):\(unit.line): column \(s.column): \"\(value)\" is not one of the "
                    + "design's levels: \(s.levels.joined(separator: ", "))")
            }
            return value
        }.joined(separator: "|")
    }

    /// The unit's enrolment date, required when the plan has a date column.
    public func enrolmentDate(of unit: CohortUnit, source: String) throws -> CalendarDate? {
        guard let dateColumn else { return nil }
        let text = (unit.attributes[dateColumn] ?? "").trimmingCharacters(in: .whitespaces)
        guard let date = CalendarDate(iso: text) else {
            throw AssignmentError.invalidCohort("\(source):\(unit.line): column \(dateColumn): "
                + (text.isEmpty ? "the enrolment date is empty" : "\"\(text)\" is not a date")
                + "; every randomised family needs its enrolment date as YYYY-MM-DD")
        }
        return date
    }
}
