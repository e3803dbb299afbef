import Basics

// The plain values that flow between the steps of the pipeline (see docs/architecture.md):
// assignment → `AssignedUnit`; import → `RegistryRecord`, `SurveyResponse`, `ScopeExit`; the panel reads
// all of them. No value here ever holds a real national number: identifiers are study codes or keyed
// pseudonyms (`P` followed by 32 hexadecimal characters, see `Identifiers.Pseudonymizer`).

/// One randomised unit (a family) as the panel and the estimators see it.
public struct AssignedUnit: Sendable, Equatable, Codable {
    /// The study identifier (a code, or the pseudonym of a national number).
    public var id: String
    /// The pseudonym through which registry records link (the reference parent's national number,
    /// pseudonymised); nil when registry sources link on `id` itself.
    public var linkKey: String?
    /// The arm id from the design.
    public var arm: String
    /// The day the unit was assigned: every follow-up window counts from here.
    public var assignedOn: CalendarDate
    /// The stratum (combination of the design's strata columns, joined with `|`), if any.
    public var stratum: String?
    /// The permuted block or randomisation block label, if any.
    public var block: String?
    /// The cluster, for clustered designs.
    public var cluster: String?
    /// The probability with which this unit was assigned to the arm it received.
    public var probability: Double
    /// Non-identifying cohort columns carried into the panel (covariates, subgroups, take-up).
    public var attributes: [String: String]

    public init(id: String, linkKey: String? = nil, arm: String, assignedOn: CalendarDate, stratum: String? = nil,
                block: String? = nil, cluster: String? = nil, probability: Double, attributes: [String: String] = [:]) {
        self.id = id
        self.linkKey = linkKey
        self.arm = arm
        self.assignedOn = assignedOn
        self.stratum = stratum
        self.block = block
        self.cluster = cluster
        self.probability = probability
        self.attributes = attributes
    }

    /// The key registry records carry for this unit: `linkKey` when set, otherwise `id`.
    public var registryKey: String { linkKey ?? id }
}

/// One accepted row of a registry extract (OCMW, VDAB, federal statements, KSZ), after its dialect was
/// read, its fields mapped to canonical names and its identifier pseudonymised.
///
/// Every record covers a span of days: a monthly status or payment covers its whole month (`start` the
/// 1st, `end` the last day), a decision covers its effective period, a quarterly position its quarter.
/// `end` is nil for a decision that is still open.
public struct RegistryRecord: Sendable, Equatable, Codable {
    /// The design's source id (e.g. `leefloon`, `ocmw_aid`, `vdab`).
    public var source: String
    /// The pseudonym or code the record links on (compare with `AssignedUnit.registryKey`).
    public var participant: String
    /// The 1-based line of the file the record came from.
    public var line: Int
    /// The first day covered. Stored as its day number (`startDay`): a record is read millions of times
    /// in a panel, and 8 bytes instead of a three-field date keep the record at 72 bytes instead of 112.
    public var start: CalendarDate {
        get { CalendarDate(dayNumber: startDay) }
        set { startDay = newValue.dayNumber }
    }
    /// The last day covered; nil for a decision that is still open. Stored as `endDay`.
    public var end: CalendarDate? {
        get { endDay.map { CalendarDate(dayNumber: $0) } }
        set { storedEndDay = newValue.map(\.dayNumber) ?? Self.openEnd }
    }
    /// `start.dayNumber` (days since 1970-01-01), without building the date.
    public private(set) var startDay: Int
    /// `end?.dayNumber`, without building the date.
    public var endDay: Int? { storedEndDay == Self.openEnd ? nil : storedEndDay }
    /// The end's day number, `openEnd` when open (an optional would take another 8 bytes with padding).
    private var storedEndDay: Int
    /// No date has this day number: its year would be about −2.5 × 10¹⁶, where `dayNumber` overflows.
    private static let openEnd = Int.min
    /// Canonical coded fields, e.g. `kind` (`supplementary_one_off`, `medical_card`, `art60`, …),
    /// `category` (leefloon category or VDAB category code), `placement` (`training`, `trajectory`, …),
    /// `amount_type`. A small map (see `FieldMap`): a record has a handful of fields.
    public var attributes: FieldMap<String>
    /// Canonical numeric fields, e.g. `amount` in euro (signed; cents already divided by 100).
    public var numbers: FieldMap<Double>

