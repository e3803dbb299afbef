import Basics
import Estimation
/// A trial design: everything fixed before the data are seen. Loaded from `designs/NAME.yaml` by
/// `Design.load(path:)` and validated once; see `docs/design-format.md` for every key.
public struct Design: Sendable, Equatable {
    public var trial: TrialInfo
    public var arms: [Arm]
    public var eligibility: [EligibilityRule]
    public var strata: [Stratum]
    public var randomisation: Randomisation
    public var capacity: Capacity?
    public var waves: [Wave]
    public var pseudonymisation: Pseudonymisation?
    public var sources: [Source]
    public var families: [HypothesisFamily]
    public var outcomes: [Outcome]
    public var covariates: [Covariate]
    public var subgroups: [Subgroup]
    public var analysis: AnalysisPlan
    public var publication: Publication
    /// The places that enrol families (`sites:`), for the central service (`rct serve`): each enrolment
    /// names one, its id goes into the cohort column `trial.site_column`, and unless
    /// `randomisation.stratify_by_site: false` the site is a stratum of the randomisation (the loader adds it
    /// to `strata`). Empty when the design declares none.
    public var sites: [Site] = []

    /// The site of a family's cohort fields, when the design declares sites.
    public var siteColumn: String? { sites.isEmpty ? nil : trial.siteColumn }

    /// The control arm (the design has exactly one).
    public var controlArm: Arm { arms.first { $0.isControl } ?? arms[0] }

    /// Whether whole clusters were randomised (`clustered`, `blocked_clustered` with a `cluster_column`).
    public var isClusterRandomised: Bool {
        [.clustered, .blockedClustered].contains(randomisation.method) && randomisation.clusterColumn != nil
    }

    /// The clustering every analysis follows: the randomisation's `cluster_column` of a cluster-randomised
    /// design, else `analysis.clusters` (a cohort column) when given; nil when units were randomised one
    /// by one and no clustering is declared. The estimates' cluster-robust variance, randomization inference by whole clusters and
    /// the cluster counts of the report all follow it.
    public var analysisClusters: AnalysisClusters? {
        if isClusterRandomised, let column = randomisation.clusterColumn {
            return AnalysisClusters(column: column, randomised: true, key: "randomisation.cluster_column")
        }
        return analysis.clusters.map { AnalysisClusters(column: $0, randomised: false, key: "analysis.clusters") }
    }

    /// The cohort columns the design reads as dates: the enrolment date and the columns of date-window
    /// eligibility rules.
    public var cohortDateColumns: Set<String> {
        var columns: Set<String> = [trial.enrolmentDateColumn]
        for rule in eligibility { if case let .dateWindow(column, _, _) = rule.test { columns.insert(column) } }
        return columns
    }
}

/// The clusters of the analysis (`Design.analysisClusters`).
public struct AnalysisClusters: Sendable, Equatable {
    /// The cohort column that names each unit's cluster.
    public var column: String
    /// Whether the clusters are the randomisation's own (the assignment's cluster, re-drawn whole by
    /// randomization inference) rather than a clustering declared for the analysis only.
    public var randomised: Bool
    /// The design key that declares them, for messages.
    public var key: String
}

public struct TrialInfo: Sendable, Equatable {
    public var id: String
    public var title: String
    public var registration: String?
    /// The unit of randomisation, e.g. `household`.
    public var unit: String
    /// The cohort column that identifies a unit.
    public var idColumn: String
    /// Whether the cohort's identifier is a real national number (pseudonymised on entry) or a code.
    public var idType: IdentifierType
    /// The cohort column with the national number (INSZ) of the reference parent, through which registry
    /// sources are linked. It is pseudonymised on entry with the design's key and never stored as is.
    public var linkColumn: String?
    /// The cohort column with each unit's enrolment (and assignment) date, `YYYY-MM-DD`; follow-up
    /// windows count from it. Default `enrolled_on`.
    public var enrolmentDateColumn: String = "enrolled_on"
    /// The cohort column that holds the enrolling site's id, when the design declares `sites`. Default `site`.
    public var siteColumn: String = "site"
}

/// A place that enrols families (a Sociaal Huis front desk, a Kind en Gezin team).
public struct Site: Sendable, Equatable {
    public var id: String
    public var label: String

    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }
}

