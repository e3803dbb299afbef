import Basics
import Foundation
import TrialStore

/// The assignment record as the service exports it to a statistician (`GET /api/v1/assignments`, read by
/// `rct pull`): the trial (its design's fingerprint and the chain's head), every assignment record with its
/// hashes and the family's cohort attributes (pseudonymised; no national number), and every screening.
/// Only records already drawn: the sequence is never exported before use.
public struct AssignmentExport: Codable, Sendable {
    public struct Trial: Codable, Sendable {
        public var trialID: String
        public var designSHA256: String
        public var headSeq: Int
        public var headHash: String
        enum CodingKeys: String, CodingKey {
            case trialID = "trial_id", designSHA256 = "design_sha256", headSeq = "head_seq", headHash = "head_hash"
        }
    }

    public struct Record: Codable, Sendable {
        public var seq: Int
        public var unitID: String
        public var linkKey: String?
        public var line: Int
        public var arm: String
        public var assignedOn: String
        public var recordedAt: String
        public var stratum: String?
        public var block: String?
        public var blockSize: Int?
        public var cluster: String?
        public var probability: Double
        public var procedure: String
        public var seed: UInt64
        public var generator: String
        public var caseManager: String?
        public var capacityStatus: String
        public var runID: Int
        public var prevHash: String
        public var hash: String
        public var sourceSHA256: String?
        public var screeningSHA256: String?
        public var runScreeningSHA256: String?
        public var attributes: [String: String]

        enum CodingKeys: String, CodingKey {
            case seq, unitID = "unit_id", linkKey = "link_key", line, arm, assignedOn = "assigned_on", recordedAt = "recorded_at"
            case stratum, block, blockSize = "block_size", cluster, probability, procedure, seed, generator
            case caseManager = "case_manager", capacityStatus = "capacity_status", runID = "run_id", prevHash = "prev_hash", hash
            case sourceSHA256 = "source_sha256", screeningSHA256 = "screening_sha256"
            case runScreeningSHA256 = "run_screening_sha256", attributes
        }

        init(_ r: AssignmentRecord) {
            let e = r.entry
            seq = r.seq; unitID = e.unitID; linkKey = e.linkKey; line = e.line; arm = e.arm
            assignedOn = e.assignedOn.description; recordedAt = r.recordedAt; stratum = e.stratum; block = e.block
            blockSize = e.blockSize; cluster = e.cluster; probability = e.probability; procedure = e.procedure; seed = e.seed
            generator = e.generator; caseManager = e.caseManager; capacityStatus = e.capacityStatus; runID = r.runID
            prevHash = r.previousHash; hash = r.hash; sourceSHA256 = e.sourceSHA256; attributes = r.attributes
            screeningSHA256 = e.screeningSHA256; runScreeningSHA256 = e.runScreeningSHA256
        }

        /// The record as the store holds it; nil when a date cannot be read.
        public var record: AssignmentRecord? {
            guard let date = CalendarDate(iso: assignedOn) else { return nil }
            var entry = AssignmentEntry(unitID: unitID, linkKey: linkKey, line: line, arm: arm, assignedOn: date, stratum: stratum,
                                        block: block, blockSize: blockSize, cluster: cluster, probability: probability,
                                        procedure: procedure, seed: seed, generator: generator, caseManager: caseManager,
                                        capacityStatus: capacityStatus)
            entry.sourceSHA256 = sourceSHA256
            entry.screeningSHA256 = screeningSHA256
            entry.runScreeningSHA256 = runScreeningSHA256
            return AssignmentRecord(seq: seq, entry: entry, recordedAt: recordedAt, runID: runID, previousHash: prevHash, hash: hash,
                                    attributes: attributes)
        }
    }

    public struct Screening: Codable, Sendable {
        public var runID: Int
        public var unitID: String
        public var linkKey: String?
        public var line: Int
        public var attributes: [String: String]
        public var eligible: Bool
        public var rule: String?
        public var reason: String?
        enum CodingKeys: String, CodingKey {
            case runID = "run_id", unitID = "unit_id", linkKey = "link_key", line, attributes, eligible, rule, reason
        }