    public init(source: String, participant: String, line: Int, start: CalendarDate, end: CalendarDate?,
                attributes: FieldMap<String> = [:], numbers: FieldMap<Double> = [:]) {
        self.source = source
        self.participant = participant
        self.line = line
        self.startDay = start.dayNumber
        self.storedEndDay = end.map(\.dayNumber) ?? Self.openEnd
        self.attributes = attributes
        self.numbers = numbers
    }

    /// The same record from day numbers (`CalendarDate.dayNumber`; `endDay` nil when open), for readers
    /// that compute them directly.
    public init(source: String, participant: String, line: Int, startDay: Int, endDay: Int?,
                attributes: FieldMap<String> = [:], numbers: FieldMap<Double> = [:]) {
        precondition(endDay != Self.openEnd, "RegistryRecord: \(Int.min) is not a day number")
        self.source = source
        self.participant = participant
        self.line = line
        self.startDay = startDay
        self.storedEndDay = endDay ?? Self.openEnd
        self.attributes = attributes
        self.numbers = numbers
    }

    /// The same record from dictionaries (e.g. decoded from JSON). Disfavoured, so that dictionary literals
    /// at call sites build a `FieldMap` directly rather than a `Dictionary` first.
    @_disfavoredOverload
    public init(source: String, participant: String, line: Int, start: CalendarDate, end: CalendarDate?,
                attributes: [String: String], numbers: [String: Double] = [:]) {
        self.init(source: source, participant: participant, line: line, start: start, end: end,
                  attributes: FieldMap(attributes), numbers: FieldMap(numbers))
    }

    /// Whether the record covers any day of [from, to] (inclusive). An open record covers every day from
    /// its start on.
    public func overlaps(from: CalendarDate, to: CalendarDate) -> Bool {
        startDay <= to.dayNumber && (endDay.map { $0 >= from.dayNumber } ?? true)
    }

    // Coded as before the dates were stored as day numbers: `start` and `end` (omitted when open) as dates.
    private enum CodingKeys: String, CodingKey {
        case source, participant, line, start, end, attributes, numbers
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(source: try c.decode(String.self, forKey: .source),
                  participant: try c.decode(String.self, forKey: .participant),
                  line: try c.decode(Int.self, forKey: .line),
                  start: try c.decode(CalendarDate.self, forKey: .start),
                  end: try c.decodeIfPresent(CalendarDate.self, forKey: .end),
                  attributes: try c.decode(FieldMap<String>.self, forKey: .attributes),
                  numbers: try c.decode(FieldMap<Double>.self, forKey: .numbers))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(participant, forKey: .participant)
        try c.encode(line, forKey: .line)
        try c.encode(start, forKey: .start)
        try c.encodeIfPresent(end, forKey: .end)
        try c.encode(attributes, forKey: .attributes)
        try c.encode(numbers, forKey: .numbers)
    }
}

/// One interview of a survey wave. Answers are numeric; the survey tool's missing codes (−9,
/// "weet niet", …) were mapped to missing on import, and a missing answer is absent from `answers`.
public struct SurveyResponse: Sendable, Equatable, Codable {
    public var source: String
    public var wave: String
    /// The unit's study identifier (`AssignedUnit.id`).
    public var participant: String
    public var line: Int
    public var interviewDate: CalendarDate?
    public var answers: [String: Double]

    public init(source: String, wave: String, participant: String, line: Int, interviewDate: CalendarDate?,
                answers: [String: Double]) {
        self.source = source
        self.wave = wave
        self.participant = participant
        self.line = line
        self.interviewDate = interviewDate
        self.answers = answers
    }
}

/// A unit that left a registry's scope (moved out of the municipality, died): its registry outcomes are
/// censored from `date` on rather than counted as zero.
public struct ScopeExit: Sendable, Equatable, Codable {
    /// The unit's study identifier (`AssignedUnit.id`).
    public var participant: String
    public var date: CalendarDate
    /// e.g. `moved`, `died`.
    public var reason: String

    public init(participant: String, date: CalendarDate, reason: String) {
        self.participant = participant
        self.date = date
        self.reason = reason
    }
}
