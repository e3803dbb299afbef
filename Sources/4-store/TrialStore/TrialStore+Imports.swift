import Basics
import Crypto
import Foundation
import GRDB
import TrialData
import TrialDesign

/// One source file's import, as the store receives it: plain values, already pseudonymised (the store
/// never sees the file or a national number). Built by the command layer from `Ingest.ImportResult`.
///
/// Row accounting the store checks before writing anything: `rowsRead == rowsAccepted + rowsRejected`,
/// `quarantine.count == rowsRejected`, `registryRecords.count + surveyResponses.count ==
/// rowsAccepted − superseded − voided` (a corrected decision replaced by a later one, or a record whose
/// status voids it, counts as accepted but is not kept as a record), and `setAside.count == superseded +
/// voided`.
public struct ImportBatch: Sendable, Equatable {
    /// The design's source id.
    public var source: String
    /// The file as the design names it.
    public var file: String
    /// SHA-256 of the file's bytes, lowercase hexadecimal.
    public var fingerprint: String
    /// The pseudonymisation key's fingerprint (never the key), when the file held national numbers.
    public var keyFingerprint: String?
    /// SHA-256 of the participant ids the rows were linked against (`TrialStore.participantsFingerprint`).
    public var participantsFingerprint: String?
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsRejected: Int
    /// Accepted rows replaced by a later correction (`ocmw_aid` decisions, `corrects_by`).
    public var superseded: Int
    /// Accepted rows whose status says they do not count.
    public var voided: Int
    public var registryRecords: [RegistryRecord]
    public var surveyResponses: [SurveyResponse]
    public var quarantine: [QuarantinedRow]
    /// The rows set aside (voided, superseded).
    public var setAside: [SetAsideRow]
    /// The merge report, as JSON (kept as given; the store does not read it).
    public var mergeReport: String?

    public init(source: String, file: String, fingerprint: String, keyFingerprint: String? = nil,
                participantsFingerprint: String? = nil, rowsRead: Int, rowsAccepted: Int, rowsRejected: Int,
                superseded: Int = 0, voided: Int = 0, registryRecords: [RegistryRecord] = [], surveyResponses: [SurveyResponse] = [],
                quarantine: [QuarantinedRow] = [], setAside: [SetAsideRow] = [], mergeReport: String? = nil) {
        self.source = source
        self.file = file
        self.fingerprint = fingerprint
        self.keyFingerprint = keyFingerprint
        self.participantsFingerprint = participantsFingerprint
        self.rowsRead = rowsRead
        self.rowsAccepted = rowsAccepted
        self.rowsRejected = rowsRejected
        self.superseded = superseded
        self.voided = voided
        self.registryRecords = registryRecords
        self.surveyResponses = surveyResponses
        self.quarantine = quarantine
        self.setAside = setAside
        self.mergeReport = mergeReport
    }
}

/// A rejected row kept in the quarantine: where it is, why, and a non-identifying excerpt.
public struct QuarantinedRow: Sendable, Equatable {
    /// The 1-based line of the file the row starts on.
    public var line: Int
    /// The file's column at fault; nil for whole-row reasons.
    public var column: String?
    /// The rejection reason (e.g. `unparseable_date`, `unknown_participant`).
    public var reason: String
    public var message: String
    public var excerpt: String

    public init(line: Int, column: String?, reason: String, message: String, excerpt: String) {
        self.line = line
        self.column = column
        self.reason = reason
        self.message = message
        self.excerpt = excerpt
    }
}

/// An import as stored.
public struct StoredImport: Sendable, Equatable {
    public var id: Int
    public var source: String
    public var file: String
    public var fingerprint: String
    public var keyFingerprint: String?
    public var participantsFingerprint: String?
    /// ISO 8601 UTC instant.
    public var importedAt: String
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsRejected: Int
    public var superseded: Int
    /// Accepted rows voided by their status (set aside, not records).
    public var voided: Int
    /// The import that replaced this one, if any (then its rows are no longer read back).
    public var replacedBy: Int?
    public var mergeReport: String?
    public var isActive: Bool { replacedBy == nil }
}

/// What identifies an import before its rows are written (`TrialStore.streamImport`).
public struct ImportHeader: Sendable, Equatable {
    public var source: String
    public var file: String
    public var fingerprint: String
    public var keyFingerprint: String?
    public var participantsFingerprint: String?

