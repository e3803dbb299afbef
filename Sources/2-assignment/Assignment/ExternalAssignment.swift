import Basics
import Foundation
import TrialData
import TrialDesign

/// What the checks need to know about the trial, as plain values.
public struct ExternalAssignmentContext: Sendable {
    /// The list's name in messages (its path).
    public var file: String
    /// The cohort's name in messages.
    public var cohortName: String
    public var allocation: Allocation
    /// The declared procedure: decides how missing probabilities are derived.
    public var method: RandomisationMethod
    /// The file's column names, for messages: `id`, `arm`, `assigned_on`, and the probability columns.
    public var idColumn: String
    public var armColumn: String
    public var dateColumn: String
    public var probabilityColumn: String?
    /// Arm id → the file's column holding that arm's probability.
    public var armProbabilityColumns: [String: String]
    /// Every screened family of the cohort: unit → nil when eligible, else the exclusion reason.
    public var screening: [String: String?]
    /// Families that already have an arm in the store: unit → (record, arm, date).
    public var alreadyAssigned: [String: (record: Int, arm: String, assignedOn: CalendarDate)]
    /// The enrolment window, inclusive, and where it comes from (for messages); nil: not checked.
    public var window: (from: CalendarDate, to: CalendarDate, origin: String)?
    /// The stratum of each cohort family by the design's strata columns (to compare with the list's).
    public var designStratum: [String: String]
    /// Below this p-value a stratum's split is reported as implausible (a warning).
    public var alpha: Double = 0.05

    public init(file: String, cohortName: String, allocation: Allocation, method: RandomisationMethod,
                idColumn: String, armColumn: String, dateColumn: String, probabilityColumn: String? = nil,
                armProbabilityColumns: [String: String] = [:], screening: [String: String?],
                alreadyAssigned: [String: (record: Int, arm: String, assignedOn: CalendarDate)] = [:],
                window: (from: CalendarDate, to: CalendarDate, origin: String)? = nil,
                designStratum: [String: String] = [:]) {
        self.file = file
        self.cohortName = cohortName
        self.allocation = allocation
        self.method = method
        self.idColumn = idColumn
        self.armColumn = armColumn
        self.dateColumn = dateColumn
        self.probabilityColumn = probabilityColumn
        self.armProbabilityColumns = armProbabilityColumns
        self.screening = screening
        self.alreadyAssigned = alreadyAssigned
        self.window = window
        self.designStratum = designStratum
    }

    /// Whether the file gives probabilities (a `probability` column or per-arm columns).
    public var probabilitiesGiven: Bool { probabilityColumn != nil || !armProbabilityColumns.isEmpty }
}

/// An arm's share in one stratum, with the exact binomial test against the declared ratio.
public struct StratumShare: Sendable, Equatable {
    /// The stratum label (`all` when the list has no strata).
    public var stratum: String
    /// Families per arm, in the design's arm order.
    public var counts: [Int]
    public var total: Int { counts.reduce(0, +) }
    /// The smallest two-sided exact binomial p-value over the arms, each arm's count tested against its
    /// declared share (`ExactBinomial`); for two arms both tests give the same value.
    public var pValue: Double
    /// Whether `pValue` is below the context's alpha.
    public var implausible: Bool
}

/// An imported assignment ready for the store.
public struct ReviewedAssignment: Sendable, Equatable {
    public var line: Int
    public var unitID: String
    public var arm: String
    public var assignedOn: CalendarDate
    public var stratum: String?
    public var block: String?
    public var cluster: String?
    /// The probability of the family's own arm: from the file, or derived (see `ExternalAssignmentReview`).
    public var probability: Double
}

