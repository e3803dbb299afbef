import Basics
import NumericCore
import TrialData
import TrialDesign

/// One family's assignment with everything the record keeps: arm, probability, where it was drawn
/// (stratum, block, cluster), how (procedure, seed, generator) and what it means for capacity.
public struct UnitAssignment: Sendable, Equatable {
    public var unitID: String
    public var linkKey: String?
    /// The cohort line (0 for a family enrolled from the command line).
    public var line: Int
    public var arm: String
    /// The probability of the arm received (w_k / S; for minimisation the conditional probability).
    public var probability: Double
    public var assignedOn: CalendarDate?
    public var stratum: String?
    /// The block label: the stratum for blocked designs, `STRATUM#n` for the n-th permuted block.
    public var block: String?
    public var blockSize: Int?
    public var cluster: String?
    /// The design's method, e.g. `permuted_blocks`.
    public var procedure: String
    public var seed: UInt64
    public var generator: String
    public var caseManager: String?
    public var capacityStatus: CapacityStatus

    public init(unitID: String, linkKey: String?, line: Int, arm: String, probability: Double, assignedOn: CalendarDate?,
                stratum: String?, block: String?, blockSize: Int?, cluster: String?, procedure: String, seed: UInt64,
                generator: String, caseManager: String?, capacityStatus: CapacityStatus) {
        self.unitID = unitID
        self.linkKey = linkKey
        self.line = line
        self.arm = arm
        self.probability = probability
        self.assignedOn = assignedOn
        self.stratum = stratum
        self.block = block
        self.blockSize = blockSize
        self.cluster = cluster
        self.procedure = procedure
        self.seed = seed
        self.generator = generator
        self.caseManager = caseManager
        self.capacityStatus = capacityStatus
    }
}

/// An assignment already in the store, in record order: what a rolling procedure replays.
public struct PriorAssignment: Sendable, Equatable {
    public var unitID: String
    public var arm: String
    public var attributes: [String: String]
    public var capacityStatus: CapacityStatus
    public var caseManager: String?
    /// What the draw gave besides the arm, as stored (probability, stratum, block); when given, a replay
    /// compares it too.
    public var drawn: (probability: Double, stratum: String?, block: String?)?

    public static func == (a: PriorAssignment, b: PriorAssignment) -> Bool {
        a.unitID == b.unitID && a.arm == b.arm && a.attributes == b.attributes && a.capacityStatus == b.capacityStatus
            && a.caseManager == b.caseManager && a.drawn?.probability == b.drawn?.probability
            && a.drawn?.stratum == b.drawn?.stratum && a.drawn?.block == b.drawn?.block
    }

    public init(unitID: String, arm: String, attributes: [String: String], capacityStatus: CapacityStatus, caseManager: String?) {
        self.unitID = unitID
        self.arm = arm
        self.attributes = attributes
        self.capacityStatus = capacityStatus
        self.caseManager = caseManager
    }
}

public struct ScreenedUnit: Sendable, Equatable {
    public var unit: CohortUnit
    public var outcome: ScreeningOutcome
}

/// The outcome of one run: every family screened (cohort order) and the assignments made (in the order
/// they were drawn, which is the order of the records).
public struct AssignmentRun: Sendable {
    public var screened: [ScreenedUnit]
    public var assignments: [UnitAssignment]
    public var ledger: CapacityLedger
}

/// Runs a plan on cohort units: screening, strata, the procedure, capacity and case managers.
///
/// Batch methods (`simple`, `complete`, `blocked`, `clustered`, `blocked_clustered`) randomise the
/// eligible families of one cohort at once, in cohort order, with a generator seeded with the plan's
/// seed; a store holds one such run. Rolling methods (`permuted_blocks`, `minimisation`) assign families
/// one at a time in enrolment order (date, then cohort line): the generator is seeded with the seed and
/// every earlier assignment of the store is replayed first (and must come out the same), so enrolling
/// one family a day and assigning the whole cohort at once give the same arms.
public struct TrialAssigner {
    public let plan: AssignmentPlan
    public let source: String

    public init(plan: AssignmentPlan, source: String) {
        self.plan = plan
        self.source = source
    }