        public var entry: ScreeningEntry {
            ScreeningEntry(unitID: unitID, linkKey: linkKey, line: line, attributes: attributes, eligible: eligible, rule: rule, reason: reason)
        }
    }

    public var trial: Trial
    public var records: [Record]
    public var screenings: [Screening]

    static func make(_ store: some EnrolmentStore) async throws -> AssignmentExport {
        let t = try await store.trial()
        let records = try await store.assignmentRecords()
        let screenings = try await store.screenedUnits()
        return AssignmentExport(
            trial: Trial(trialID: t.trialID, designSHA256: t.designSHA256, headSeq: records.last?.seq ?? 0,
                         headHash: records.last?.hash ?? t.designSHA256),
            records: records.map(Record.init),
            screenings: screenings.map { Screening(runID: $0.runID, unitID: $0.entry.unitID, linkKey: $0.entry.linkKey, line: $0.entry.line,
                                                   attributes: $0.entry.attributes, eligible: $0.entry.eligible, rule: $0.entry.rule,
                                                   reason: $0.entry.reason) })
    }
}

/// The manager's view of recruitment: families screened and allocated per site and arm, by month, the
/// places left in the arm with limited capacity, and whether enrolment is paused.
struct Recruitment: Codable, Sendable {
    struct SiteCount: Codable, Sendable {
        var site: String
        var label: String
        var screened: Int
        var excluded: Int
        var byArm: [String: Int]
        enum CodingKeys: String, CodingKey { case site, label, screened, excluded, byArm = "by_arm" }
    }

    struct Month: Codable, Sendable {
        var month: String
        /// Cumulative allocations per arm at the end of the month.
        var cumulative: [String: Int]
    }

    var sites: [SiteCount]
    var months: [Month]
    var arms: [String]
    var capacityArm: String?
    var placesLeft: Int?
    var paused: Bool
    var pauseReason: String?
    var pausedBy: String?

    enum CodingKeys: String, CodingKey {
        case sites, months, arms, capacityArm = "capacity_arm", placesLeft = "places_left", paused
        case pauseReason = "pause_reason", pausedBy = "paused_by"
    }

    static func make(_ service: TrialService) async throws -> Recruitment {
        let d = service.file.design
        let records = try await service.store.assignmentRecords()
        let screened = try await service.store.screenedUnits()
        let column = d.siteColumn
        let siteList: [(String, String)] = d.sites.isEmpty ? [("all", "all")] : d.sites.map { ($0.id, $0.label) }
        var sites: [SiteCount] = []
        for (id, label) in siteList {
            func here(_ attributes: [String: String]) -> Bool { column == nil || attributes[column!] == id }
            let mine = screened.filter { here($0.entry.attributes) }
            var byArm: [String: Int] = [:]
            for a in d.arms { byArm[a.id] = records.filter { $0.entry.arm == a.id && here($0.attributes) }.count }
            sites.append(SiteCount(site: id, label: label, screened: mine.count, excluded: mine.filter { !$0.entry.eligible }.count, byArm: byArm))
        }
        var months: [Month] = []
        var running: [String: Int] = Dictionary(uniqueKeysWithValues: d.arms.map { ($0.id, 0) })
        for (month, inMonth) in Dictionary(grouping: records, by: { String($0.entry.assignedOn.description.prefix(7)) }).sorted(by: { $0.key < $1.key }) {
            for r in inMonth { running[r.entry.arm, default: 0] += 1 }
            months.append(Month(month: month, cumulative: running))
        }
        var placesLeft: Int?
        if let c = d.capacity {
            let active = records.filter { $0.entry.arm == c.arm && $0.entry.capacityStatus != "waiting" }.count
            placesLeft = max(0, c.places - active)
        }
        let pause = try await service.store.pauseState()
        return Recruitment(sites: sites, months: months, arms: d.arms.map(\.id), capacityArm: d.capacity?.arm, placesLeft: placesLeft,
                           paused: pause.paused, pauseReason: pause.reason, pausedBy: pause.actor)
    }
}