    public init(source: String, file: String, fingerprint: String, keyFingerprint: String? = nil, participantsFingerprint: String? = nil) {
        self.source = source
        self.file = file
        self.fingerprint = fingerprint
        self.keyFingerprint = keyFingerprint
        self.participantsFingerprint = participantsFingerprint
    }
}

/// The row counts of a streamed import, known when the file has been read.
public struct ImportTotals: Sendable, Equatable {
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsRejected: Int
    public var superseded: Int
    public var voided: Int
    public var mergeReport: String?

    public init(rowsRead: Int, rowsAccepted: Int, rowsRejected: Int, superseded: Int = 0, voided: Int = 0, mergeReport: String? = nil) {
        self.rowsRead = rowsRead
        self.rowsAccepted = rowsAccepted
        self.rowsRejected = rowsRejected
        self.superseded = superseded
        self.voided = voided
        self.mergeReport = mergeReport
    }
}

/// Writes one import's rows inside its transaction (`TrialStore.streamImport`). Only valid inside the
/// `write` closure.
///
/// Each row is checked, encoded (dates and fields as the stored text) and digested here, on the caller's
/// thread, in the order given; its insert runs on the store's own thread (`InsertThread`), batch by batch,
/// so that SQLite's share of an import overlaps the reading and linking of the rows after it.
public final class ImportWriter {
    let importID: Int
    let source: String
    let inserts: InsertThread
    let encoder = JSONEncoder()
    let progress: (Int) throws -> Void
    /// Rows written so far (records, responses and quarantined rows).
    public private(set) var written = 0
    /// Records and responses written.
    public private(set) var kept = 0
    /// Quarantined rows written.
    public private(set) var quarantined = 0
    /// Set-aside rows written.
    public private(set) var setAsideRows = 0
    /// The digest of the rows as written, table by table (`ImportChain.RowsDigest`).
    var digest = ImportChain.RowsDigest()

    /// The inserts, by their place in `ImportChain.tables`.
    static let insertSQL = [
        ImportChain.registry: """
            INSERT INTO registry_records (import_id, source_id, participant, line, start_date, end_date, attributes, numbers)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
        ImportChain.survey: """
            INSERT INTO survey_responses (import_id, source_id, wave, participant, line, interview_date, answers)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
        ImportChain.quarantine: "INSERT INTO quarantine (import_id, line, column_name, reason, message, excerpt) VALUES (?, ?, ?, ?, ?, ?)",
        ImportChain.setAside: "INSERT INTO set_aside (import_id, line, participant, reason, message) VALUES (?, ?, ?, ?, ?)",
    ]

    init(db: Database, importID: Int, source: String, progress: @escaping (Int) throws -> Void) throws {
        self.importID = importID
        self.source = source
        self.progress = progress
        encoder.outputFormatting = [.sortedKeys]
        let statements = try ImportChain.tables.indices.map { try db.cachedStatement(sql: Self.insertSQL[$0]!) }
        inserts = InsertThread(statements: statements)
    }