public enum IdentifierType: String, Sendable, CaseIterable, Equatable {
    /// A real national number: validated and replaced by a keyed pseudonym on arrival.
    case insz
    /// A pseudonym already coded by a trusted third party (KSZ, eHealth): linked as is.
    case pseudonym
    /// Any other study code (not a national number): linked as is.
    case code
}

public struct Arm: Sendable, Equatable {
    public var id: String
    public var label: String
    /// Allocation ratio weight (e.g. 1 and 1 for 1:1, 2 and 1 for 2:1).
    public var ratio: Int
    public var isControl: Bool
}

/// One eligibility criterion; a screened unit is eligible when it meets all of them, and is excluded
/// with the `reason` of the first criterion it fails.
public struct EligibilityRule: Sendable, Equatable {
    public var id: String
    public var reason: String
    public var test: EligibilityTest
}

public enum EligibilityTest: Sendable, Equatable {
    /// The date in `column` lies in [from, to].
    case dateWindow(column: String, from: CalendarDate, to: CalendarDate)
    /// At least `atLeast` of `columns` equal `value` (e.g. weak on ≥ 3 of 6 deprivation domains).
    case countAtLeast(columns: [String], value: String, atLeast: Int)
    /// `column` equals one of `values`.
    case oneOf(column: String, values: [String])
}

public struct Stratum: Sendable, Equatable {
    public var column: String
    /// The allowed levels; empty means every level found in the cohort is a level.
    public var levels: [String]
}

public enum RandomisationMethod: String, Sendable, CaseIterable, Equatable {
    case simple, complete, blocked, clustered
    case blockedClustered = "blocked_clustered"
    case permutedBlocks = "permuted_blocks"
    case minimisation
}

public struct Randomisation: Sendable, Equatable {
    public var method: RandomisationMethod
    /// The seed of the named generator (mt19937); written into every assignment record.
    public var seed: UInt64
    /// Block sizes for permuted blocks (each a multiple of the sum of the ratios).
    public var blockSizes: [Int]
    /// The cohort column that identifies clusters, for clustered methods.
    public var clusterColumn: String?
    /// Pocock–Simon minimisation: the factors and the probability of following the minimising arm.
    public var minimisationFactors: [String]
    public var followProbability: Double?
    /// Whether the enrolling site is a stratum (`stratify_by_site`, default true when sites are declared).
    public var stratifyBySite: Bool = true
}

public enum WhenFull: String, Sendable, CaseIterable, Equatable {
    /// Enrolment pauses until a place frees up: no family is randomised while the arm is full.
    case pause
    /// Randomisation goes on; families drawn into a full arm wait for a case manager (recorded).
    case keepRandomising = "keep_randomising"
}

public struct Capacity: Sendable, Equatable {
    public var arm: String
    public var caseManagers: Int
    public var caseload: Int
    public var whenFull: WhenFull
    public var places: Int { caseManagers * caseload }
}

public enum OutsideWindow: String, Sendable, CaseIterable, Equatable {
    case keep, missing
}

public struct Wave: Sendable, Equatable {
    public var id: String
    public var label: String
    /// Target time of the wave in months after assignment (0 for baseline).
    public var offsetMonths: Int
    /// An interview counts for the wave when it falls between `daysBefore` days before and `daysAfter`
    /// days after the target date.
    public var daysBefore: Int
    public var daysAfter: Int
    /// An interview counts for the wave when it falls between these days after the assignment day
    /// (`days_after_assignment: [121, 274]`), instead of the target month with days before and after.
    public var daysAfterAssignment: ClosedRange<Int>?
    public var outsideWindow: OutsideWindow
}

public struct Pseudonymisation: Sendable, Equatable {
    /// The environment variable that holds the secret key.
    public var keyEnvironment: String?
    /// A file that holds the secret key (outside the data folder).
    public var keyFile: String?
}

