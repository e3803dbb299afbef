import TrialData
import TrialDesign

/// Screening counts, given by hand until the trial store records screening: how many units were
/// screened and how many were excluded for each eligibility rule (keyed by the rule's `id` or its
/// `reason` text).
public struct Screening: Sendable, Equatable, Codable {
    public var screened: Int
    public var excluded: [String: Int]

    public init(screened: Int, excluded: [String: Int] = [:]) {
        self.screened = screened
        self.excluded = excluded
    }
}

/// The numbers of a CONSORT flow diagram (Schulz, Altman & Moher 2010): enrolment, allocation,
/// follow-up and analysis, per arm and wave.
public struct ConsortCounts: Sendable, Equatable, Codable {
    public struct Exclusion: Sendable, Equatable, Codable {
        public var rule: String
        public var reason: String
        public var count: Int
    }

    public struct TakeUpCounts: Sendable, Equatable, Codable {
        public var received: Int
        public var notReceived: Int
        public var unknown: Int
    }

    public struct ArmWave: Sendable, Equatable, Codable {
        public var arm: String
        public var allocated: Int
        /// Interviewed in the wave's window, or outside it and kept.
        public var followedUp: Int
        public var lostNoResponse: Int
        public var lostOutsideWindow: Int
        /// Units with at least one registry outcome censored at this wave (left the registry's scope).
        public var registryCensored: Int
        /// Units with a value for at least one outcome of the wave.
        public var analysed: Int
        /// Outcome id → units with a value.
        public var analysedByOutcome: [String: Int]
    }

    public struct WaveCounts: Sendable, Equatable, Codable {
        public var wave: String
        public var arms: [ArmWave]
    }

    /// nil when no screening counts were given.
    public var screened: Int?
    public var excluded: [Exclusion]
    /// screened − excluded, when screening counts were given.
    public var eligible: Int?
    /// eligible − randomised (e.g. enrolment paused because the arm was full), when known.
    public var eligibleNotRandomised: Int?
    public var randomised: Int
    /// Arm id → number allocated.
    public var allocated: [String: Int]
    /// Arm id → received the intervention (nil when the design has no `analysis.take_up`).
    public var takeUp: [String: TakeUpCounts]?
    public var waves: [WaveCounts]
}

extension ConsortCounts {
    /// Builds the enrolment part from the screening counts; the exclusion reasons must be the design's.
    static func enrolment(design: Design, screening: Screening?, randomised: Int) throws
        -> (screened: Int?, excluded: [Exclusion], eligible: Int?, notRandomised: Int?) {
        guard let screening else { return (nil, [], nil, nil) }
        var remaining = screening.excluded
        var excluded: [Exclusion] = []
        for rule in design.eligibility {
            let byID = remaining.removeValue(forKey: rule.id) ?? 0
            let byReason = remaining.removeValue(forKey: rule.reason) ?? 0
            excluded.append(Exclusion(rule: rule.id, reason: rule.reason, count: byID + byReason))
        }
        // Cohort rows left out because their identifier or date cannot be used (`UnusableIntakeRow`).
        let unusable = (remaining.removeValue(forKey: UnusableIntakeRow.rule) ?? 0) + (remaining.removeValue(forKey: UnusableIntakeRow.reason) ?? 0)
        if unusable > 0 {
            excluded.append(Exclusion(rule: UnusableIntakeRow.rule, reason: "not analysable: \(UnusableIntakeRow.reason)", count: unusable))
        }
        if let unknown = remaining.keys.sorted().first {
            throw PanelError.unknownExclusionReason(unknown, known: design.eligibility.map(\.id))
        }
        if let negative = excluded.first(where: { $0.count < 0 }) {
            throw PanelError.inconsistentScreening("exclusion count for \(negative.rule) is negative (\(negative.count))")
        }
        let totalExcluded = excluded.reduce(0) { $0 + $1.count }
        let eligible = screening.screened - totalExcluded
        if eligible < randomised {
            throw PanelError.inconsistentScreening(
                "\(screening.screened) screened minus \(totalExcluded) excluded leaves \(eligible) eligible, "
                + "fewer than the \(randomised) randomised; check the screening counts")
        }
        return (screening.screened, excluded, eligible, eligible - randomised)
    }
}