    private func encoded(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    /// A record's fields as JSON, written directly when `FieldJSON` can (the same text `JSONEncoder` with
    /// sorted keys writes; it was half the time of an import), through `JSONEncoder` otherwise.
    private func json(_ map: FieldMap<String>) throws -> String { try FieldJSON.object(map) ?? encoded(map) }
    private func json(_ map: FieldMap<Double>) throws -> String { try FieldJSON.object(map) ?? encoded(map) }

    /// The last record's fields and their text: an extract lists a person's months together, and their
    /// coded fields mostly repeat, so comparing with the record before is cheaper than writing the text.
    private var lastAttributes = (FieldMap<String>(), FieldJSON.object(FieldMap<String>())!)
    private var lastNumbers = (FieldMap<Double>(), FieldJSON.object(FieldMap<Double>())!)

    /// `json(map)`, reused from the record before when its pairs are the same, in the same order (numbers
    /// compared bit for bit, so −0 and 0 keep their own text).
    private func repeatedJSON(_ map: FieldMap<String>) throws -> String {
        if map.count == lastAttributes.0.count, zip(map, lastAttributes.0).allSatisfy({ $0.key == $1.key && $0.value == $1.value }) {
            return lastAttributes.1
        }
        lastAttributes = (map, try json(map))
        return lastAttributes.1
    }

    private func repeatedJSON(_ map: FieldMap<Double>) throws -> String {
        if map.count == lastNumbers.0.count,
           zip(map, lastNumbers.0).allSatisfy({ $0.key == $1.key && $0.value.bitPattern == $1.value.bitPattern }) {
            return lastNumbers.1
        }
        lastNumbers = (map, try json(map))
        return lastNumbers.1
    }

    private func step() throws {
        written += 1
        if written % 20_000 == 0 { try progress(written) }
    }

    private func checkSource(_ s: String, line: Int) throws {
        if s != source {
            throw StoreError.invalid("a row of line \(line) belongs to source \(s), not \(source); nothing was imported")
        }
    }

    /// Begins a row of the table at `table` (its place in `ImportChain.tables`) with the import's id; its
    /// stored columns follow through `text` and `int`, each inserted and digested as its stored text, and
    /// `digest.endRow(table)` ends it.
    private func begin(_ table: Int) throws {
        try inserts.row(table)
        inserts.int(importID)
    }

    private func text(_ value: String?) {
        inserts.text(value)
        digest.field(value)
    }

    private func int(_ value: Int) {
        inserts.int(value)
        digest.field(String(value))
    }

    /// A record's row: the same values, in the same columns, as GRDB would bind.
    public func add(_ r: RegistryRecord) throws {
        try checkSource(r.source, line: r.line)
        let (attributes, numbers) = (try repeatedJSON(r.attributes), try repeatedJSON(r.numbers))
        try begin(ImportChain.registry)
        text(r.source)
        text(r.participant)
        int(r.line)
        text(r.start.description)
        text(r.end?.description)
        text(attributes)
        text(numbers)
        digest.endRow(ImportChain.registry)
        kept += 1
        try step()
    }

    public func add(_ r: SurveyResponse) throws {
        try checkSource(r.source, line: r.line)
        let answers = try json(FieldMap(r.answers))
        try begin(ImportChain.survey)
        text(r.source)
        text(r.wave)
        text(r.participant)
        int(r.line)
        text(r.interviewDate?.description)
        text(answers)
        digest.endRow(ImportChain.survey)
        kept += 1
        try step()
    }

    public func add(_ q: QuarantinedRow) throws {
        try begin(ImportChain.quarantine)
        int(q.line)
        text(q.column)
        text(q.reason)
        text(TrialStore.maskDigitRuns(q.message))
        text(TrialStore.maskDigitRuns(q.excerpt))
        digest.endRow(ImportChain.quarantine)
        quarantined += 1
        try step()
    }

    public func add(_ s: SetAsideRow) throws {
        try begin(ImportChain.setAside)
        int(s.line)
        text(s.participant)
        text(s.reason.rawValue)
        text(TrialStore.maskDigitRuns(s.message))
        digest.endRow(ImportChain.setAside)
        setAsideRows += 1
    }
}

/// What `saveImport` did.
public enum ImportSaveOutcome: Sendable, Equatable {
    /// The batch was written; `replaced` is the earlier import of the source it replaced, if any.
    case saved(StoredImport, replaced: StoredImport?)
    /// The source's active import already holds this very file, linked the same way: nothing written.
    case unchanged(StoredImport)
}

/// Why the store refused an import. Nothing was written.
public enum ImportStoreError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The source already has an active import of a different file (or of the same file linked with
    /// another key or other participants), and `replace` was not asked for.
    case alreadyImported(source: String, file: String, stored: StoredImport, reason: String)
    /// The batch's counts do not add up.
    case inconsistent(source: String, file: String, message: String)

    public var description: String {
        switch self {
        case let .alreadyImported(source, file, stored, reason):
            return "\(file): source \(source) already holds import \(stored.id) of \(stored.file) (sha256 \(stored.fingerprint.prefix(12))…, "
                + "imported \(stored.importedAt)), and \(reason). Nothing was imported. To replace the earlier import, run again "
                + "with --replace (its rows are kept but no longer read)"
        case let .inconsistent(source, file, message):
            return "\(file) (source \(source)): \(message); nothing was imported"
        }
    }
}

extension TrialStore {
    // MARK: Writing imports

    /// SHA-256 of the sorted, distinct participant ids (one per line), lowercase hex: tells whether a file
    /// was linked against the same participants.
    public static func participantsFingerprint(_ participants: some Sequence<String>) -> String {
        Fingerprint.sha256(Array(Set(participants).sorted().joined(separator: "\n").utf8))
    }

