/// Everything the HTML report shows, as plain values. The command line fills it from the design, the
/// trial store and the estimators.

/// One baseline covariate by arm, with the standardized difference (difference in means over the pooled
/// SD, √((s²_c + s²_t)/2)).
public struct BalanceRow: Sendable, Equatable, Codable {
    public var label: String
    public var control: ArmSummary
    public var intervention: ArmSummary
    public var standardizedDifference: Double
    public init(label: String, control: ArmSummary, intervention: ArmSummary, standardizedDifference: Double) {
        self.label = label
        self.control = control
        self.intervention = intervention
        self.standardizedDifference = standardizedDifference
    }
}

/// A test statistic with its name, for omnibus and attrition tests.
public struct TestResult: Sendable, Equatable, Codable {
    public var name: String
    public var statistic: Double
    public var df: String
    public var pValue: Double
    public init(name: String, statistic: Double, df: String, pValue: Double) {
        self.name = name
        self.statistic = statistic
        self.df = df
        self.pValue = pValue
    }
}

public struct BalanceTable: Sendable, Equatable, Codable {
    public var rows: [BalanceRow]
    public var omnibus: TestResult?
    public init(rows: [BalanceRow], omnibus: TestResult?) {
        self.rows = rows
        self.omnibus = omnibus
    }
}

/// Baseline balance at the cluster level, beside the unit-level table in a cluster-randomised trial: every
/// covariate averaged per cluster, the arms compared across clusters (each arm summary's `n` counts
/// clusters), the omnibus test on the cluster means.
public struct ClusterBalanceTable: Sendable, Equatable, Codable {
    /// What a cluster is (the design's cluster column, e.g. "caseworker").
    public var cluster: String
    public var table: BalanceTable
    public init(cluster: String, table: BalanceTable) {
        self.cluster = cluster
        self.table = table
    }
}

/// Response at one wave by arm, the differential-attrition test, and Lee bounds where attrition differs.
public struct AttritionRow: Sendable, Equatable, Codable {
    public var wave: String
    public var controlResponded: Int
    public var controlAllocated: Int
    public var interventionResponded: Int
    public var interventionAllocated: Int
    /// Tests of differential attrition (response rate by arm; arm × covariate interactions).
    public var differential: [TestResult]
    /// Lee (2009) bounds on the effect on an outcome: (outcome label, lower, upper).
    public var leeBounds: [LeeBoundsRow]
    public init(wave: String, controlResponded: Int, controlAllocated: Int, interventionResponded: Int,
                interventionAllocated: Int, differential: [TestResult] = [], leeBounds: [LeeBoundsRow] = []) {
        self.wave = wave
        self.controlResponded = controlResponded
        self.controlAllocated = controlAllocated
        self.interventionResponded = interventionResponded
        self.interventionAllocated = interventionAllocated
        self.differential = differential
        self.leeBounds = leeBounds
    }
}

public struct LeeBoundsRow: Sendable, Equatable, Codable {
    public var outcome: String
    public var lower: Double
    public var upper: Double
    public init(outcome: String, lower: Double, upper: Double) {
        self.outcome = outcome
        self.lower = lower
        self.upper = upper
    }
}

/// The effect in each level of a pre-specified subgroup, and the test of the interaction.
public struct SubgroupRow: Sendable, Equatable, Codable {
    public var outcome: String
    public var wave: String
    public var subgroup: String
    /// The levels in the design's order (`subgroups[].levels`), each with its label, N per arm and effect.
    public var levels: [SubgroupLevelEffect]
    public var interactionP: Double
    /// The ids of the outcome, wave and subgroup in the design (nil: the labels stand in), for the keys of
    /// the disclosed counts (`ReportLedger.subgroup`) and the link of the levels' N to the outcome's N in
    /// the effect table.
    public var outcomeID: String?
    public var waveID: String?
    public var subgroupID: String?

    public init(outcome: String, wave: String, subgroup: String, levels: [SubgroupLevelEffect], interactionP: Double,
                outcomeID: String? = nil, waveID: String? = nil, subgroupID: String? = nil) {
        self.outcome = outcome
        self.wave = wave
        self.subgroup = subgroup
        self.levels = levels
        self.interactionP = interactionP
        self.outcomeID = outcomeID
        self.waveID = waveID
        self.subgroupID = subgroupID
    }
}