/// The result of checking an assignment list made elsewhere.
///
/// Fatal problems (`problems`, each naming the line and saying what to do): an arm that is not one of the
/// design's; a family absent from the cohort, screened out, listed twice or already assigned in the store;
/// an assignment date outside the enrolment window; a probability outside (0, 1); per-arm probabilities
/// that do not sum to one (tolerance 10⁻⁶). Warnings (`warnings`, the list is imported all the same): a
/// stratum whose split is implausible under the declared ratio (exact binomial test, p < alpha), a
/// stratum in the list that differs from the cohort's.
///
/// Probabilities absent from the file are derived from the declared procedure and the observed counts:
/// `simple` randomisation draws each family independently, so p = the arm's declared share; every other
/// procedure fixes (or nearly fixes) the number per arm within a stratum, so the list is read as complete
/// assignment within its stratum: p = n_arm / n_stratum (the stratum `all` without strata). This is the
/// probability the inverse-probability weights and the Horvitz–Thompson estimator need (Gerber & Green
/// 2012, ch. 4); it equals the declared share when the stratum's split is exactly the declared ratio.
public struct ExternalAssignmentReview: Sendable {
    public var problems: [ExternalAssignmentProblem]
    public var warnings: [String]
    public var assignments: [ReviewedAssignment]
    public var probabilitiesDerived: Bool
    /// How the probabilities were derived, for the report (nil when given in the file).
    public var derivation: String?
    public var strata: [StratumShare]

    public var isImportable: Bool { problems.isEmpty && !assignments.isEmpty }