    /// What saving a batch with this fingerprint would do, without writing: `.unchanged` when the
    /// source's active import holds the same file linked the same way, nil when it would be saved, and
    /// a thrown `alreadyImported` when it would be refused (a different file and no `replace`).
    public func checkImport(source: String, file: String, fingerprint: String, keyFingerprint: String?,
                            participantsFingerprint: String?, replace: Bool) throws -> StoredImport? {
        try queue.read { db in
            try Self.decide(db, source: source, file: file, fingerprint: fingerprint, keyFingerprint: keyFingerprint,
                            participantsFingerprint: participantsFingerprint, replace: replace).unchanged
        }
    }

    private static func decide(_ db: Database, source: String, file: String, fingerprint: String, keyFingerprint: String?,
                               participantsFingerprint: String?, replace: Bool) throws -> (unchanged: StoredImport?, replacing: StoredImport?) {
        guard let active = try fetchImports(db, where: "source_id = ? AND replaced_by IS NULL", [source]).first else {
            return (nil, nil)
        }
        let sameFile = active.fingerprint == fingerprint
        let sameLinkage = active.keyFingerprint == keyFingerprint && active.participantsFingerprint == participantsFingerprint
        if sameFile && sameLinkage { return (active, nil) }
        if replace { return (nil, active) }
        let reason: String
        if !sameFile {
            reason = "this file's content differs (sha256 \(fingerprint.prefix(12))…)"
        } else if active.keyFingerprint != keyFingerprint,
                  let rotation = try fetchRotations(db, where: "old_fingerprint = ? ORDER BY seq LIMIT 1", [active.keyFingerprint]).first {
            reason = "it was imported under the key rotated out on \(rotation.day) (key rotation \(rotation.seq)); imported again "
                + "under the key in force (\(keyFingerprint ?? "none")) it links the same families"
        } else if active.keyFingerprint != keyFingerprint {
            reason = "this same file is now pseudonymised with another key (key \(keyFingerprint ?? "none"), was \(active.keyFingerprint ?? "none"))"
        } else {
            reason = "the trial's participants changed since (families were assigned or enrolled), so the same file would link differently"
        }
        throw ImportStoreError.alreadyImported(source: source, file: file, stored: active, reason: reason)
    }

    /// Saves one source's import in ONE immediate transaction: the `imports` row, its records or
    /// responses and its quarantine. Importing the same file again (same fingerprint, key and
    /// participants) writes nothing and returns `.unchanged`. A different file for a source that already
    /// has an active import is refused (`ImportStoreError.alreadyImported`) unless `replace` is true; then
    /// the earlier import is marked replaced by the new one in the same transaction.
    ///
    /// `progress` is called with the number of rows written so far, every 20,000 rows and once at the
    /// end; anything it throws rolls the whole import back (as does any failure, or the process being
    /// killed: SQLite's rollback journal restores the file on the next open). Excerpts and messages are
    /// masked defensively: a run of nine or more digits becomes `<masked>`.
    @discardableResult
    public func saveImport(_ batch: ImportBatch, replace: Bool = false,
                           progress: (Int) throws -> Void = { _ in }) throws -> ImportSaveOutcome {
        try validate(batch)
        let header = ImportHeader(source: batch.source, file: batch.file, fingerprint: batch.fingerprint,
                                  keyFingerprint: batch.keyFingerprint, participantsFingerprint: batch.participantsFingerprint)
        return try streamImport(header, replace: replace, progress: progress) { writer in
            for r in batch.registryRecords { try writer.add(r) }
            for r in batch.surveyResponses { try writer.add(r) }
            for q in batch.quarantine { try writer.add(q) }
            for a in batch.setAside { try writer.add(a) }
            return ImportTotals(rowsRead: batch.rowsRead, rowsAccepted: batch.rowsAccepted, rowsRejected: batch.rowsRejected,
                                superseded: batch.superseded, voided: batch.voided, mergeReport: batch.mergeReport)
        }
    }

