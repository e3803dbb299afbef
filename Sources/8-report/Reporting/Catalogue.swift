/// The languages a report is written in (the design's `publication.language`).
public enum ReportLanguage: String, Sendable, Equatable, Codable, CaseIterable {
    case en, nl, fr

    /// The catalogue of this language's texts.
    public var catalogue: Catalogue {
        switch self {
        case .en: return .english
        case .nl: return .dutch
        case .fr: return .french
        }
    }
}

/// Every text of the report, its tables and its figures that is the framework's own (headings, column
/// names, notes, figure labels), in one language, with the language's number style. One value per
/// language (`Catalogue+English.swift`, `Catalogue+Dutch.swift`); the fields are named, so a language
/// that misses a text does not compile. The labels of outcomes, families, waves and arms are the
/// design's and are not translated here. CSV files never use a catalogue.
///
/// Parameterised texts are functions of the values they name; numbers reach them already written in the
/// catalogue's `numbers` style.
public struct Catalogue: Sendable {
    /// The `lang` attribute of the HTML document.
    public let htmlLanguage: String
    /// How numbers are written (decimal point or comma).
    public let numbers: NumberStyle
    /// Joins the last two items of a list ("A, B and C").
    public let and: String

    // MARK: Report sections
    public let effectsAfter: @Sendable (_ waves: String) -> String
    public let summary: String
    public let summaryIntro: String
    public let prespecified: String
    public let planChanges: String
    public let noAmendments: String
    public let amendmentsIntro: String
    public let noDeviations: String
    public let deviationsIntro: String
    public let participantFlow: String
    public let baselineBalance: String
    public let familiesHeading: String
    public let clustersHeading: @Sendable (_ cluster: String) -> String
    public let clusterBalanceNote: @Sendable (_ cluster: String, _ counts: String) -> String
    public let clusterCounts: @Sendable (_ control: String, _ intervention: String) -> String
    public let covariate: String
    public let standardizedDifference: String
    public let followUp: String
    public let wave: String
    public let controlResponded: String
    public let interventionResponded: String
    public let differentialAttrition: String
    public let leeBounds: String
    public let countOf: @Sendable (_ part: String, _ whole: String) -> String
    public let effects: String
    public let forestPlot: String
    public let subgroups: String
    public let sensitivity: String
    public let reproducibility: String
    public let software: String
    public let design: String
    public let data: String
    public let generatedOn: String
    public let suppressionRule: @Sendable (_ threshold: Int) -> String
    /// The secondary suppression, after `suppressionRule`.
    public let secondarySuppression: String
    /// The CONSORT diagram's words.
    public let consort: ConsortLabels
    /// The sentences of the analysis (pre-specified choices, deviations, test names, provenance).
    public let methods: MethodTexts

    // MARK: Effect tables
    public let outcome: String
    public let better: String
    public let higherIsBetter: String
    public let lowerIsBetter: String
    public let controlMean: String
    public let interventionMean: String
    public let differenceOfMeans: String
    public let adjustedEffect: String
    public let confidenceInterval: @Sendable (_ level: String) -> String
    public let p: String
    public let randomizationP: String
    /// The column of the family's adjusted p or q-value, by the design's `correction`.
    public let adjustedColumn: @Sendable (_ method: String) -> String
    public let relativeEffect: String
    public let n: String
    public let clusters: String
    public let treatmentReceivedRow: String
    public let suppressed: String
    /// A count suppressed so that a small one cannot be worked out (secondary suppression).
    public let notShown: String
    /// The estimator's name for the effect note, by the design's `analysis.estimator`.
    public let estimatorName: @Sendable (_ estimator: String) -> String?
    /// What the adjusted effect is: the estimator, the adjustment covariates (labels, already joined)
    /// and whether strata were absorbed.
    public let effectNote: @Sendable (_ estimator: String?, _ covariates: String?, _ strata: Bool, _ level: String) -> String
    public let differenceNote: String
    public let randomizationNote: String
    public let adjustedNote: @Sendable (_ method: String) -> String
    public let relativeNote: String
    public let nNote: String
    public let betterNote: String
    public let clustersNote: String
    public let primaryNote: String
    public let takeUpNote: String
    public let suppressedNote: @Sendable (_ threshold: Int) -> String

    // MARK: Summary sentences
    /// "Receives the leefloon, six months: 45.0% with the intervention, 40.0% without"-style opening.
    public let summaryMeans: @Sendable (_ outcome: String, _ wave: String, _ intervention: String, _ control: String) -> String
    public let summaryEffect: @Sendable (_ effect: String, _ level: String, _ low: String, _ high: String, _ pStatement: String) -> String
    public let summaryFavoursIntervention: String
    public let summaryFavoursControl: String
    public let summaryNoDirection: String
    public let summaryIncludesZero: String
    public let summaryExcludesZero: String
    public let summarySuppressed: String

    // MARK: Figures
    public let forestTitle: @Sendable (_ level: String) -> String
    public let forestAria: String
    public let favoursIntervention: String
    public let directionUnstated: String
    public let lowerWithIntervention: String
    public let higherWithIntervention: String
    public let notStandardizable: String
    public let meansTitle: @Sendable (_ level: String) -> String
    public let meansAria: @Sendable (_ family: String) -> String
    public let baselinePoint: String
    public let controlGroup: String
    public let interventionGroup: String

    // MARK: Subgroups and sensitivity
    public let subgroup: String
    public let level: String
    public let nControl: String
    public let nIntervention: String
    public let effectSE: String
    public let interactionP: String
    public let subgroupNote: String
    public let sensitivityNote: String
    public let notEstimable: String
}