    public func screen(_ units: [CohortUnit]) throws -> [ScreenedUnit] {
        try units.map { ScreenedUnit(unit: $0, outcome: try plan.eligibility.screen($0, source: source)) }
    }

    public func run(_ units: [CohortUnit], prior: [PriorAssignment] = []) throws -> AssignmentRun {
        let screened = try screen(units)
        let eligible = screened.filter(\.outcome.isEligible).map(\.unit)
        var ledger = CapacityLedger(capacity: plan.capacity)
        for p in prior { ledger.restore(status: p.capacityStatus, caseManager: p.caseManager) }
        let assignments = plan.isRolling
            ? try rolling(eligible, prior: prior, ledger: &ledger)
            : try batch(eligible, prior: prior, ledger: &ledger)
        return AssignmentRun(screened: screened, assignments: assignments, ledger: ledger)
    }

    // MARK: Batch

    private func batch(_ units: [CohortUnit], prior: [PriorAssignment], ledger: inout CapacityLedger) throws -> [UnitAssignment] {
        if !prior.isEmpty {
            throw AssignmentError.invalidCohort("the store already holds the \(plan.method.rawValue) randomisation of "
                + "\(prior.count) families; a batch method randomises one cohort once. For families that arrive over "
                + "time use method permuted_blocks or minimisation")
        }
        let generator = RandomGenerator(seed: plan.seed)
        let strata = try units.map { try plan.stratum(of: $0, source: source) }
        let dates = try units.map { try plan.enrolmentDate(of: $0, source: source) }
        let clusters = try plan.clusterColumn.map { column in
            try units.map { u -> String in
                let c = (u.attributes[column] ?? "").trimmingCharacters(in: .whitespaces)
                if c.isEmpty { throw AssignmentError.invalidCohort("\(source):\(u.line): the cluster column \(column) is empty") }
                return c
            }
        }
        let blocks = strata.map { $0 ?? "all" }
        let a = plan.allocation
        let arms: [Int]
        switch plan.method {
        case .simple: arms = SimpleAssignment.assign(units: units.count, allocation: a, generator: generator)
        case .complete: arms = CompleteAssignment.assign(units: units.count, allocation: a, generator: generator)
        case .blocked: arms = BlockedAssignment.assign(blocks: blocks, allocation: a, generator: generator)
        case .clustered: arms = ClusteredAssignment.assign(clusters: clusters!, allocation: a, generator: generator)
        case .blockedClustered:
            arms = try ClusteredAssignment.assign(clusters: clusters!, blocks: blocks, allocation: a, generator: generator)
        case .permutedBlocks, .minimisation: fatalError("rolling methods are handled by rolling(_:)")
        }
        if let capacity = plan.capacity, capacity.whenFull == .pause, let k = a.index(of: capacity.arm) {
            let needed = arms.filter { $0 == k }.count
            if needed > ledger.free { throw AssignmentError.capacityExceeded(arm: capacity.arm, needed: needed, free: ledger.free) }
        }
        return units.indices.map { i in
            let arm = a.arms[arms[i]]
            let (status, manager) = ledger.admit(arm: arm)
            let blockLabel: String? = [.blocked, .blockedClustered].contains(plan.method) ? blocks[i] : nil
            return UnitAssignment(unitID: units[i].id, linkKey: units[i].linkKey, line: units[i].line, arm: arm,
                                  probability: a.probability(of: arms[i]), assignedOn: dates[i], stratum: strata[i],
                                  block: blockLabel, blockSize: nil, cluster: clusters?[i], procedure: plan.method.rawValue,
                                  seed: plan.seed, generator: generator.name, caseManager: manager, capacityStatus: status)
        }
    }

    // MARK: Rolling

    private enum Engine {
        case blocks(PermutedBlocks)
        case minimisation(Minimisation)
    }

    private func makeEngine() throws -> Engine {
        switch plan.method {
        case .permutedBlocks: return .blocks(try PermutedBlocks(allocation: plan.allocation, sizes: plan.blockSizes))
        default:
            return .minimisation(try Minimisation(allocation: plan.allocation, factors: plan.minimisationFactors,
                                                  followProbability: plan.followProbability ?? 1))
        }
    }

