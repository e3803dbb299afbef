import Foundation
import TrialData

/// The enrolment side of a trial store, whatever holds it: the pseudonymised cohort, screening outcomes
/// and the hash-chained, append-only assignment records. `TrialStore` (SQLite, one file, the default for a
/// pilot and the analyst's local store) and `PostgresTrialStore` (PostgreSQL, shared by the processes of a
/// central service) implement it with the same chain (`HashChain`), the same checks (`ChainCheck`) and the
/// same replay semantics: `appendRun` hands the records in chain order to the caller and appends what it
/// returns inside ONE write-locked transaction, so two enrolments at the same moment are serialised per
/// trial and the second replays the first one's record.
///
/// A synchronous method satisfies each requirement: `TrialStore`'s GRDB calls block briefly; PostgreSQL's
/// are asynchronous.
public protocol EnrolmentStore: AnyObject, Sendable {
    /// Where the store is, for messages: a file path, or a database URL without its password.
    var location: String { get }

    /// The trial row: its design's fingerprint and the chain's head.
    func trial() async throws -> StoredTrial

    /// Throws `StoreError.designChanged` unless the design bytes are the ones the store was created with.
    func checkDesign(_ designData: Data) async throws

    /// Reads the records and appends a run inside one write-locked transaction (a row lock on the trial in
    /// PostgreSQL, `BEGIN IMMEDIATE` in SQLite). `make` receives the records in chain order and returns the
    /// screenings and assignments to append, and a value handed back with the receipt. Anything `make` or
    /// the inserts throw rolls the whole run back; a family screened or assigned before is refused
    /// (`StoreError.alreadyScreened`, `.alreadyAssigned`).
    func appendRun<Result: Sendable>(
        command: String,
        _ make: ([AssignmentRecord]) throws -> (screenings: [ScreeningEntry], assignments: [AssignmentEntry], result: Result)
    ) async throws -> (receipt: RunReceipt, result: Result)

    /// Every assignment record in chain order, with the unit's cohort attributes.
    func assignmentRecords() async throws -> [AssignmentRecord]

    /// Every screened family with the run that screened it, in run order and cohort-line order.
    func screenedUnits() async throws -> [(runID: Int, entry: ScreeningEntry)]

    /// The screening outcome of one family, if screened.
    func screening(of unit: String) async throws -> (eligible: Bool, reason: String?)?

    /// Screening and assignment counts for the CONSORT diagram.
    func screeningCounts() async throws -> ScreeningCounts

    /// The assignment files imported into the store (`rct import-assignment`), in run order.
    func importedFiles() async throws -> [TrialStore.ImportedFile]

    /// Recomputes the chain (`ChainCheck`) and checks that the append-only triggers are in place.
    func verify(expectedHead: String?) async throws -> VerificationReport

    /// Releases the connections (PostgreSQL); nothing for a file.
    func close()
}

extension EnrolmentStore {
    /// The randomised units as the panel and balance read them, in record order.
    public func assignedUnits() async throws -> [AssignedUnit] {
        try await assignmentRecords().map(\.assignedUnit)
    }

    /// One family's assignment record, if it has one.
    public func record(of unit: String) async throws -> AssignmentRecord? {
        try await assignmentRecords().first { $0.entry.unitID == unit }
    }
}

extension AssignmentRecord {
    /// The record as the panel step reads a randomised unit.
    public var assignedUnit: AssignedUnit {
        AssignedUnit(id: entry.unitID, linkKey: entry.linkKey, arm: entry.arm, assignedOn: entry.assignedOn,
                     stratum: entry.stratum, block: entry.block, cluster: entry.cluster,
                     probability: entry.probability, attributes: attributes)
    }
}

extension TrialStore: EnrolmentStore {
    public var location: String { path }

    public func appendRun<Result: Sendable>(
        command: String,
        _ make: ([AssignmentRecord]) throws -> (screenings: [ScreeningEntry], assignments: [AssignmentEntry], result: Result)
    ) throws -> (receipt: RunReceipt, result: Result) {
        var result: Result?
        let receipt = try appendRun(command: command) { records in
            let made = try make(records)
            result = made.result
            return (made.screenings, made.assignments)
        }
        return (receipt, result!)
    }
}

extension TrialStore {
    /// Nothing to release: the file closes with the store.
    public func close() {}
}
