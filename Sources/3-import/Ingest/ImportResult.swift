import TrialData

/// The outcome of importing one source file: the accepted values, every rejected row, the row
/// accounting and a fingerprint of the file. Plain values, ready to be stored by the trial store.
///
/// Row accounting: `rowsRead == accepted + rejected` always (blank lines and the header are not rows).
/// For `ocmw_aid`, a correction (a later decision with the same participant, kind and start date)
/// replaces the earlier decision: both rows count as accepted, `corrections` counts the replaced ones,
/// and `registryRecords.count == accepted − corrections − voided` (voided: rows whose status column says
/// they do not count; both are in `setAside`).
public struct ImportResult: Sendable, Codable, Equatable {
    public var source: String
    /// The file as given (relative to the design's folder when imported through a design).
    public var file: String
    /// SHA-256 of the file's bytes, lowercase hexadecimal.
    public var fingerprint: String
    /// The fingerprint of the pseudonymisation key used (never the key), when national numbers were
    /// pseudonymised.
    public var keyFingerprint: String?
    public var registryRecords: [RegistryRecord]
    public var surveyResponses: [SurveyResponse]
    public var rejections: [Rejection]
    public var rowsRead: Int
    public var accepted: Int
    public var rejected: Int
    public var corrections: Int
    /// Accepted rows whose status says they do not count.
    public var voided: Int = 0
    /// The rows set aside (voided, superseded), for the store and `rct explain`.
    public var setAside: [SetAsideRow] = []
    public var merge: MergeReport
    /// SPSS and Stata files: the values the file itself declares missing (user-defined missing values,
    /// `.a`–`.z`), by column and value, with their labels; they were read as missing. Empty for text.
    public var declaredMissing: [DeclaredMissing] = []

    /// Rejections per reason.
    public var rejectionCounts: [RejectionReason: Int] {
        rejections.reduce(into: [:]) { $0[$1.reason, default: 0] += 1 }
    }
}

/// How the file's participants match the trial's.
public struct MergeReport: Sendable, Codable, Equatable {
    /// Known participants (when given) with no accepted row in this file, sorted.
    public var participantsWithoutRecords: [String]
    /// Distinct participants of rows that were rejected as unknown participants, sorted; when no
    /// participants were given, empty.
    public var recordsWithoutParticipant: [String]
    /// Rows rejected as unknown participants.
    public var rowsWithoutParticipant: Int
    /// Distinct participants among the accepted rows.
    public var participantsWithRecords: Int
    /// Whether known participants were given (otherwise the first two lists are empty by construction).
    public var checked: Bool
}
