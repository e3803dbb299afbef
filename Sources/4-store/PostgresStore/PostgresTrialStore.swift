import Basics
import Foundation
import PostgresNIO
import TrialData
import TrialDesign
import TrialStore

/// The enrolment side of a trial store in PostgreSQL (PostgresNIO): the pseudonymised cohort, screening,
/// the hash-chained append-only assignment records (and, in later migrations, users and the audit log),
/// for a central service whose processes share one database. Same chain (`HashChain`), same checks
/// (`ChainCheck`) and same replay semantics as the SQLite `TrialStore`: `appendRun` takes a row lock on the
/// trial (`SELECT … FOR UPDATE`), so enrolments of one trial are serialised whatever the number of server
/// processes, and each one replays the records of those before it.
///
/// One database holds one trial. Text columns hold dates (`YYYY-MM-DD`) and instants (ISO 8601 UTC) exactly
/// as the SQLite store writes them, so a record hashes the same in both. The registry data stay in the
/// analyst's local SQLite store (`rct pull` copies the assignment record there).
public final class PostgresTrialStore: EnrolmentStore {
    public let location: String
    let client: PostgresClient
    private let running: Task<Void, Never>
    let logger: Logger

    private init(location: String, client: PostgresClient) {
        self.location = location
        self.client = client
        self.logger = Logger(label: "rct.postgres")
        self.running = Task { await client.run() }
    }

    deinit { running.cancel() }

    /// Stops the connection pool.
    public func close() { running.cancel() }

    /// Connects to the database at `url` and brings its schema up to date (`PostgresMigrations`).
    public static func connect(url: String) async throws -> PostgresTrialStore {
        let target = try DatabaseURL(url)
        var configuration = PostgresClient.Configuration(host: target.host, port: target.port, username: target.user,
                                                         password: target.password, database: target.database,
                                                         tls: target.tls)
        configuration.options.connectTimeout = .seconds(10)
        let store = PostgresTrialStore(location: target.redacted, client: PostgresClient(configuration: configuration))
        do {
            try await store.transaction { try await PostgresMigrations.migrate($0, logger: store.logger) }
        } catch {
            store.close()
            throw store.wrap(error)
        }
        return store
    }

    /// Creates the trial in an empty database (`rct init DESIGN --database URL`); throws `alreadyExists`
    /// when the database already holds a trial.
    public static func create(url: String, design: Design, designFile: String, designData: Data) async throws -> PostgresTrialStore {
        let store = try await connect(url: url)
        let fingerprint = Fingerprint.sha256(designData)
        do {
            try await store.transaction { c in
                let existing = try await c.query("SELECT trial_id FROM trial WHERE id = 1", logger: store.logger)
                for try await _ in existing { throw StoreError.alreadyExists(path: store.location) }
                try await c.query("""
                    INSERT INTO trial (id, trial_id, design_file, design_sha256, created_at, head_seq, head_hash)
                    VALUES (1, \(design.trial.id), \(designFile), \(fingerprint), \(TrialStore.now()), 0, \(fingerprint))
                    """, logger: store.logger)
            }
        } catch {
            store.close()
            throw store.wrap(error)
        }
        return store
    }

    /// Opens the trial in the database at `url`: `StoreError.missing` when it holds none yet.
    public static func open(url: String) async throws -> PostgresTrialStore {
        let store = try await connect(url: url)
        do { _ = try await store.trial() } catch {
            store.close()
            throw error
        }
        return store
    }