    private func draw(_ engine: inout Engine, attributes: [String: String], stratum: String?,
                      generator: RandomGenerator) -> (arm: Int, probability: Double, block: String?, size: Int?) {
        switch engine {
        case var .blocks(b):
            let label = stratum ?? "all"
            let d = b.next(stratum: label, generator: generator)
            engine = .blocks(b)
            return (d.arm, plan.allocation.probability(of: d.arm), "\(label)#\(d.block)", d.blockSize)
        case var .minimisation(m):
            let levels = Dictionary(uniqueKeysWithValues: m.factors.map {
                ($0, (attributes[$0] ?? "").trimmingCharacters(in: .whitespaces))
            })
            let d = m.next(levels: levels, generator: generator)
            engine = .minimisation(m)
            return (d.arm, d.probability, nil, nil)
        }
    }

    private func rolling(_ units: [CohortUnit], prior: [PriorAssignment], ledger: inout CapacityLedger) throws -> [UnitAssignment] {
        let generator = RandomGenerator(seed: plan.seed)
        var engine = try makeEngine()
        // Replay the store's earlier assignments, in record order.
        for (i, p) in prior.enumerated() {
            let unit = CohortUnit(id: p.unitID, line: 0, attributes: p.attributes)
            let stratum = try plan.stratum(of: unit, source: "stored record \(i + 1)")
            let d = draw(&engine, attributes: p.attributes, stratum: stratum, generator: generator)
            let arm = plan.allocation.arms[d.arm]
            if arm != p.arm {
                throw AssignmentError.replayMismatch(record: i + 1, unit: p.unitID, stored: p.arm, replayed: arm)
            }
            if let stored = p.drawn {
                let fields: [(String, String?, String?)] = [
                    ("probability", String(describing: stored.probability), String(describing: d.probability)),
                    ("stratum", stored.stratum, stratum), ("block", stored.block, d.block),
                ]
                if let (name, was, again) = fields.first(where: { $0.1 != $0.2 }) {
                    throw AssignmentError.replayMismatch(record: i + 1, unit: p.unitID, stored: "\(name) \(was ?? "none")",
                                                         replayed: "\(name) \(again ?? "none")")
                }
            }
        }
        // New families in enrolment order: date, then cohort line (the sort is stable).
        let dated = try units.map { ($0, try plan.enrolmentDate(of: $0, source: source)) }
        let ordered = dated.enumerated().sorted { x, y in
            switch (x.element.1, y.element.1) {
            case let (a?, b?) where a != b: return a < b
            default: return x.offset < y.offset
            }
        }.map(\.element)
        var out: [UnitAssignment] = []
        for (unit, date) in ordered {
            let stratum = try plan.stratum(of: unit, source: source)
            if let capacity = plan.capacity, capacity.whenFull == .pause, ledger.isFull {
                throw AssignmentError.forUnit(unit.id, line: unit.line,
                                              .capacityFull(arm: capacity.arm, places: capacity.places))
            }
            let d = draw(&engine, attributes: unit.attributes, stratum: stratum, generator: generator)
            let arm = plan.allocation.arms[d.arm]
            let (status, manager) = ledger.admit(arm: arm)
            out.append(UnitAssignment(unitID: unit.id, linkKey: unit.linkKey, line: unit.line, arm: arm,
                                      probability: d.probability, assignedOn: date, stratum: stratum, block: d.block,
                                      blockSize: d.size, cluster: nil, procedure: plan.method.rawValue, seed: plan.seed,
                                      generator: generator.name, caseManager: manager, capacityStatus: status))
        }
        return out
    }
}

extension UnitAssignment {
    /// The value the panel step reads. Needs `assignedOn` (every design run has it).
    public func assignedUnit(attributes: [String: String]) -> AssignedUnit? {
        guard let assignedOn else { return nil }
        return AssignedUnit(id: unitID, linkKey: linkKey, arm: arm, assignedOn: assignedOn, stratum: stratum,
                            block: block, cluster: cluster, probability: probability, attributes: attributes)
    }
}