/// One level of a subgroup: its label (the design's, else the code), the families of each arm with a
/// value of the outcome in it, and the ITT estimate within it.
public struct SubgroupLevelEffect: Sendable, Equatable, Codable {
    public var label: String
    public var controlN: Int
    public var interventionN: Int
    public var estimate: TermEstimate
    /// The level's code in the subgroup's column (nil: the label stands in), for the keys of the disclosed counts.
    public var code: String?

    public init(label: String, controlN: Int, interventionN: Int, estimate: TermEstimate, code: String? = nil) {
        self.label = label
        self.controlN = controlN
        self.interventionN = interventionN
        self.estimate = estimate
        self.code = code
    }
}

/// What a reviewer needs to reproduce the report.
public struct Provenance: Sendable, Equatable, Codable {
    public var software: String
    public var designFile: String
    public var designFingerprint: String
    /// Source id → SHA-256 of the file imported.
    public var dataFingerprints: [Labelled]
    /// e.g. "randomisation: mt19937 seed 20170401".
    public var seeds: [String]
    public var generatedOn: String
    public init(software: String, designFile: String, designFingerprint: String, dataFingerprints: [Labelled],
                seeds: [String], generatedOn: String) {
        self.software = software
        self.designFile = designFile
        self.designFingerprint = designFingerprint
        self.dataFingerprints = dataFingerprints
        self.seeds = seeds
        self.generatedOn = generatedOn
    }
}

/// One recorded amendment of the design's locked part, as the report lists it.
public struct PlanAmendment: Sendable, Equatable, Codable {
    /// The day it was recorded (YYYY-MM-DD).
    public var date: String
    /// `key: before → after`, one per changed key.
    public var changes: [String]
    public var reason: String
    public var author: String
    /// Whether outcome data had been imported when it was recorded.
    public var afterOutcomeData: Bool
    /// Assignment records made before it.
    public var afterAssignments: Int

    public init(date: String, changes: [String], reason: String, author: String, afterOutcomeData: Bool, afterAssignments: Int) {
        self.date = date
        self.changes = changes
        self.reason = reason
        self.author = author
        self.afterOutcomeData = afterOutcomeData
        self.afterAssignments = afterAssignments
    }

    /// "2026-12-07: outcomes[x].windows.m12[1]: 12 → 13 — reason (by analyst; after 112 assignments, before any outcome data)".
    public var sentence: String { sentence(.english) }

    /// The same in the words of `texts` (`Catalogue.methods`).
    public func sentence(_ texts: MethodTexts) -> String {
        texts.amendment(date, changes.joined(separator: "; "), reason, author, afterAssignments, afterOutcomeData)
    }
}

public struct ReportContent: Sendable, Equatable {
    public var title: String
    public var registration: String?
    /// The design's pre-specified analysis choices, one sentence each.
    public var prespecified: [String]
    /// Deviations from the pre-specified choices (empty when there are none).
    public var deviations: [String]
    /// Recorded amendments of the design's locked part (`rct amend`), in order.
    public var amendments: [PlanAmendment] = []
    public var consort: ConsortFlow?
    public var balance: BalanceTable?
    /// The baseline balance at the cluster level (nil unless the design is cluster-randomised).
    public var clusterBalance: ClusterBalanceTable?
    public var attrition: [AttritionRow]
    public var effects: EffectTable
    public var subgroups: [SubgroupRow]
    /// The effects under the design's sensitivity specifications (nil when it names none).
    public var sensitivity: SensitivityTable?
    public var provenance: Provenance
    public var policy: SmallCellPolicy
    /// The language of the report (`publication.language`).
    public var language: ReportLanguage = .en

    public init(title: String, registration: String?, prespecified: [String], deviations: [String], consort: ConsortFlow?,
                balance: BalanceTable?, clusterBalance: ClusterBalanceTable? = nil, attrition: [AttritionRow], effects: EffectTable,
                subgroups: [SubgroupRow], sensitivity: SensitivityTable? = nil, provenance: Provenance, policy: SmallCellPolicy,
                language: ReportLanguage = .en) {
        self.title = title
        self.registration = registration
        self.prespecified = prespecified
        self.deviations = deviations
        self.consort = consort
        self.balance = balance
        self.clusterBalance = clusterBalance
        self.attrition = attrition
        self.effects = effects
        self.subgroups = subgroups
        self.sensitivity = sensitivity
        self.provenance = provenance
        self.policy = policy
        self.language = language
    }
}