public enum SourceKind: String, Sendable, CaseIterable, Equatable {
    case cohort
    case assignment
    case ocmwLeefloon = "ocmw_leefloon"
    case ocmwAid = "ocmw_aid"
    case federalStatements = "federal_statements"
    case vdabStatus = "vdab_status"
    case kszPosition = "ksz_position"
    case survey
    /// A register of who received the intervention (e.g. the case-management mandates): one row per unit
    /// with the `analysis.take_up` column (1 received, 0 not). Read by the run step into the units'
    /// take-up column; not imported as a registry extract.
    case takeUp = "take_up"
    /// A register of families that left a registry's scope (moved out of the municipality, died): one
    /// row per exit with the canonical fields `date` (the day the family left) and `reason` (`moved`,
    /// `died`, `other`). Imported like a registry extract; the run step turns its records into
    /// `ScopeExit` values, which censor the family's registry outcomes. No outcome derives from it.
    case scopeExit = "scope_exit"
    /// Spells: one row per person and spell, with a type (work, training, job seeking, …), a start and an
    /// end day; an empty end means the spell was still running on the source's `extract_date`.
    case spells
    /// Payments: one row per payment or recovery, with its payment month (or day), a signed amount, and
    /// optionally the period it relates to and a category.
    case payments
    /// Events: one row per event, with its day and a type.
    case events

    /// Whether files of the kind are extracts imported into the trial store (registry kinds, surveys),
    /// as opposed to the inputs the assignment and run steps read themselves (the cohort, an assignment
    /// list made elsewhere, the take-up register).
    public var isExtract: Bool {
        switch self {
        case .cohort, .assignment, .takeUp: return false
        case .ocmwLeefloon, .ocmwAid, .federalStatements, .vdabStatus, .kszPosition, .survey, .scopeExit, .spells, .payments,
             .events:
            return true
        }
    }
}

public enum FileFormat: String, Sendable, CaseIterable, Equatable {
    case delimited
    case fixedWidth = "fixed_width"
    /// An SPSS system file (`.sav`, `.zsav`), read through ReadStat.
    case spss
    /// A Stata data file (`.dta`), read through ReadStat.
    case stata

    /// Whether the file is a statistics package's binary file (columns, numbers and encoding are the
    /// file's own) rather than text in a dialect.
    public var isStatFile: Bool { self == .spss || self == .stata }
}

public enum TextEncoding: String, Sendable, CaseIterable, Equatable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
}

public struct FixedWidthField: Sendable, Equatable {
    public var name: String
    /// 1-based first character.
    public var start: Int
    public var length: Int
}

public struct Dialect: Sendable, Equatable {
    public var format: FileFormat
    /// Whether the design says `format:`. When it does not, a file whose first bytes show an SPSS or
    /// Stata file is read as one (`SourceFile`); a declared format is always held to.
    public var formatDeclared = false
    public var separator: String
    public var decimal: String
    public var thousands: String?
    public var encoding: TextEncoding
    public var header: Bool
    public var quote: String
    /// How days are written (and months, in its month form, unless `monthFormat` says otherwise).
    public var dateFormat: DateFormat
    /// How months are written, when not in the month form of `dateFormat`.
    public var monthFormat: DateFormat?
    /// Amounts are written in euro cents, without a decimal mark (`00001460` = 14.60).
    public var cents: Bool = false
    public var fields: [FixedWidthField]

    /// The form months are read in: `monthFormat`, else the month form of `dateFormat`.
    public var monthForm: DateFormat { (monthFormat ?? dateFormat).monthForm }

    public init(format: FileFormat = .delimited, separator: String = ",", decimal: String = ".", thousands: String? = nil,
                encoding: TextEncoding = .utf8, header: Bool = true, quote: String = "\"", dateFormat: DateFormat = .iso,
                monthFormat: DateFormat? = nil, cents: Bool = false, fields: [FixedWidthField] = []) {
        self.format = format
        self.separator = separator
        self.decimal = decimal
        self.thousands = thousands
        self.encoding = encoding
        self.header = header
        self.quote = quote
        self.dateFormat = dateFormat
        self.monthFormat = monthFormat
        self.cents = cents
        self.fields = fields
    }

    /// The dialect of a file the design does not describe (a cohort given on the command line): comma
    /// separated, UTF-8, a header line, `"` quotes, a decimal point, dates as `YYYY-MM-DD`.
    public static let standard = Dialect()
}

/// What the rows of an assignment list are (`level:` of an `assignment` source).
public enum AssignmentLevel: String, Sendable, CaseIterable, Equatable {
    /// One row per family (unit): its arm and its date of assignment.
    case unit
    /// One row per cluster (`randomisation.cluster_column`): its arm, optionally its stratum and the
    /// probability of its arm; the cohort names each unit's cluster and enrolment date.
    case cluster
}

