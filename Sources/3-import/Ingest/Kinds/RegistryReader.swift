import TrialData
import TrialDesign

/// The reader of a registry kind imported into the trial store: one row becomes one record's values
/// (`PendingRecord`; the importer adds the participant, source and line).
protocol RegistryReader: SourceReader where Value == PendingRecord {
    /// How a later record of the kind corrects an earlier one, if the kind has corrections.
    var correction: CorrectionRule? { get }
}

extension RegistryReader {
    var correction: CorrectionRule? { nil }
}

/// How corrections of a kind are recognised: records with the same key are one decision, and `replaces`
/// says whether the later one (in file order) takes the earlier one's place.
struct CorrectionRule: Sendable {
    /// What makes records one decision: the participant, one coded field's value and one day. Its strings
    /// are the record's own (no text is made per record: a source's keys are all held until the file ends).
    struct Key: Hashable {
        var participant: String
        var value: String
        var day: Int
    }

    var key: @Sendable (RegistryRecord) -> Key
    var replaces: @Sendable (_ later: RegistryRecord, _ earlier: RegistryRecord) -> Bool
}

extension SourceKind {
    /// The reader of a registry kind, nil for surveys and for the kinds the run step reads itself
    /// (cohort, assignment list, take-up register: see `CohortReader`, `AssignmentListReader`,
    /// `TakeUpReader`).
    var registryReader: (any RegistryReader)? {
        switch self {
        case .ocmwLeefloon: return LeefloonReader()
        case .ocmwAid: return AidDecisionReader()
        case .federalStatements: return FederalStatementReader()
        case .vdabStatus: return VDABStatusReader()
        case .kszPosition: return KSZPositionReader()
        case .scopeExit: return ScopeExitReader()
        case .spells: return SpellReader()
        case .payments: return PaymentReader()
        case .events: return EventReader()
        case .survey, .cohort, .assignment, .takeUp: return nil
        }
    }

    /// The canonical fields of a kind imported into the store (surveys: the interview date; their
    /// answers are the other columns).
    var extractFields: [SourceField] {
        if self == .survey { return SurveyReader.fields }
        return registryReader.map { type(of: $0).fields } ?? []
    }
}
