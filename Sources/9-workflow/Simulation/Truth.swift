/// What the simulator planted, written to `truth.json` so tests and users can check that the pipeline
/// recovers it.
public struct Truth: Codable, Sendable, Equatable {
    public var generator: String
    public var seed: UInt64
    public var design: String
    public var familiesScreened: Int
    public var eligible: Int
    /// Randomised families per arm.
    public var randomised: [String: Int]
    public var effects: [PlantedEffect]
    public var plantedErrors: [PlantedError]
    /// Rows written per file (data rows, not the header).
    public var rows: [String: Int]
    /// Correction rows written per file (`ocmw_aid`: a later decision replacing an earlier one).
    public var corrections: [String: Int]
    public var note: String
}

/// One planted effect: the probability (binary outcomes) or mean shift (scores) by arm in a window.
public struct PlantedEffect: Codable, Sendable, Equatable {
    public var outcome: String
    /// `share` (probability of any record in the window), `mean` (score on a 1–5 item) or `response`.
    public var measure: String
    public var window: String
    public var control: Double
    public var intervention: Double
    /// How the planted parameter relates to the outcome as the design derives it.
    public var note: String?

    public init(outcome: String, measure: String, window: String, control: Double, intervention: Double, note: String? = nil) {
        self.outcome = outcome
        self.measure = measure
        self.window = window
        self.control = control
        self.intervention = intervention
        self.note = note
    }
}

/// A deliberately wrong row, as real extracts have them, and the rejection reason an import must give.
public struct PlantedError: Codable, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var reason: String
    /// Whether the rejection needs the list of known participants (unknown participants).
    public var needsKnownParticipants: Bool
}
