import Assignment
import Basics
import Foundation
import TrialDesign
import TrialStore
import Workflow

/// The enrolment of one family through the service, shared by the JSON API and the web form: the
/// caller's right to enrol at the site, the fields checked against the design's form, the family taken in
/// (national numbers pseudonymised at once), the first answer given again to a family seen before (never
/// drawn twice), otherwise screened and drawn in the store's write lock. Nothing here stores, logs or
/// returns a national number.
struct EnrolmentDesk: Sendable {
    let service: TrialService

    /// The answer about one family, as the API returns it.
    struct Answer: Codable, Sendable, Equatable {
        var familyID: String
        var site: String?
        var eligible: Bool
        var arm: String?
        var probability: Double?
        var assignedOn: String?
        var recordHash: String?
        var caseManager: String?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case familyID = "family_id", site, eligible, arm, probability, assignedOn = "assigned_on"
            case recordHash = "record_hash", caseManager = "case_manager", reason
        }

        /// Without the arm and what would reveal it (an enroller's view of a family enrolled earlier).
        var concealed: Answer {
            var a = self
            a.arm = nil
            a.probability = nil
            a.caseManager = nil
            return a
        }
    }

    enum Outcome: Sendable {
        /// Drawn now (201).
        case allocated(Answer)
        /// Screened out now (200).
        case excluded(Answer)
        /// Seen before: the first answer (200).
        case repeated(Answer)
        /// A field that cannot be used (422).
        case invalid(field: String, message: String)
        /// The caller may not enrol there (403).
        case forbidden(String)
        /// Enrolment is paused, or the arm with limited places is full (409).
        case unavailable(String)
        /// The service's pseudonymisation key is not the store's key in force (a rotation while it ran):
        /// nothing was written (503).
        case keyRefused(KeyRefusal)
    }

    func enrol(user: ServiceUser, familyID rawID: String, site: String, fields given: [String: String]) async throws -> Outcome {
        let design = service.file.design
        guard user.role == .enroller else {
            return .forbidden("a \(user.role.rawValue) does not enrol families; enrollers do, each for their site")
        }
        if let siteColumn = design.siteColumn {
            guard design.sites.contains(where: { $0.id == site }) else {
                return .invalid(field: "site", message: "is not a site of this trial; the sites are: " + design.sites.map(\.id).joined(separator: ", "))
            }
            guard user.site == site else { return .forbidden("\(user.name) enrols for \(user.site ?? "no site"), not for \(site)") }
            _ = siteColumn
        }
        let familyID = rawID.trimmingCharacters(in: .whitespaces)
        guard !familyID.isEmpty else { return .invalid(field: "family_id", message: "is missing") }
        var fields: [String: String]
        do {
            var withID = given
            if let existing = withID[service.form.idColumn], existing != familyID {
                return .invalid(field: service.form.idColumn, message: "differs from family_id; give the identifier once, as family_id")
            }
            withID[service.form.idColumn] = familyID
            fields = try service.form.check(withID)
        } catch let problem as EnrolmentForm.Problem {
            return .invalid(field: problem.field == service.form.idColumn ? "family_id" : problem.field, message: problem.message)
        }
        if let siteColumn = design.siteColumn { fields[siteColumn] = site }
        var prepared: Enrolment.Prepared
        do {
            prepared = try Enrolment.prepare(service.file, plan: service.plan, family: .fields(fields), date: service.today())
        } catch let error as AssignmentError {
            return .invalid(field: "fields", message: Redaction.mask(error.description))
        }
        // On SQLite: the key in force (checked again in the write lock) and, after a rotation, the family's
        // canonical link key, so that a family enrolled before is found.
        if let sqlite = service.store as? TrialStore {
            do { prepared = try Enrolment.linked(service.file, prepared, store: sqlite) } catch let error as StoreError {
                if let refusal = service.keyRefusal(error) { return .keyRefused(refusal) }
                throw error
            }
        }
        if let first = try await firstAnswer(unit: prepared.unit.id) {
            guard first.site == nil || first.site == site else {
                return .forbidden("family \(prepared.unit.id) was enrolled at another site")
            }
            return .repeated(first)
        }
        let pause = try await service.store.pauseState()
        if pause.paused {
            return .unavailable("enrolment is paused" + (pause.reason.map { ": \($0)" } ?? "") + "; no family is randomised until a manager resumes it")
        }
        do {
            let outcome = try await Enrolment.enrol(prepared, store: service.store, command: "serve")
            if let a = outcome.run.assignments.first {
                return .allocated(Answer(familyID: a.unitID, site: site, eligible: true, arm: a.arm, probability: a.probability,
                                         assignedOn: a.assignedOn?.description, recordHash: outcome.receipt.headHash,
                                         caseManager: a.caseManager, reason: nil))
            }
            if case let .excluded(_, reason)? = outcome.run.screened.first?.outcome {
                return .excluded(Answer(familyID: prepared.unit.id, site: site, eligible: false, reason: reason))
            }
            return .excluded(Answer(familyID: prepared.unit.id, site: site, eligible: false, reason: "not assigned"))
        } catch let error as StoreError {
            // The same family sent twice at once: the second waited for the first, which recorded it.
            switch error {
            case .alreadyAssigned, .alreadyScreened:
                if let first = try await firstAnswer(unit: prepared.unit.id) { return .repeated(first) }
                throw error
            case .wrongKey, .rotatedKey:
                if let refusal = service.keyRefusal(error) { return .keyRefused(refusal) }
                throw error
            default: throw error
            }
        } catch let error as AssignmentError {
            switch error {
            case .capacityFull, .capacityExceeded: return .unavailable(error.description)
            default: return .invalid(field: "fields", message: Redaction.mask(error.description))
            }
        } catch let error as WorkflowError {
            return .unavailable(Redaction.mask(error.description))
        }
    }

    /// What the service answered the first time about a family, if it has seen it.
    func firstAnswer(unit: String) async throws -> Answer? {
        let siteColumn = service.file.design.siteColumn
        if let r = try await service.store.record(of: unit) {
            return Answer(familyID: unit, site: siteColumn.flatMap { r.attributes[$0] }, eligible: true, arm: r.entry.arm,
                          probability: r.entry.probability, assignedOn: r.entry.assignedOn.description, recordHash: r.hash,
                          caseManager: r.entry.caseManager, reason: nil)
        }
        guard let screening = try await service.store.screening(of: unit) else { return nil }
        let site = try await siteColumn.asyncFlatMap { column in
            try await service.store.screenedUnits().first { $0.entry.unitID == unit }?.entry.attributes[column]
        }
        return Answer(familyID: unit, site: site, eligible: screening.eligible, reason: screening.reason)
    }

    /// Every family the service screened, with its answer, in order of enrolment; `site` limits them to one.
    func list(site: String?) async throws -> [Answer] {
        let siteColumn = service.file.design.siteColumn
        let records = Dictionary(try await service.store.assignmentRecords().map { ($0.entry.unitID, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [Answer] = []
        for (_, s) in try await service.store.screenedUnits() {
            let familySite = siteColumn.flatMap { s.attributes[$0] }
            if let site, familySite != site { continue }
            if let r = records[s.unitID] {
                out.append(Answer(familyID: s.unitID, site: familySite, eligible: true, arm: r.entry.arm, probability: r.entry.probability,
                                  assignedOn: r.entry.assignedOn.description, recordHash: r.hash, caseManager: r.entry.caseManager))
            } else {
                out.append(Answer(familyID: s.unitID, site: familySite, eligible: s.eligible, reason: s.reason))
            }
        }
        return out
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// The one masking function of the service's messages: anything that looks like a national number (11
/// digits, with or without separators) is replaced before a message is shown, returned or logged.
public enum Redaction {
    public static func mask(_ text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            let digits = run.filter(\.isNumber)
            out += digits.count >= 9 ? String(repeating: "•", count: 11) : run
            run = ""
        }
        for ch in text {
            if ch.isASCII && (ch.isNumber || ((ch == "." || ch == "-" || ch == " ") && !run.isEmpty)) {
                run.append(ch)
            } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }
}