    // MARK: Transactions

    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back when it
    /// throws (the error is rethrown as it is).
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { c in
            try await c.query("BEGIN", logger: logger)
            do {
                let value = try await body(c)
                try await c.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await c.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// A database error in the store's words (the server's message, its SQLSTATE); store errors as they are.
    func wrap(_ error: Error) -> Error {
        if error is StoreError { return error }
        if let e = error as? PSQLError {
            let message = e.serverInfo?[.message] ?? "\(e.code)"
            let state = e.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return StoreError.notAStore(path: location, reason: message + state)
        }
        return StoreError.notAStore(path: location, reason: "\(error)")
    }

    func rows(_ query: PostgresQuery, on c: PostgresConnection? = nil) async throws -> [PostgresRandomAccessRow] {
        do {
            let sequence = if let c { try await c.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
            var out: [PostgresRandomAccessRow] = []
            for try await row in sequence { out.append(row.makeRandomAccess()) }
            return out
        } catch {
            throw wrap(error)
        }
    }

    // MARK: EnrolmentStore

    public func trial() async throws -> StoredTrial {
        guard let r = try await rows("SELECT * FROM trial WHERE id = 1").first else {
            throw StoreError.missing(path: location)
        }
        return StoredTrial(trialID: try r["trial_id"].decode(String.self), designFile: try r["design_file"].decode(String.self),
                           designSHA256: try r["design_sha256"].decode(String.self), createdAt: try r["created_at"].decode(String.self),
                           headSeq: try r["head_seq"].decode(Int.self), headHash: try r["head_hash"].decode(String.self))
    }

    public func checkDesign(_ designData: Data) async throws {
        let current = Fingerprint.sha256(designData)
        let stored = try await trial().designSHA256
        if current != stored { throw StoreError.designChanged(path: location, stored: stored, current: current) }
    }

    public func appendRun<Result: Sendable>(
        command: String,
        _ make: ([AssignmentRecord]) throws -> (screenings: [ScreeningEntry], assignments: [AssignmentEntry], result: Result)
    ) async throws -> (receipt: RunReceipt, result: Result) {
        do {
            return try await transaction { c in
                // The row lock that serialises every run of this trial, across connections and processes.
                guard let head = try await rows("SELECT design_sha256, head_seq, head_hash FROM trial WHERE id = 1 FOR UPDATE", on: c).first
                else { throw StoreError.missing(path: location) }
                let made = try make(try await fetchRecords(on: c))
                let receipt = try await insert(on: c, head: head, command: command, screenings: made.screenings,
                                               assignments: made.assignments)
                return (receipt, made.result)
            }
        } catch {
            throw wrap(error)
        }
    }

    private func insert(on c: PostgresConnection, head: PostgresRandomAccessRow, command: String,
                        screenings: [ScreeningEntry], assignments: [AssignmentEntry]) async throws -> RunReceipt {
        let fingerprint = try head["design_sha256"].decode(String.self)
        var seq = try head["head_seq"].decode(Int.self)
        var previous = try head["head_hash"].decode(String.self)
        let startedAt = TrialStore.now()
        // Run numbers without gaps (a sequence would skip the numbers of rolled-back runs): the next after
        // the last, under the trial's row lock.
        let runID = try await rows("SELECT COALESCE(MAX(run_id), 0) + 1 AS next FROM runs", on: c)[0]["next"].decode(Int.self)
        try await c.query("""
            INSERT INTO runs (run_id, command, started_at, design_sha256, screened, assigned)
            VALUES (\(runID), \(command), \(startedAt), \(fingerprint), \(screenings.count), \(assignments.count))
            """, logger: logger)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var screeningRows: [String: ScreeningDigest.StoredRow] = [:]
        for s in screenings {
            try await refuseRepeat(on: c, unit: s.unitID, line: s.line)
            let attributes = String(decoding: try encoder.encode(s.attributes), as: UTF8.self)
            screeningRows[s.unitID] = ScreeningDigest.StoredRow(unit: s.unitID, linkKey: s.linkKey, line: s.line, attributesJSON: attributes,
                                                                eligible: s.eligible, rule: s.rule, reason: s.reason, runID: runID)
            try await c.query("""
                INSERT INTO cohort (unit_id, link_key, line, attributes, run_id)
                VALUES (\(s.unitID), \(s.linkKey), \(s.line), \(attributes), \(runID))
                """, logger: logger)
            try await c.query("""
                INSERT INTO screening (unit_id, eligible, rule_id, reason, run_id)
                VALUES (\(s.unitID), \(s.eligible), \(s.rule), \(s.reason), \(runID))
                """, logger: logger)
        }
        let runScreening = ScreeningDigest.run(screeningRows.values.sorted(by: ScreeningDigest.StoredRow.inRunOrder))
        for e in assignments {
            let eligible = try await rows("SELECT eligible FROM screening WHERE unit_id = \(e.unitID)", on: c).first
            guard let eligible, try eligible["eligible"].decode(Bool.self) else {
                throw StoreError.invalid("family \(e.unitID) is assigned but was not screened eligible in this run")
            }
            try await refuseRepeat(on: c, unit: e.unitID, line: e.line, screeningToo: false)
            seq += 1
            var e = e
            e.screeningSHA256 = screeningRows[e.unitID].map(ScreeningDigest.unit)
            e.runScreeningSHA256 = runScreening
            let hash = HashChain.hash(seq: seq, entry: e, recordedAt: startedAt, runID: runID, previousHash: previous)
            try await c.query("""
                INSERT INTO assignments (seq, unit_id, link_key, arm, assigned_on, recorded_at, stratum, block, block_size,
                    cluster, probability, procedure, seed, generator, case_manager, capacity_status, run_id, prev_hash, hash,
                    source_sha256, screening_sha256, run_screening_sha256)
                VALUES (\(seq), \(e.unitID), \(e.linkKey), \(e.arm), \(e.assignedOn.description), \(startedAt), \(e.stratum),
                    \(e.block), \(e.blockSize), \(e.cluster), \(e.probability), \(e.procedure), \(Int64(e.seed)), \(e.generator),
                    \(e.caseManager), \(e.capacityStatus), \(runID), \(previous), \(hash), \(e.sourceSHA256),
                    \(e.screeningSHA256), \(e.runScreeningSHA256))
                """, logger: logger)
            previous = hash
        }
        try await c.query("UPDATE trial SET head_seq = \(seq), head_hash = \(previous) WHERE id = 1", logger: logger)
        return RunReceipt(runID: runID, screened: screenings.count, assigned: assignments.count, headSeq: seq, headHash: previous)
    }

    private func refuseRepeat(on c: PostgresConnection, unit: String, line: Int, screeningToo: Bool = true) async throws {
        if let r = try await rows("SELECT seq, arm, assigned_on FROM assignments WHERE unit_id = \(unit)", on: c).first {
            throw StoreError.alreadyAssigned(unit: unit, line: line, arm: try r["arm"].decode(String.self),
                                             assignedOn: try r["assigned_on"].decode(String.self), record: try r["seq"].decode(Int.self))
        }
        if screeningToo, let r = try await rows("SELECT reason FROM screening WHERE unit_id = \(unit)", on: c).first {
            throw StoreError.alreadyScreened(unit: unit, line: line,
                                             reason: try r["reason"].decode(String?.self) ?? "eligible, not assigned")
        }
    }

    public func assignmentRecords() async throws -> [AssignmentRecord] {
        try await fetchRecords(on: nil)
    }

    func fetchRecords(on c: PostgresConnection?) async throws -> [AssignmentRecord] {
        let decoder = JSONDecoder()
        return try await rows("""
            SELECT a.*, c.attributes AS attributes, c.line AS line FROM assignments a
            LEFT JOIN cohort c ON c.unit_id = a.unit_id ORDER BY a.seq
            """, on: c).map { try record($0, decoder: decoder) }
    }

    func record(_ r: PostgresRandomAccessRow, decoder: JSONDecoder) throws -> AssignmentRecord {
        let seq = try r["seq"].decode(Int.self)
        let assignedOnText = try r["assigned_on"].decode(String.self)
        guard let assignedOn = CalendarDate(iso: assignedOnText) else {
            throw StoreError.invalid("record \(seq) has an unreadable date \"\(assignedOnText)\"")
        }
        let seed = try r["seed"].decode(Int64.self)
        var entry = AssignmentEntry(
            unitID: try r["unit_id"].decode(String.self), linkKey: try r["link_key"].decode(String?.self),
            line: try r["line"].decode(Int?.self) ?? 0, arm: try r["arm"].decode(String.self), assignedOn: assignedOn,
            stratum: try r["stratum"].decode(String?.self), block: try r["block"].decode(String?.self),
            blockSize: try r["block_size"].decode(Int?.self), cluster: try r["cluster"].decode(String?.self),
            probability: try r["probability"].decode(Double.self), procedure: try r["procedure"].decode(String.self),
            seed: UInt64(max(0, seed)), generator: try r["generator"].decode(String.self),
            caseManager: try r["case_manager"].decode(String?.self), capacityStatus: try r["capacity_status"].decode(String.self))
        entry.sourceSHA256 = try r["source_sha256"].decode(String?.self)
        entry.screeningSHA256 = try r["screening_sha256"].decode(String?.self)
        entry.runScreeningSHA256 = try r["run_screening_sha256"].decode(String?.self)
        let attributes = (try? FieldJSON.strings(try r["attributes"].decode(String?.self) ?? "{}", decoder: decoder).dictionary) ?? [:]
        return AssignmentRecord(seq: seq, entry: entry, recordedAt: try r["recorded_at"].decode(String.self),
                                runID: try r["run_id"].decode(Int.self), previousHash: try r["prev_hash"].decode(String.self),
                                hash: try r["hash"].decode(String.self), attributes: attributes)
    }

    public func screenedUnits() async throws -> [(runID: Int, entry: ScreeningEntry)] {
        let decoder = JSONDecoder()
        return try await rows("""
            SELECT c.unit_id, c.link_key, c.line, c.attributes, s.eligible, s.rule_id, s.reason, s.run_id
            FROM cohort c JOIN screening s ON s.unit_id = c.unit_id ORDER BY s.run_id, c.line, c.ord
            """).map { r in
            let attributes = (try? FieldJSON.strings(try r["attributes"].decode(String.self), decoder: decoder).dictionary) ?? [:]
            return (try r["run_id"].decode(Int.self),
                    ScreeningEntry(unitID: try r["unit_id"].decode(String.self), linkKey: try r["link_key"].decode(String?.self),
                                   line: try r["line"].decode(Int.self), attributes: attributes,
                                   eligible: try r["eligible"].decode(Bool.self), rule: try r["rule_id"].decode(String?.self),
                                   reason: try r["reason"].decode(String?.self)))
        }
    }

    public func screening(of unit: String) async throws -> (eligible: Bool, reason: String?)? {
        try await rows("SELECT eligible, reason FROM screening WHERE unit_id = \(unit)").first.map {
            (try $0["eligible"].decode(Bool.self), try $0["reason"].decode(String?.self))
        }
    }

    public func screeningCounts() async throws -> ScreeningCounts {
        let totals = try await rows("""
            SELECT COUNT(*) AS screened, COUNT(*) FILTER (WHERE eligible) AS eligible FROM screening
            """)[0]
        let excluded = try await rows("""
            SELECT rule_id, reason, COUNT(*) AS n, MIN(ord) AS first FROM screening WHERE NOT eligible
            GROUP BY rule_id, reason ORDER BY first
            """).map { (rule: try $0["rule_id"].decode(String?.self) ?? "", reason: try $0["reason"].decode(String?.self) ?? "",
                        count: try $0["n"].decode(Int.self)) }
        var byArm: [String: Int] = [:]
        for r in try await rows("SELECT arm, COUNT(*) AS n FROM assignments GROUP BY arm") {
            byArm[try r["arm"].decode(String.self)] = try r["n"].decode(Int.self)
        }
        return ScreeningCounts(screened: try totals["screened"].decode(Int.self), eligible: try totals["eligible"].decode(Int.self),
                               excluded: excluded, assignedByArm: byArm)
    }

    public func importedFiles() async throws -> [TrialStore.ImportedFile] {
        try await rows("SELECT * FROM assignment_imports ORDER BY run_id").map {
            TrialStore.ImportedFile(runID: try $0["run_id"].decode(Int.self), file: try $0["file"].decode(String.self),
                                    sha256: try $0["sha256"].decode(String.self), assigned: try $0["assigned"].decode(Int.self),
                                    probabilitiesDerived: try $0["probabilities"].decode(String.self) == "derived")
        }
    }

    public func verify(expectedHead: String?) async throws -> VerificationReport {
        let trial = try await trial()
        let records = try await assignmentRecords()
        let triggers = Set(try await rows("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").map { try $0["tgname"].decode(String.self) })
        var report = ChainCheck.verify(trial: trial, records: records,
                                       missingTriggers: PostgresMigrations.appendOnlyTriggers.filter { !triggers.contains($0) },
                                       expectedHead: expectedHead)
        // The screening inputs against the digests the records were chained with.
        var byRun: [Int: [ScreeningDigest.StoredRow]] = [:]
        for r in try await rows("""
            SELECT c.unit_id, c.link_key, c.line, c.attributes, s.eligible, s.rule_id, s.reason, s.run_id
            FROM cohort c JOIN screening s ON s.unit_id = c.unit_id
            """) {
            let row = ScreeningDigest.StoredRow(
                unit: try r["unit_id"].decode(String.self), linkKey: try r["link_key"].decode(String?.self), line: try r["line"].decode(Int.self),
                attributesJSON: try r["attributes"].decode(String.self), eligible: try r["eligible"].decode(Bool.self),
                rule: try r["rule_id"].decode(String?.self), reason: try r["reason"].decode(String?.self), runID: try r["run_id"].decode(Int.self))
            byRun[row.runID, default: []].append(row)
        }
        report.problems += ScreeningDigest.problems(records: records, rows: byRun)
        return report
    }
}

/// A PostgreSQL URL, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`); the password
/// may also come from the `PGPASSWORD` environment variable, so that it need not be on a command line.
public struct DatabaseURL: Sendable, Equatable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// `?sslmode=` as libpq spells it: `disable` (the default, for a database on loopback or a Unix
    /// host), `prefer` or `require` (TLS with the system's trust roots).
    public var sslMode: String

    public init(_ text: String) throws {
        guard let c = URLComponents(string: text), let scheme = c.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw StoreError.invalid("\(DatabaseURL.redact(text)) is not a PostgreSQL URL; write postgres://USER@HOST:PORT/DATABASE")
        }
        guard let user = c.user, !user.isEmpty, let host = c.host, !host.isEmpty else {
            throw StoreError.invalid("\(DatabaseURL.redact(text)): name the user and the host, postgres://USER@HOST:PORT/DATABASE")
        }
        let database = String(c.path.drop { $0 == "/" })
        guard !database.isEmpty else {
            throw StoreError.invalid("\(DatabaseURL.redact(text)): name the database, postgres://USER@HOST:PORT/DATABASE")
        }
        self.user = user.removingPercentEncoding ?? user
        self.password = c.password.map { $0.removingPercentEncoding ?? $0 } ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        self.host = host
        self.port = c.port ?? 5432
        self.database = database
        self.sslMode = c.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard ["disable", "prefer", "require"].contains(sslMode) else {
            throw StoreError.invalid("\(DatabaseURL.redact(text)): sslmode=\(sslMode) is not one of disable, prefer, require")
        }
    }

    var tls: PostgresClient.Configuration.TLS {
        switch sslMode {
        case "require": return .require(.makeClientConfiguration())
        case "prefer": return .prefer(.makeClientConfiguration())
        default: return .disable
        }
    }

    /// The URL without its password, for messages and logs.
    public var redacted: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// Whether `text` names a PostgreSQL database rather than a file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    static func redact(_ text: String) -> String {
        guard var c = URLComponents(string: text), c.password != nil else { return text }
        c.password = "…"
        return c.string ?? "the database URL"
    }
}