    /// Checks the rows against the trial and derives what the file leaves out. Plain values in and out.
    public static func review(_ rows: [ExternalAssignmentRow], context c: ExternalAssignmentContext) -> ExternalAssignmentReview {
        var problems: [ExternalAssignmentProblem] = []
        func problem(_ line: Int, _ text: String) { problems.append(.init(line: line, message: "\(c.file):\(line): \(text)")) }
        let arms = c.allocation.arms
        var firstLine: [String: Int] = [:]
        for r in rows {
            if !arms.contains(r.arm) {
                let shownCell = r.armCell == r.arm ? "\"\(r.armCell)\"" : "\"\(r.armCell)\" (mapped to \"\(r.arm)\")"
                problem(r.line, "\(c.armColumn) \(shownCell) is not an arm of the design (\(arms.joined(separator: ", "))); "
                    + "map the file's label to an arm id under the source's codes, e.g. codes: { arm: { \"\(r.armCell)\": \(arms.last!) } }, "
                    + "or correct the cell")
            }
            if let earlier = firstLine[r.unitID] {
                problem(r.line, "family \(r.shown) is listed twice (lines \(earlier) and \(r.line)); a family is assigned once: "
                    + "keep the row that was drawn and remove the other")
            } else {
                firstLine[r.unitID] = r.line
            }
            if let a = c.alreadyAssigned[r.unitID] {
                problem(r.line, "family \(r.shown) already has an arm in the store (\(a.arm), assigned \(a.assignedOn), record "
                    + "\(a.record)); a family is assigned once: remove the row, or import into a new store")
            }
            switch c.screening[r.unitID] {
            case .none:
                problem(r.line, "family \(r.shown) is not in the cohort (\(c.cohortName)); add the family to the cohort and screen it, "
                    + "or remove the row if it does not belong to this trial")
            case let .some(.some(reason)):
                problem(r.line, "family \(r.shown) was screened out of the trial (\(reason)); an excluded family cannot be "
                    + "assigned: correct the cohort, or remove the row")
            case .some(.none):
                break
            }
            if let w = c.window, r.assignedOn < w.from || w.to < r.assignedOn {
                problem(r.line, "\(c.dateColumn) \(r.assignedOn) is outside the enrolment window \(w.from) to \(w.to) (\(w.origin)); "
                    + "correct the date, or give the window the trial really used with --window FROM,TO")
            }
            if let p = r.probability, !(p > 0 && p < 1) {
                problem(r.line, "\(c.probabilityColumn ?? "probability") \(p) is outside (0, 1); a probability of assignment "
                    + "is strictly between 0 and 1 (a family whose arm was certain tells nothing about the effect): correct the cell")
            }
            if !r.armProbabilities.isEmpty {
                let ordered = arms.filter { r.armProbabilities[$0] != nil }
                for arm in ordered {
                    let p = r.armProbabilities[arm]!
                    if !(p > 0 && p < 1) {
                        problem(r.line, "\(c.armProbabilityColumns[arm] ?? arm) \(p) is outside (0, 1); every arm's probability "
                            + "is strictly between 0 and 1: correct the cell")
                    }
                }
                let sum = ordered.reduce(0.0) { $0 + r.armProbabilities[$1]! }
                if abs(sum - 1) > 1e-6 {
                    let terms = ordered.map { "\(c.armProbabilityColumns[$0] ?? $0) \(r.armProbabilities[$0]!)" }
                    problem(r.line, "the arm probabilities add up to \(format(sum)) (\(terms.joined(separator: " + "))), not 1; "
                        + "each row's probabilities over the arms must sum to one: correct them")
                }
                if let p = r.probability, let own = r.armProbabilities[r.arm], abs(p - own) > 1e-9 {
                    problem(r.line, "\(c.probabilityColumn ?? "probability") \(p) differs from the probability of the row's own arm "
                        + "(\(c.armProbabilityColumns[r.arm] ?? r.arm) \(own)); correct one of them")
                }
            }
        }
        problems.sort { $0.line < $1.line }

        // Shares per stratum (rows with a known arm only).
        let known = rows.filter { arms.contains($0.arm) }
        var order: [String] = []
        var counts: [String: [Int]] = [:]
        for r in known {
            let s = r.stratum ?? "all"
            if counts[s] == nil { order.append(s); counts[s] = Array(repeating: 0, count: arms.count) }
            counts[s]![c.allocation.index(of: r.arm)!] += 1
        }
        let shares = c.allocation.probabilities
        let strata = order.sorted().map { s -> StratumShare in
            let k = counts[s]!
            let n = k.reduce(0, +)
            let p = arms.indices.map { ExactBinomial.twoSidedPValue(successes: k[$0], trials: n, p: shares[$0]) }.min() ?? 1
            return StratumShare(stratum: s, counts: k, pValue: p, implausible: p < c.alpha)
        }
        var warnings: [String] = []
        let ratio = c.allocation.weights.map(String.init).joined(separator: ":")
        for s in strata where s.implausible {
            let split = arms.indices.map { "\(s.counts[$0]) \(arms[$0])" }.joined(separator: ", ")
            warnings.append("stratum \(s.stratum): \(split) (n = \(s.total)); under the declared ratio \(ratio) a split at least "
                + "this uneven has probability \(String(format: "%.4g", s.pValue)) (exact binomial test). Check that the list "
                + "holds the whole stratum, that the arm labels are mapped right, and that \(ratio) is the ratio that was used")
        }
        if !c.probabilitiesGiven && c.method != .simple {
            for s in strata where s.counts.filter({ $0 > 0 }).count == 1 {
                let arm = arms[s.counts.firstIndex(where: { $0 > 0 })!]
                warnings.append("stratum \(s.stratum): all \(s.total) families are in \(arm), so the derived probability is 1 and "
                    + "the stratum tells nothing about the effect; check the list, or give the probabilities in the file")
            }
        }
        let differing = rows.filter { r in
            guard let listed = r.stratum, let cohort = c.designStratum[r.unitID] else { return false }
            return listed != cohort
        }
        if let first = differing.first {
            warnings.append("\(differing.count) row\(differing.count == 1 ? "" : "s") of \(c.file) give\(differing.count == 1 ? "s" : "") a stratum different from the "
                + "cohort's (first: line \(first.line), family \(first.shown): \(first.stratum!) in the list, "
                + "\(c.designStratum[first.unitID]!) by the design's strata columns); the list's strata are stored. Map the "
                + "list's labels with codes: { stratum: … } if they only differ in name")
        }

        // Probabilities: given, or derived.
        let derived = !c.probabilitiesGiven
        var derivation: String?
        if derived {
            if c.method == .simple {
                derivation = "derived from the declared procedure (simple randomisation: p = the arm's declared share, "
                    + arms.indices.map { "\(arms[$0]) \(format(shares[$0]))" }.joined(separator: ", ") + ")"
            } else {
                let detail = strata.map { s in
                    "\(s.stratum): " + arms.indices.map { "\(arms[$0]) \(s.counts[$0])/\(s.total)" }.joined(separator: ", ")
                }.joined(separator: "; ")
                derivation = "derived from the declared procedure (\(c.method.rawValue)) and the counts per stratum, as complete "
                    + "assignment within stratum: p = n_arm / n_stratum (\(detail))"
            }
        }
        let assignments = known.map { r -> ReviewedAssignment in
            let p: Double
            if let given = r.probability ?? r.armProbabilities[r.arm] {
                p = given
            } else if c.method == .simple {
                p = shares[c.allocation.index(of: r.arm)!]
            } else {
                let k = counts[r.stratum ?? "all"]!
                p = Double(k[c.allocation.index(of: r.arm)!]) / Double(k.reduce(0, +))
            }
            return ReviewedAssignment(line: r.line, unitID: r.unitID, arm: r.arm, assignedOn: r.assignedOn, stratum: r.stratum,
                                      block: r.block, cluster: r.cluster, probability: p)
        }
        return ExternalAssignmentReview(problems: problems, warnings: warnings, assignments: assignments,
                                        probabilitiesDerived: derived, derivation: derivation, strata: strata)
    }