public struct Source: Sendable, Equatable {
    public var id: String
    public var kind: SourceKind
    /// The file, relative to the design file's folder.
    public var file: String
    public var identifierColumn: String
    public var identifierType: IdentifierType
    public var dialect: Dialect
    /// Canonical field name → the column (or fixed-width field) of the file.
    public var columns: [String: String]
    /// Values that mean "missing" (e.g. -9, "weet niet").
    public var missingCodes: [String]
    /// For survey sources: the wave the file belongs to.
    public var wave: String?
    /// Value mappings per canonical field: raw code in the file → canonical value, e.g.
    /// `codes: { kind: { "AFS eenmalig": supplementary_one_off } }`. Empty when the file already uses
    /// the canonical values.
    public var codes: [String: [String: String]] = [:]
    /// The canonical values a coded field may take, for the kinds whose codes the design declares
    /// (`spells`, `payments`, `events`): field → values (`vocabulary: { type: [work, training] }`).
    public var vocabularies: [String: [String]] = [:]
    /// Further columns kept on every record as attributes (by their column name), so that outcome filters
    /// can read them (`attributes: [training_flag]`).
    public var keptColumns: [String] = []
    /// The day the extract was made: a spell without an end was still running on it.
    public var extractDate: CalendarDate?
    /// The last day the extract covers, when the source declares it: a registry window that ends after
    /// it is missing (`beyond_data`) rather than counted on records that stop short of it.
    public var dataThrough: CalendarDate?
    /// A column that says whether each record counts, is void, or corrects an earlier record.
    public var status: RecordStatus?
    /// How a correcting record finds the record it replaces.
    public var correctsBy: CorrectionMatch?
    /// The line of the design that declares the source's dialect (for messages that say which line to
    /// change); nil for a source made in code.
    public var dialectLine: Int?
    /// The line of the design that names the source's file.
    public var fileLine: Int?
    /// `level:` of an `assignment` source: one row per unit (the default), or one row per cluster of a
    /// cluster-randomised design, each unit inheriting its cluster's arm.
    public var level: AssignmentLevel = .unit

    public init(id: String, kind: SourceKind, file: String, identifierColumn: String, identifierType: IdentifierType,
                dialect: Dialect = .standard, columns: [String: String] = [:], missingCodes: [String] = [], wave: String? = nil,
                codes: [String: [String: String]] = [:]) {
        self.id = id
        self.kind = kind
        self.file = file
        self.identifierColumn = identifierColumn
        self.identifierType = identifierType
        self.dialect = dialect
        self.columns = columns
        self.missingCodes = missingCodes
        self.wave = wave
        self.codes = codes
    }
}

/// A source's status column and what its values mean (`status: { column: status, values: { toegekend:
/// counts, geweigerd: void, ingetrokken: void, gecorrigeerd: corrects } }`).
public struct RecordStatus: Sendable, Equatable {
    /// What a record's status says about it.
    public enum Meaning: String, Sendable, CaseIterable, Equatable {
        /// The record counts (a granted decision, a payment made).
        case counts
        /// The record does not count (refused, withdrawn, cancelled); it is set aside.
        case void
        /// The record replaces an earlier one (`corrects_by` says which) and counts in its place.
        case corrects
    }

    public var column: String
    /// Raw status value → meaning.
    public var values: [String: Meaning]

    public init(column: String, values: [String: Meaning]) {
        self.column = column
        self.values = values
    }
}

/// How a correcting record finds the record it replaces: by an identifier column (`corrects_by: { id:
/// dossier_nr, replaces: vervangt }`: the correction names the record it replaces), or by the fields that
/// make two records the same decision (`corrects_by: { match: [kind, start] }`, with the participant: the
/// later row in the file replaces the earlier).
public enum CorrectionMatch: Sendable, Equatable {
    case byIdentifier(idColumn: String, replacesColumn: String)
    case byFields([String])
}

public struct HypothesisFamily: Sendable, Equatable {
    public var id: String
    public var label: String
    public var correction: Correction
}

public enum Correction: String, Sendable, CaseIterable, Equatable {
    case none, holm, bonferroni, bh, by
    case sharpenedQ = "sharpened_q"
    case westfallYoung = "westfall_young"
}

public struct Subgroup: Sendable, Equatable {
    public var id: String
    public var label: String
    public var column: String
    /// The column's codes with their labels (`levels: { "0": Two-parent families, "1": Single-parent families }`),
    /// in the design's order; empty when the design gives none (the report then shows the codes).
    public var levels: [SubgroupLevel] = []