    /// Saves one source's import row by row, for extracts too large to hold: the same transaction,
    /// idempotence, refusal and replacement rules as `saveImport`. `write` is called inside the
    /// transaction (only when the import is to be saved — not for `.unchanged`) with a writer for the
    /// records, responses and quarantined rows, and returns the row counts; the store checks them against
    /// what was written (read = accepted + rejected, one quarantined row per rejection, rows written =
    /// accepted − superseded) and rolls everything back if they disagree or anything throws.
    @discardableResult
    public func streamImport(_ header: ImportHeader, replace: Bool = false, progress: (Int) throws -> Void = { _ in },
                             _ write: (ImportWriter) throws -> ImportTotals) throws -> ImportSaveOutcome {
        try queue.writeWithoutTransaction { db in
            var outcome: ImportSaveOutcome?
            try db.inTransaction(.immediate) {
                let (unchanged, replacing) = try Self.decide(
                    db, source: header.source, file: header.file, fingerprint: header.fingerprint, keyFingerprint: header.keyFingerprint,
                    participantsFingerprint: header.participantsFingerprint, replace: replace)
                if let unchanged {
                    outcome = .unchanged(unchanged)
                    return .rollback
                }
                // The earlier import is marked first (its `replaced_by` points forward to the id the new import
                // will get; the foreign key is checked at commit), so at most one import per source is active
                // at every step.
                let importID = (try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM imports") ?? 1)
                if let replacing {
                    try db.execute(sql: "UPDATE imports SET replaced_by = ? WHERE id = ?", arguments: [importID, replacing.id])
                }
                try db.execute(sql: """
                    INSERT INTO imports (id, source_id, file, fingerprint, key_fingerprint, participants_fingerprint, imported_at,
                                         rows_read, rows_accepted, rows_rejected, superseded)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0)
                    """, arguments: [importID, header.source, header.file, header.fingerprint, header.keyFingerprint,
                                     header.participantsFingerprint, Self.now()])
                let (totals, rows) = try withoutActuallyEscaping(progress) { progress in
                    let writer = try ImportWriter(db: db, importID: importID, source: header.source, progress: progress)
                    // The insert thread has left the connection before anything else touches it, whatever happens.
                    defer { writer.inserts.stop() }
                    let totals = try write(writer)
                    try writer.inserts.finish()
                    try progress(writer.written)
                    try Self.check(totals, writer: writer, header: header)
                    return (totals, writer.digest)
                }
                try db.execute(sql: """
                    UPDATE imports SET rows_read = ?, rows_accepted = ?, rows_rejected = ?, superseded = ?, voided = ?, merge_report = ?
                    WHERE id = ?
                    """, arguments: [totals.rowsRead, totals.rowsAccepted, totals.rowsRejected, totals.superseded, totals.voided,
                                     totals.mergeReport, importID])
                try ImportChain.seal(db, importID: importID, replaces: replacing?.id, rows: rows)
                let stored = try Self.fetchImports(db, where: "id = ?", [importID])[0]
                outcome = .saved(stored, replaced: replacing.map { var r = $0; r.replacedBy = importID; return r })
                return .commit
            }
            return outcome!
        }
    }

    private static func check(_ t: ImportTotals, writer w: ImportWriter, header h: ImportHeader) throws {
        func fail(_ message: String) -> ImportStoreError { .inconsistent(source: h.source, file: h.file, message: message) }
        if t.rowsRead != t.rowsAccepted + t.rowsRejected {
            throw fail("\(t.rowsRead) rows read but \(t.rowsAccepted) accepted + \(t.rowsRejected) rejected")
        }
        if w.quarantined != t.rowsRejected { throw fail("\(t.rowsRejected) rows rejected but \(w.quarantined) quarantined") }
        if w.kept != t.rowsAccepted - t.superseded - t.voided {
            throw fail("\(t.rowsAccepted) rows accepted − \(t.superseded) superseded − \(t.voided) voided, but \(w.kept) records given")
        }
        if w.setAsideRows > 0 && w.setAsideRows != t.superseded + t.voided {
            throw fail("\(t.superseded) superseded + \(t.voided) voided rows, but \(w.setAsideRows) set aside")
        }
    }

    private func validate(_ b: ImportBatch) throws {
        func fail(_ message: String) -> ImportStoreError { .inconsistent(source: b.source, file: b.file, message: message) }
        if b.rowsRead != b.rowsAccepted + b.rowsRejected {
            throw fail("\(b.rowsRead) rows read but \(b.rowsAccepted) accepted + \(b.rowsRejected) rejected")
        }
        if b.quarantine.count != b.rowsRejected {
            throw fail("\(b.rowsRejected) rows rejected but \(b.quarantine.count) quarantined")
        }
        let kept = b.registryRecords.count + b.surveyResponses.count
        if kept != b.rowsAccepted - b.superseded - b.voided {
            throw fail("\(b.rowsAccepted) rows accepted − \(b.superseded) superseded − \(b.voided) voided, but \(kept) records given")
        }
        if let r = b.registryRecords.first(where: { $0.source != b.source }) {
            throw fail("a record of line \(r.line) belongs to source \(r.source)")
        }
        if let r = b.surveyResponses.first(where: { $0.source != b.source }) {
            throw fail("a response of line \(r.line) belongs to source \(r.source)")
        }
    }

    /// Masks what could be a national number (`Masking.maskDigitRuns`): none can reach the quarantine.
    static func maskDigitRuns(_ text: String) -> String { Masking.maskDigitRuns(text) }

    // MARK: Reading imports

    /// The registry records of the active imports (of one source, or of all), in import order and file
    /// order (`registryRecordTable`'s rows as records).
    public func registryRecords(source: String? = nil) throws -> [RegistryRecord] {
        try registryRecordTable(source: source).records
    }

    /// The registry records of the active imports (of one source, or of all), in import order and file
    /// order, as a table: what the panel reads.
    ///
    /// The statement is stepped here and its columns read in place (SQLite's C interface): a record's
    /// dates and fields are parsed from the column's bytes, and its source and participant are looked up
    /// only when they differ from the record before (extracts come sorted by person). Records whose fields
    /// have the same stored text share one parsed map (`SharedFieldMaps`), so most records allocate nothing.
    public func registryRecordTable(source: String? = nil) throws -> RecordTable {
        try queue.read { db in
            let decoder = JSONDecoder()
            let active = """
                FROM registry_records r JOIN imports i ON i.id = r.import_id
                WHERE i.replaced_by IS NULL\(source == nil ? "" : " AND r.source_id = ?")
                """
            let statement = try db.makeStatement(sql: """
                SELECT r.source_id, r.participant, r.line, r.start_date, r.end_date, r.attributes, r.numbers, r.import_id
                \(active) ORDER BY r.import_id, r.rowid
                """)
            let s = statement.sqliteStatement
            if let source { RawStatement.bind(s, 1, source) }
            defer { RawStatement.reset(statement) }
            var table = RecordTable()
            // Sized once (counted on the import index): growing by doubling copied the columns over and over.
            table.reserveCapacity(try Int.fetchOne(db, sql: "SELECT COUNT(*) \(active)",
                                                   arguments: StatementArguments(source.map { [$0] } ?? [])) ?? 0)
            // Rows come in the order written (the import index holds it: no sort in SQLite, which spilled to
            // disk at millions of rows); an import's rows are in file order except the decisions a
            // correction kept, written at its end. Such an import's run is sorted by line here.
            var importStart = 0, ordered = true, lastImport = -1
            func putInLineOrder() {
                if !ordered { table.sortByLine(from: importStart) }
            }
            // The last source and participant, as bytes and as the table's index (nil before the first row).
            var lastSource: (bytes: [UInt8], index: UInt16)?, lastParticipant: (bytes: [UInt8], index: Int32)?
            var attributeMaps = SharedFieldMaps(), numberMaps = SharedFieldMaps()
            while try RawStatement.next(statement) {
                let line = RawStatement.int(s, 2)
                let importID = RawStatement.int(s, 7)
                if importID != lastImport {
                    putInLineOrder()
                    (importStart, ordered, lastImport) = (table.count, true, importID)
                } else if ordered, line < table.line[table.count - 1] {
                    ordered = false
                }
                guard let start = CalendarDate(isoBytes: RawStatement.text(s, 3)) else {
                    throw StoreError.invalid("registry record of line \(line) has an unreadable start date "
                        + "\"\(String(decoding: RawStatement.text(s, 3), as: UTF8.self))\"")
                }
                let end = RawStatement.isNull(s, 4) ? nil : CalendarDate(isoBytes: RawStatement.text(s, 4))
                let sourceBytes = RawStatement.text(s, 0), participantBytes = RawStatement.text(s, 1)
                if lastSource == nil || !sameBytes(lastSource!.bytes, sourceBytes) {
                    lastSource = (Array(sourceBytes), table.index(ofSource: String(decoding: sourceBytes, as: UTF8.self)))
                }
                if lastParticipant == nil || !sameBytes(lastParticipant!.bytes, participantBytes) {
                    lastParticipant = (Array(participantBytes), table.index(ofParticipant: String(decoding: participantBytes, as: UTF8.self)))
                }
                let attributes = try attributeMaps.index(RawStatement.text(s, 5)) {
                    table.add(attributes: try FieldJSON.strings(bytes: $0, decoder: decoder))
                }
                let numbers = try numberMaps.index(RawStatement.text(s, 6)) {
                    table.add(numbers: try FieldJSON.numbers(bytes: $0, decoder: decoder))
                }
                table.append(source: lastSource!.index, participant: lastParticipant!.index, line: line, startDay: start.dayNumber,
                             endDay: end?.dayNumber, attributes: attributes, numbers: numbers)
            }
            putInLineOrder()
            return table
        }
    }

    /// The survey responses of the active imports (of one source, or of all), in import order and file order.
    /// Read through a cursor, columns by position: the rows are not all held as GRDB rows first.
    public func surveyResponses(source: String? = nil) throws -> [SurveyResponse] {
        try queue.read { db in
            let decoder = JSONDecoder()
            return try Array(Row.fetchCursor(db, sql: """
                SELECT r.source_id, r.wave, r.participant, r.line, r.interview_date, r.answers
                FROM survey_responses r JOIN imports i ON i.id = r.import_id
                WHERE i.replaced_by IS NULL\(source == nil ? "" : " AND r.source_id = ?") ORDER BY r.import_id, r.line, r.rowid
                """, arguments: StatementArguments(source.map { [$0] } ?? [])).map { row in
                let date: String? = row[4]
                return SurveyResponse(source: row[0], wave: row[1], participant: row[2], line: row[3],
                                      interviewDate: date.flatMap { CalendarDate(iso: $0) },
                                      answers: try FieldJSON.numbers(row[5] as String, decoder: decoder).dictionary)
            })
        }
    }

    /// The active imports, one per imported source, in the order they were imported.
    public func importSummaries() throws -> [StoredImport] {
        try queue.read { try Self.fetchImports($0, where: "replaced_by IS NULL", []) }
    }

    /// Every import, active and replaced, in the order they were imported.
    public func importHistory() throws -> [StoredImport] {
        try queue.read { try Self.fetchImports($0, where: "1", []) }
    }

    /// The rejected rows of an import, in file order.
    public func quarantine(importID: Int) throws -> [QuarantinedRow] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM quarantine WHERE import_id = ? ORDER BY line, rowid", arguments: [importID]).map {
                QuarantinedRow(line: $0["line"], column: $0["column_name"], reason: $0["reason"], message: $0["message"],
                               excerpt: $0["excerpt"])
            }
        }
    }

    /// The rows an import set aside (voided by status, superseded by a correction), in file order; of one
    /// participant when given.
    public func setAside(importID: Int, participant: String? = nil) throws -> [SetAsideRow] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT line, participant, reason, message FROM set_aside WHERE import_id = ?\(participant == nil ? "" : " AND participant = ?")
                ORDER BY line, rowid
                """, arguments: StatementArguments([importID] + (participant.map { [$0] } ?? []))).map {
                SetAsideRow(line: $0["line"], participant: $0["participant"],
                            reason: SetAsideRow.Reason(rawValue: $0["reason"]) ?? .void, message: $0["message"])
            }
        }
    }

    static func fetchImports(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible]) throws -> [StoredImport] {
        try Row.fetchAll(db, sql: "SELECT * FROM imports WHERE \(condition) ORDER BY id", arguments: StatementArguments(arguments)).map {
            StoredImport(id: $0["id"], source: $0["source_id"], file: $0["file"], fingerprint: $0["fingerprint"],
                         keyFingerprint: $0["key_fingerprint"], participantsFingerprint: $0["participants_fingerprint"],
                         importedAt: $0["imported_at"], rowsRead: $0["rows_read"], rowsAccepted: $0["rows_accepted"],
                         rowsRejected: $0["rows_rejected"], superseded: $0["superseded"], voided: $0["voided"], replacedBy: $0["replaced_by"],
                         mergeReport: $0["merge_report"])
        }
    }
}