    static func format(_ x: Double) -> String {
        var s = String(format: "%.6f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}

/// A family of the cohort as a list of clusters sees it: its cluster and enrolment date from the cohort.
public struct ClusterMember: Sendable, Equatable {
    public var unitID: String
    /// The cohort line, for messages.
    public var line: Int
    /// The cohort's cluster cell; nil when empty.
    public var cluster: String?
    /// The enrolment date; nil when the cell is empty or not a date (`dateProblem` says which).
    public var enrolledOn: CalendarDate?
    public var dateProblem: String?
    /// The stratum by the design's strata columns.
    public var stratum: String?
    /// Whether the family passed the eligibility screening (only eligible families are assigned).
    public var eligible: Bool

    public init(unitID: String, line: Int, cluster: String?, enrolledOn: CalendarDate?, dateProblem: String? = nil,
                stratum: String?, eligible: Bool) {
        self.unitID = unitID
        self.line = line
        self.cluster = cluster
        self.enrolledOn = enrolledOn
        self.dateProblem = dateProblem
        self.stratum = stratum
        self.eligible = eligible
    }
}

/// A list of clusters (`level: cluster`) checked against the cohort and turned into one assignment per
/// eligible family: each family inherits its cluster's arm, its assignment date is its own enrolment
/// date, and its probability is its cluster's — given in the list, or derived from the declared
/// procedure by counting clusters, never families: complete random assignment of clusters within each
/// stratum (`blocked_clustered`; all clusters one stratum for `clustered`), p = clusters of the arm in the
/// stratum / clusters of the stratum (randomizr's `block_and_cluster_ra`).
///
/// Problems (fatal, each `FILE:LINE: …` of the list or of the cohort): an arm that is not the design's; a
/// cluster listed twice (in two arms, or twice in one); a probability outside (0, 1); a cluster with no
/// family in the cohort; a cluster whose families lie in different strata; an eligible family whose
/// cluster cell is empty or whose cluster is not on the list; an eligible family without a usable
/// enrolment date, with a date outside the enrolment window, or already assigned in the store.
/// Warnings: a cluster whose families were all screened out (it stays in the counts: it was randomised),
/// a stratum whose split of clusters is implausible under the declared ratio (exact binomial test), a
/// stratum in the list that differs from its families'.
public enum ClusterAssignmentReview {
    public struct Context: Sendable {
        public var list: ExternalAssignmentContext
        /// The cohort's cluster column (`randomisation.cluster_column`) and enrolment date column.
        public var clusterColumn: String
        public var enrolmentColumn: String

        public init(list: ExternalAssignmentContext, clusterColumn: String, enrolmentColumn: String) {
            self.list = list
            self.clusterColumn = clusterColumn
            self.enrolmentColumn = enrolmentColumn
        }
    }

    public static func review(_ rows: [ClusterAssignmentRow], members: [ClusterMember], context cc: Context) -> ExternalAssignmentReview {
        let c = cc.list
        var problems: [ExternalAssignmentProblem] = []
        var warnings: [String] = []
        func problem(_ file: String, _ line: Int, _ text: String) { problems.append(.init(line: line, message: "\(file):\(line): \(text)")) }
        let arms = c.allocation.arms

        // The list: arms, clusters once, probabilities.
        var byCluster: [String: ClusterAssignmentRow] = [:]
        var order: [String] = []
        for r in rows {
            if !arms.contains(r.arm) {
                let shownCell = r.armCell == r.arm ? "\"\(r.armCell)\"" : "\"\(r.armCell)\" (mapped to \"\(r.arm)\")"
                problem(c.file, r.line, "\(c.armColumn) \(shownCell) is not an arm of the design (\(arms.joined(separator: ", "))); "
                    + "map the file's label to an arm id under the source's codes, e.g. codes: { arm: { \"\(r.armCell)\": \(arms.last!) } }, "
                    + "or correct the cell")
            }
            if let earlier = byCluster[r.cluster] {
                if earlier.arm != r.arm {
                    problem(c.file, r.line, "cluster \(r.cluster) is in two arms (\(earlier.arm) on line \(earlier.line), \(r.arm) here); "
                        + "a cluster is assigned whole, to one arm: keep the row that was drawn and remove the other")
                } else {
                    problem(c.file, r.line, "cluster \(r.cluster) is listed twice (lines \(earlier.line) and \(r.line)); remove one row")
                }
                continue
            }
            byCluster[r.cluster] = r
            order.append(r.cluster)
            if let p = r.probability, !(p > 0 && p < 1) {
                problem(c.file, r.line, "\(c.probabilityColumn ?? "probability") \(p) is outside (0, 1); a probability of assignment "
                    + "is strictly between 0 and 1: correct the cell")
            }
        }

        // The cohort's families by cluster.
        var membersOf: [String: [ClusterMember]] = [:]
        for m in members { if let k = m.cluster { membersOf[k, default: []].append(m) } }
        var stratumOf: [String: String] = [:]
        for k in order {
            let r = byCluster[k]!
            guard let family = membersOf[k], !family.isEmpty else {
                problem(c.file, r.line, "cluster \(k) has no family in the cohort (\(c.cohortName), column \(cc.clusterColumn)); "
                    + "check the code against the cohort's, or remove the row if the cluster took in no family")
                continue
            }
            let strata = Set(family.compactMap(\.stratum))
            if strata.count > 1 {
                problem(c.file, r.line, "the families of cluster \(k) lie in different strata (\(strata.sorted().joined(separator: ", "))); "
                    + "a cluster is randomised within one stratum: correct the cohort's strata columns")
            }
            if let listed = r.stratum {
                if let own = strata.first, strata.count == 1, own != listed {
                    warnings.append("\(c.file):\(r.line): cluster \(k) is in stratum \(listed) in the list, \(own) by its families' "
                        + "strata columns; the list's stratum is stored. Map the list's labels with codes: { stratum: … } if they only differ in name")
                }
                stratumOf[k] = listed
            } else if let own = strata.first, strata.count == 1 {
                stratumOf[k] = own
            }
            if !family.contains(where: \.eligible) {
                warnings.append("\(c.file):\(r.line): every family of cluster \(k) (\(family.count)) was screened out; the cluster "
                    + "counts among the randomised clusters but adds no family to the analysis")
            }
        }

        // Every eligible family: a cluster on the list, a date, not yet assigned.
        for m in members where m.eligible {
            guard let k = m.cluster else {
                problem(c.cohortName, m.line, "family \(m.unitID): the \(cc.clusterColumn) cell is empty; every family of a "
                    + "cluster-randomised trial belongs to a cluster: fill it in the cohort")
                continue
            }
            if byCluster[k] == nil {
                problem(c.cohortName, m.line, "family \(m.unitID): its cluster \(k) (\(cc.clusterColumn)) is not on the list \(c.file); "
                    + "add the cluster with its arm to the list, or correct the cohort's cell")
            }
            if m.enrolledOn == nil {
                problem(c.cohortName, m.line, "family \(m.unitID): \(m.dateProblem ?? "no enrolment date"); with a list of clusters each "
                    + "family's assignment date is its enrolment date (\(cc.enrolmentColumn)): correct the cohort's cell")
            }
            if let w = c.window, let d = m.enrolledOn, d < w.from || w.to < d {
                problem(c.cohortName, m.line, "family \(m.unitID): \(cc.enrolmentColumn) \(d) is outside the enrolment window \(w.from) "
                    + "to \(w.to) (\(w.origin)); correct the date, or give the window the trial really used with --window FROM,TO")
            }
            if let a = c.alreadyAssigned[m.unitID] {
                problem(c.cohortName, m.line, "family \(m.unitID) already has an arm in the store (\(a.arm), assigned \(a.assignedOn), "
                    + "record \(a.record)); a family is assigned once: import into a new store")
            }
        }
        problems.sort { ($0.message.hasPrefix(c.file) ? 0 : 1, $0.line) < ($1.message.hasPrefix(c.file) ? 0 : 1, $1.line) }

        // Clusters per stratum and arm (the list's clusters with a known arm).
        let known = order.filter { arms.contains(byCluster[$0]!.arm) }
        var strataOrder: [String] = []
        var counts: [String: [Int]] = [:]
        for k in known {
            let s = stratumOf[k] ?? "all"
            if counts[s] == nil { strataOrder.append(s); counts[s] = Array(repeating: 0, count: arms.count) }
            counts[s]![c.allocation.index(of: byCluster[k]!.arm)!] += 1
        }
        let shares = c.allocation.probabilities
        let strata = strataOrder.sorted().map { s -> StratumShare in
            let k = counts[s]!
            let n = k.reduce(0, +)
            let p = arms.indices.map { ExactBinomial.twoSidedPValue(successes: k[$0], trials: n, p: shares[$0]) }.min() ?? 1
            return StratumShare(stratum: s, counts: k, pValue: p, implausible: p < c.alpha)
        }
        let ratio = c.allocation.weights.map(String.init).joined(separator: ":")
        for s in strata where s.implausible {
            let split = arms.indices.map { "\(s.counts[$0]) \(arms[$0])" }.joined(separator: ", ")
            warnings.append("stratum \(s.stratum): clusters \(split) (n = \(s.total)); under the declared ratio \(ratio) a split at least "
                + "this uneven has probability \(String(format: "%.4g", s.pValue)) (exact binomial test). Check that the list "
                + "holds every cluster of the stratum and that the arm labels are mapped right")
        }
        let given = c.probabilityColumn != nil
        if !given {
            for s in strata where s.counts.filter({ $0 > 0 }).count == 1 {
                let arm = arms[s.counts.firstIndex(where: { $0 > 0 })!]
                warnings.append("stratum \(s.stratum): all \(s.total) clusters are in \(arm), so the derived probability is 1 and "
                    + "the stratum tells nothing about the effect; check the list, or give the probabilities in the file")
            }
        }
        var derivation: String?
        if !given {
            let detail = strata.map { s in
                "\(s.stratum): " + arms.indices.map { "\(arms[$0]) \(s.counts[$0])/\(s.total)" }.joined(separator: ", ")
            }.joined(separator: "; ")
            derivation = "derived from the declared procedure (\(c.method.rawValue)) by counting clusters, as complete assignment "
                + "of clusters within stratum: p = clusters of the arm / clusters of the stratum (\(detail))"
        }

        // One assignment per eligible family, in the cohort's order.
        var assignments: [ReviewedAssignment] = []
        if problems.isEmpty {
            for m in members.sorted(by: { $0.line < $1.line }) where m.eligible {
                guard let k = m.cluster, let r = byCluster[k], arms.contains(r.arm), let date = m.enrolledOn else { continue }
                let p: Double
                if let q = r.probability {
                    p = q
                } else {
                    let n = counts[stratumOf[k] ?? "all"]!
                    p = Double(n[c.allocation.index(of: r.arm)!]) / Double(n.reduce(0, +))
                }
                assignments.append(ReviewedAssignment(line: m.line, unitID: m.unitID, arm: r.arm, assignedOn: date,
                                                      stratum: stratumOf[k] ?? m.stratum, block: nil, cluster: k, probability: p))
            }
        }
        return ExternalAssignmentReview(problems: problems, warnings: warnings, assignments: assignments,
                                        probabilitiesDerived: !given, derivation: derivation, strata: strata)
    }
}