    public init(id: String, label: String, column: String, levels: [SubgroupLevel] = []) {
        self.id = id
        self.label = label
        self.column = column
        self.levels = levels
    }

    /// The label of a code: the design's, else the code itself.
    public func label(of code: String) -> String { levels.first { $0.code == code }?.label ?? code }
}

/// One code of a subgroup's column and its label.
public struct SubgroupLevel: Sendable, Equatable {
    public var code: String
    public var label: String
    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }
}

public struct TakeUp: Sendable, Equatable {
    /// The cohort or panel column that says whether the unit received the intervention (the mandate).
    public var column: String
}

/// One way of estimating the effects: the estimator, its variance, whether strata are absorbed and the
/// adjustment covariates. The design's `analysis` section states the primary specification (id
/// `primary`) and may name sensitivity specifications beside it (`analysis.sensitivity`), each taking
/// what it does not state from the primary. The estimator and the variance are `Estimation`'s own
/// types, so a design names exactly the estimators and variances `rct estimate` offers.
public struct AnalysisSpecification: Sendable, Equatable {
    public static let primaryID = "primary"
    public var id: String
    public var label: String
    public var estimator: EstimationSpec.Estimator
    public var variance: VarianceType
    /// Strata as absorbed fixed effects.
    public var fixedEffects: Bool
    public var covariates: [String]

    public init(id: String, label: String, estimator: EstimationSpec.Estimator, variance: VarianceType,
                fixedEffects: Bool, covariates: [String]) {
        self.id = id
        self.label = label
        self.estimator = estimator
        self.variance = variance
        self.fixedEffects = fixedEffects
        self.covariates = covariates
    }
}

/// The design's `analysis` section: the primary specification, the sensitivity specifications, and
/// what every specification shares (level, take-up, randomization inference).
public struct AnalysisPlan: Sendable, Equatable {
    /// The pre-specified analysis that the report's effect tables show.
    public var primary: AnalysisSpecification
    /// Further specifications, estimated beside the primary and shown in the report's sensitivity table.
    public var sensitivity: [AnalysisSpecification] = []
    public var level: Double
    /// Whether the design says `strata_fixed_effects` itself (the default is true, and means nothing
    /// without strata; asked for explicitly without strata, it is refused).
    public var fixedEffectsGiven: Bool = false
    public var takeUp: TakeUp?
    /// `analysis.clusters`: a cohort column to cluster the standard errors by when the clustering is not
    /// the randomisation's (a cluster-randomised design clusters by its `cluster_column` without it).
    public var clusters: String?
    /// Whether the design states `analysis.variance` itself (the default is CR2 for a clustered design,
    /// HC2 otherwise).
    public var varianceGiven: Bool = false
    public var permutations: Int
    public var seed: UInt64

    public init(primary: AnalysisSpecification, sensitivity: [AnalysisSpecification] = [], level: Double,
                takeUp: TakeUp? = nil, permutations: Int, seed: UInt64) {
        self.primary = primary
        self.sensitivity = sensitivity
        self.level = level
        self.takeUp = takeUp
        self.permutations = permutations
        self.seed = seed
    }

    /// The primary specification, then the sensitivity specifications, in the design's order.
    public var specifications: [AnalysisSpecification] { [primary] + sensitivity }

    /// The specification with this id (`primary` for the primary), if the design names it.
    public func specification(named id: String) -> AnalysisSpecification? {
        specifications.first { $0.id == id }
    }

    // The primary specification's choices, by their design keys.
    public var estimator: EstimationSpec.Estimator { get { primary.estimator } set { primary.estimator = newValue } }
    public var variance: VarianceType { get { primary.variance } set { primary.variance = newValue } }
    public var fixedEffects: Bool { get { primary.fixedEffects } set { primary.fixedEffects = newValue } }
    public var covariates: [String] { get { primary.covariates } set { primary.covariates = newValue } }
}

public struct Publication: Sendable, Equatable {
    /// Cells (counts, and means of groups) smaller than this are suppressed in published outputs.
    public var smallCellThreshold: Int
    /// The language of the report, its tables and figures (`publication.language`, default `en`).
    public var language: PublicationLanguage = .en

    public init(smallCellThreshold: Int, language: PublicationLanguage = .en) {
        self.smallCellThreshold = smallCellThreshold
        self.language = language
    }
}

/// The languages the report is written in.
public enum PublicationLanguage: String, Sendable, CaseIterable, Equatable {
    case en, nl, fr
}
