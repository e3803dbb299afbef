import Basics
import Foundation
import GRDB
import TrialData
import TrialDesign

/// The trial store: one SQLite file (GRDB) holding the design's fingerprint, the pseudonymised cohort,
/// screening outcomes and the append-only, hash-chained assignment records. The only module that talks
/// to SQLite. Every write is one transaction: a run that fails half-way leaves the store as it was.
///
/// It never receives a real national number: callers pass study codes and pseudonyms
/// (`Identifiers.Pseudonymizer`).
public final class TrialStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    private static func connect(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another process enrolling at the same moment holds the write lock briefly: wait for it.
        configuration.busyMode = .timeout(10)
        // One file, no write-ahead log beside it: the default rollback journal.
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try StoreMigrations.migrator.migrate(queue)
        return queue
    }

    /// Creates a store for a design. `designData` are the design file's bytes (its SHA-256 is the
    /// fingerprint every later command checks). Throws `alreadyExists` when the file exists.
    public static func create(path: String, design: Design, designFile: String, designData: Data) throws -> TrialStore {
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError.alreadyExists(path: path) }
        let fingerprint = Fingerprint.sha256(designData)
        do {
            let queue = try connect(path)
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO trial (id, trial_id, design_file, design_sha256, created_at, head_seq, head_hash)
                    VALUES (1, ?, ?, ?, ?, 0, ?)
                    """, arguments: [design.trial.id, designFile, fingerprint, Self.now(), fingerprint])
                try db.execute(sql: "INSERT INTO trial_design (id, design_text) VALUES (1, ?)",
                               arguments: [String(decoding: designData, as: UTF8.self)])
            }
            return TrialStore(path: path, queue: queue)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Opens an existing store (bringing its schema up to date).
    public static func open(path: String) throws -> TrialStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
        do {
            let store = TrialStore(path: path, queue: try connect(path))
            _ = try store.trial()
            return store
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.notAStore(path: path, reason: error.message ?? "\(error)")
        }
    }

    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }

    /// The trial row.
    public func trial() throws -> StoredTrial {
        try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM trial WHERE id = 1") else {
                throw StoreError.notAStore(path: path, reason: "it has no trial row; create stores with `rct init`")
            }
            return StoredTrial(trialID: row["trial_id"], designFile: row["design_file"], designSHA256: row["design_sha256"],
                               createdAt: row["created_at"], headSeq: row["head_seq"], headHash: row["head_hash"])
        }
    }

    // MARK: Writing

    /// Records one run in a single transaction: every screened family (cohort + screening), then the
    /// assignments in the given order, each chained to the one before. Refuses (and writes nothing) when a
    /// family already has an arm or was already screened.
    public func record(command: String, screenings: [ScreeningEntry], assignments: [AssignmentEntry]) throws -> RunReceipt {
        try appendRun(command: command) { _ in (screenings, assignments) }
    }

    /// Reads the existing records and appends a run inside ONE immediate (write-locked) transaction:
    /// `make` receives the records in chain order and returns what to append. A rolling procedure replays
    /// the records it is given, so two processes enrolling at once cannot both draw from the same history:
    /// the second waits for the first and then replays its record too. Anything `make` or the inserts
    /// throw rolls the whole run back.
    public func appendRun(command: String,
                          _ make: ([AssignmentRecord]) throws -> (screenings: [ScreeningEntry], assignments: [AssignmentEntry]))
        throws -> RunReceipt {
        try queue.writeWithoutTransaction { db in
            var receipt: RunReceipt?
            try db.inTransaction(.immediate) {
                let (screenings, assignments) = try make(try Self.fetchRecords(db))
                receipt = try insert(db, command: command, screenings: screenings, assignments: assignments)
                return .commit
            }
            return receipt!
        }
    }

    /// Records an assignment made elsewhere in ONE immediate transaction: like `appendRun`, plus one row
    /// of `assignment_imports` (file name, SHA-256, number assigned, whether probabilities were given or
    /// derived). Every assignment must carry `procedure` `imported` and the file's fingerprint in
    /// `sourceSHA256`. Refuses (writing nothing) a file whose bytes were imported before, and anything
    /// `make` or the inserts throw rolls the whole run back.
    public func importRun(file: String, fingerprint: String, probabilitiesDerived: Bool,
                          _ make: ([AssignmentRecord]) throws -> (screenings: [ScreeningEntry], assignments: [AssignmentEntry]))
        throws -> RunReceipt {
        try queue.writeWithoutTransaction { db in
            var receipt: RunReceipt?
            try db.inTransaction(.immediate) {
                if let earlier = try Row.fetchOne(db, sql: "SELECT run_id, file FROM assignment_imports WHERE sha256 = ?",
                                                  arguments: [fingerprint]) {
                    throw StoreError.invalid("\(file): these exact bytes (SHA-256 \(fingerprint.prefix(12))…) were already imported "
                        + "as \(earlier["file"] as String) in run \(earlier["run_id"] as Int); an assignment is imported once")
                }
                let (screenings, assignments) = try make(try Self.fetchRecords(db))
                for a in assignments where !a.isImported || a.sourceSHA256 != fingerprint {
                    throw StoreError.invalid("family \(a.unitID): an imported record needs procedure \(AssignmentEntry.importedProcedure) "
                        + "and the file's fingerprint")
                }
                let r = try insert(db, command: "import-assignment", screenings: screenings, assignments: assignments)
                try db.execute(sql: """
                    INSERT INTO assignment_imports (run_id, file, sha256, assigned, probabilities) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [r.runID, file, fingerprint, assignments.count, probabilitiesDerived ? "derived" : "given"])
                receipt = r
                return .commit
            }
            return receipt!
        }
    }

    /// One imported assignment file.
    public struct ImportedFile: Sendable, Equatable {
        public var runID: Int
        public var file: String
        public var sha256: String
        public var assigned: Int
        public var probabilitiesDerived: Bool

        public init(runID: Int, file: String, sha256: String, assigned: Int, probabilitiesDerived: Bool) {
            self.runID = runID
            self.file = file
            self.sha256 = sha256
            self.assigned = assigned
            self.probabilitiesDerived = probabilitiesDerived
        }
    }

    /// The assignment files imported into the store, in run order.
    public func importedFiles() throws -> [ImportedFile] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM assignment_imports ORDER BY run_id").map {
                ImportedFile(runID: $0["run_id"], file: $0["file"], sha256: $0["sha256"], assigned: $0["assigned"],
                             probabilitiesDerived: ($0["probabilities"] as String) == "derived")
            }
        }
    }

    func insert(_ db: Database, command: String, screenings: [ScreeningEntry],
                        assignments: [AssignmentEntry]) throws -> RunReceipt {
        let trial = try Row.fetchOne(db, sql: "SELECT design_sha256, head_seq, head_hash FROM trial WHERE id = 1")!
        let fingerprint: String = trial["design_sha256"]
        var seq: Int = trial["head_seq"]
        var previous: String = trial["head_hash"]
        // One instant per run: every record of the run carries the run's start time.
        let startedAt = Self.now()
        try db.execute(sql: """
            INSERT INTO runs (command, started_at, design_sha256, screened, assigned) VALUES (?, ?, ?, ?, ?)
            """, arguments: [command, startedAt, fingerprint, screenings.count, assignments.count])
        let runID = Int(db.lastInsertedRowID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let insertCohort = try db.cachedStatement(sql: "INSERT INTO cohort (unit_id, link_key, line, attributes, run_id) VALUES (?, ?, ?, ?, ?)")
        let insertScreening = try db.cachedStatement(sql: "INSERT INTO screening (unit_id, eligible, rule_id, reason, run_id) VALUES (?, ?, ?, ?, ?)")
        for s in screenings {
            try refuseRepeat(db, unit: s.unitID, line: s.line)
            let attributes = String(decoding: try encoder.encode(s.attributes), as: UTF8.self)
            try insertCohort.execute(arguments: [s.unitID, s.linkKey, s.line, attributes, runID])
            try insertScreening.execute(arguments: [s.unitID, s.eligible, s.rule, s.reason, runID])
        }
        let insertAssignment = try db.cachedStatement(sql: """
            INSERT INTO assignments (seq, unit_id, link_key, arm, assigned_on, recorded_at, stratum, block, block_size,
                cluster, probability, procedure, seed, generator, case_manager, capacity_status, run_id, prev_hash, hash,
                source_sha256, screening_sha256, run_screening_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let runScreening = try ScreeningDigest.run(db, runID)
        let eligibility = try db.cachedStatement(sql: "SELECT eligible FROM screening WHERE unit_id = ?")
        for e in assignments {
            guard let eligible = try Bool.fetchOne(eligibility, arguments: [e.unitID]), eligible else {
                throw StoreError.invalid("family \(e.unitID) is assigned but was not screened eligible in this run")
            }
            try refuseRepeat(db, unit: e.unitID, line: e.line, screeningToo: false)
            seq += 1
            let recordedAt = startedAt
            var e = e
            e.screeningSHA256 = try ScreeningDigest.unit(db, e.unitID)
            e.runScreeningSHA256 = runScreening
            let hash = HashChain.hash(seq: seq, entry: e, recordedAt: recordedAt, runID: runID, previousHash: previous)
            try insertAssignment.execute(arguments: [seq, e.unitID, e.linkKey, e.arm, e.assignedOn.description, recordedAt, e.stratum, e.block,
                                 e.blockSize, e.cluster, e.probability, e.procedure, Int64(e.seed), e.generator,
                                 e.caseManager, e.capacityStatus, runID, previous, hash, e.sourceSHA256,
                                 e.screeningSHA256, e.runScreeningSHA256])
            previous = hash
        }
        try db.execute(sql: "UPDATE trial SET head_seq = ?, head_hash = ? WHERE id = 1", arguments: [seq, previous])
        return RunReceipt(runID: runID, screened: screenings.count, assigned: assignments.count, headSeq: seq, headHash: previous)
    }

    private func refuseRepeat(_ db: Database, unit: String, line: Int, screeningToo: Bool = true) throws {
        let assigned = try db.cachedStatement(sql: "SELECT seq, arm, assigned_on FROM assignments WHERE unit_id = ?")
        if let row = try Row.fetchOne(assigned, arguments: [unit]) {
            throw StoreError.alreadyAssigned(unit: unit, line: line, arm: row["arm"], assignedOn: row["assigned_on"], record: row["seq"])
        }
        let screened = try db.cachedStatement(sql: "SELECT reason FROM screening WHERE unit_id = ?")
        if screeningToo, let row = try Row.fetchOne(screened, arguments: [unit]) {
            throw StoreError.alreadyScreened(unit: unit, line: line, reason: row["reason"] ?? "eligible, not assigned")
        }
    }

    // MARK: Reading

    /// Every assignment record in chain order, with the unit's cohort attributes.
    public func assignmentRecords() throws -> [AssignmentRecord] {
        try queue.read { try Self.fetchRecords($0) }
    }

    static func fetchRecords(_ db: Database) throws -> [AssignmentRecord] {
        try fetchRecords(db) { $0 }
    }

    /// The records in chain order, each turned by `transform` as it is read (only the results are held).
    /// `cohortAttributes: false` leaves each record's `attributes` empty (not decoded).
    static func fetchRecords<T>(_ db: Database, cohortAttributes: Bool = true, _ transform: (AssignmentRecord) throws -> T) throws -> [T] {
        let decoder = JSONDecoder()
        // Columns by position (a look-up by name lowercases the name, for every row and column: it was most
        // of the reading at 10,000 families).
        // A cursor: the rows are decoded one by one, not all held as GRDB rows first (at 70,000 families that
        // was most of the memory of every command that opens the store).
        let rows = try Row.fetchCursor(db, sql: """
            SELECT a.seq, a.unit_id, a.link_key, a.arm, a.assigned_on, a.recorded_at, a.stratum, a.block, a.block_size,
                   a.cluster, a.probability, a.procedure, a.seed, a.generator, a.case_manager, a.capacity_status, a.run_id,
                   a.prev_hash, a.hash, a.source_sha256, a.screening_sha256, a.run_screening_sha256, c.attributes, c.line
            FROM assignments a LEFT JOIN cohort c ON c.unit_id = a.unit_id ORDER BY a.seq
            """)
        var out: [T] = []
        while let row = try rows.next() { out.append(try transform(try record(row, decoder: decoder, cohortAttributes: cohortAttributes))) }
        return out
    }

    /// An assignment record from the columns `fetchRecords` selects, in its order.
    static func record(_ row: Row, decoder: JSONDecoder, cohortAttributes: Bool = true) throws -> AssignmentRecord {
        let assignedOnText: String = row[4]
        guard let assignedOn = CalendarDate(iso: assignedOnText) else {
            throw StoreError.invalid("record \(row[0] as Int? ?? 0) has an unreadable date \"\(assignedOnText)\"")
        }
        let seed: Int64 = row[12]
        var entry = AssignmentEntry(unitID: row[1], linkKey: row[2], line: row[23] ?? 0, arm: row[3],
                                    assignedOn: assignedOn, stratum: row[6], block: row[7],
                                    blockSize: row[8], cluster: row[9], probability: row[10],
                                    procedure: row[11], seed: UInt64(max(0, seed)), generator: row[13],
                                    caseManager: row[14], capacityStatus: row[15])
        entry.sourceSHA256 = row[19]
        entry.screeningSHA256 = row[20]
        entry.runScreeningSHA256 = row[21]
        var attributes: [String: String] = [:]
        if cohortAttributes {
            let attributesText: String = row[22] ?? "{}"
            attributes = (try? FieldJSON.strings(attributesText, decoder: decoder).dictionary) ?? [:]
        }
        return AssignmentRecord(seq: row[0], entry: entry, recordedAt: row[5], runID: row[16],
                                previousHash: row[17], hash: row[18], attributes: attributes)
    }

    /// The randomised units as the panel step reads them (`Records.AssignedUnit`), in record order.
    public func assignedUnits() throws -> [AssignedUnit] {
        try assignedUnits(cohortAttributes: true)
    }

    /// The same; `cohortAttributes: false` leaves out their cohort columns (a dictionary per family), for
    /// readers that link on ids and keys only (the import).
    public func assignedUnits(cohortAttributes: Bool) throws -> [AssignedUnit] {
        try queue.read { try Self.fetchRecords($0, cohortAttributes: cohortAttributes) { $0.assignedUnit } }
    }

    /// Screening and assignment counts for the CONSORT diagram.
    public func screeningCounts() throws -> ScreeningCounts {
        try queue.read { db in
            let screened = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM screening") ?? 0
            let eligible = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM screening WHERE eligible = 1") ?? 0
            let excluded = try Row.fetchAll(db, sql: """
                SELECT rule_id, reason, COUNT(*) AS n, MIN(rowid) AS first FROM screening WHERE eligible = 0
                GROUP BY rule_id, reason ORDER BY first
                """).map { (rule: $0["rule_id"] as String? ?? "", reason: $0["reason"] as String? ?? "", count: $0["n"] as Int) }
            var byArm: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT arm, COUNT(*) AS n FROM assignments GROUP BY arm") {
                byArm[row["arm"]] = row["n"]
            }
            return ScreeningCounts(screened: screened, eligible: eligible, excluded: excluded, assignedByArm: byArm)
        }
    }

    /// Every screened family with the run that screened it, in run order and cohort-line order: what a
    /// batch procedure needs to draw a run again (`rct verify --design`).
    public func screenedUnits() throws -> [(runID: Int, entry: ScreeningEntry)] {
        try queue.read { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: """
                SELECT c.unit_id, c.link_key, c.line, c.attributes, s.eligible, s.rule_id, s.reason, s.run_id
                FROM cohort c JOIN screening s ON s.unit_id = c.unit_id ORDER BY s.run_id, c.line, c.rowid
                """).map { row in
                let text: String = row["attributes"]
                let attributes = (try? FieldJSON.strings(text, decoder: decoder).dictionary) ?? [:]
                return (row["run_id"], ScreeningEntry(unitID: row["unit_id"], linkKey: row["link_key"], line: row["line"],
                                                      attributes: attributes, eligible: row["eligible"], rule: row["rule_id"],
                                                      reason: row["reason"]))
            }
        }
    }

    /// The screening outcome of one family, if screened: (eligible, reason).
    public func screening(of unit: String) throws -> (eligible: Bool, reason: String?)? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT eligible, reason FROM screening WHERE unit_id = ?", arguments: [unit])
                .map { ($0["eligible"], $0["reason"]) }
        }
    }

    // MARK: Verification

    /// Recomputes the chain: every record's hash from its content, every link to the record before, the
    /// sequence numbers, the head kept in `trial`, and the append-only triggers. `expectedHead` is a head
    /// hash kept outside the store.
    ///
    /// `full` (what `rct verify` does) also reads back every row kept for every import and compares it
    /// with the import's digest; without it (what every command that opens a store does before it reads
    /// it) the rows are counted, not read.
    public func verify(expectedHead: String? = nil) throws -> VerificationReport {
        try verify(expectedHead: expectedHead, full: true)
    }

    /// `verify(expectedHead:)`, with the imported rows read back (`full`) or only counted.
    public func verify(expectedHead: String?, full: Bool) throws -> VerificationReport {
        let trial = try trial()
        let records = try assignmentRecords()
        let triggers = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        var report = ChainCheck.verify(trial: trial, records: records,
                                       missingTriggers: StoreMigrations.appendOnlyTriggers.filter { !triggers.contains($0) },
                                       expectedHead: expectedHead)
        let hashes = Dictionary(records.map { ($0.seq, $0.hash) }, uniquingKeysWith: { a, _ in a })
        report.problems += try amendmentProblems(designSHA256: trial.designSHA256, assignmentHashes: hashes)
        report.problems += try queue.read { db in
            try ScreeningDigest.problems(db, records: records)
                + ImportChain.problems(db, designSHA256: trial.designSHA256, assignmentHashes: hashes, full: full)
                + Self.rotationProblems(db, designSHA256: trial.designSHA256, assignmentHashes: hashes)
        }
        report.keyRotations = try keyRotations().count
        report.amendments = try amendments().count
        return report
    }
}
