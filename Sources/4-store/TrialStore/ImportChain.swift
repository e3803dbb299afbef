import Basics
import Crypto
import GRDB

/// The hash chain over imports, built like `HashChain`: each import written since `v8_chain_coverage`
/// keeps `hash = SHA-256(canonical content)`, the content the line `rct-import-v1` then `name=value`
/// lines in the fixed order `id, source, file, fingerprint, key_fingerprint, participants_fingerprint,
/// imported_at, rows_read, rows_accepted, rows_rejected, superseded, voided, merge_report, replaces,
/// assignment_seq, assignment_head, written, rows_sha256, prev` (an absent value is the bare name; values
/// escaped as in `HashChain`). `written` counts the rows the import wrote into each table
/// (`registry_records=N;survey_responses=N;quarantine=N;set_aside=N`), `rows_sha256` is their digest
/// (`RowsDigest`: every stored value of every row, so an edited amount or date is caught too); `assignment_head` is the hash of the
/// assignment record the import followed (the design's SHA-256 before any); `prev` is the previous chained
/// import's hash, for the first the design's SHA-256. So the file fingerprints, the key, the counts, which
/// import replaced which, and where each import stands in the trial's history are all covered, and rows
/// deleted from or slipped into an import's tables are counted out.
public enum ImportChain {
    /// The tables an import writes rows into, in the order `written` lists them.
    static let tables = ["registry_records", "survey_responses", "quarantine", "set_aside"]

    /// `written` for an import without rows.
    static let none = tables.map { "\($0)=0" }.joined(separator: ";")

    /// An import's chained fields as stored.
    struct Link {
        var id: Int
        var fields: [(String, String?)]
        var source: String
        var replaces: Int?
        var replacedBy: Int?
        var assignmentSeq: Int?
        var assignmentHead: String?
        var written: String?
        var rowsSHA256: String?
        var previousHash: String?
        var hash: String?

        init(_ r: Row) {
            id = r["id"]
            source = r["source_id"]
            replaces = r["replaces"]
            replacedBy = r["replaced_by"]
            assignmentSeq = r["assignment_seq"]
            assignmentHead = r["assignment_head"]
            written = r["written"]
            rowsSHA256 = r["rows_sha256"]
            previousHash = r["prev_hash"]
            hash = r["hash"]
            let text = { (column: String) in ImportChain.text(r[column]) }
            fields = [("id", String(id))] + ["source_id", "file", "fingerprint", "key_fingerprint", "participants_fingerprint",
                                             "imported_at", "rows_read", "rows_accepted", "rows_rejected", "superseded", "voided",
                                             "merge_report", "replaces", "assignment_seq", "assignment_head", "written", "rows_sha256"]
                .map { column in (column == "source_id" ? "source" : column, text(column)) }
        }

        func canonicalContent(previous: String) -> String {
            var text = "rct-import-v1\n"
            for (name, value) in fields + [("prev", previous)] {
                text += value.map { "\(name)=\(HashChain.escape($0))\n" } ?? "\(name)\n"
            }
            return text
        }

        func hash(previous: String) -> String { Fingerprint.sha256(Array(canonicalContent(previous: previous).utf8)) }
    }

    /// A stored value as the digests read it.
    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case let .int64(i): return String(i)
        case let .double(d): return String(d)
        case let .string(s): return s
        case let .blob(b): return Fingerprint.sha256(Array(b))
        }
    }

    /// The digest of an import's rows: one SHA-256 per table over its rows in the order written, each row
    /// its values (`nil` as a NUL byte) each followed by U+001F and the row by U+001E; then SHA-256 of
    /// `rct-import-rows-v1` and one line `table=HEX` per table. Kept as the writer writes (no second pass),
    /// recomputed by `rct verify` from the stored rows.
    struct RowsDigest {
        /// One hasher per table, in the order of `tables`.
        private var hashers = tables.map { _ in SHA256() }
        /// The row being hashed, kept between rows so that it is allocated once.
        private var bytes: [UInt8] = []

        /// Adds a row of the table at `table` (an index into `tables`).
        mutating func add(_ table: Int, _ fields: [String?]) {
            for f in fields { field(f) }
            endRow(table)
        }

        /// Adds one value of the row being hashed (the writer's way, without an array per row).
        mutating func field(_ f: String?) {
            if let f { bytes += f.utf8 } else { bytes.append(0) }
            bytes.append(0x1F)
        }

        /// Ends the row begun with `field`, a row of the table at `table`.
        mutating func endRow(_ table: Int) {
            bytes.append(0x1E)
            hashers[table].update(data: bytes)
            bytes.removeAll(keepingCapacity: true)
        }

        var hex: String {
            var text = "rct-import-rows-v1\n"
            for (table, hasher) in zip(tables, hashers) {
                text += "\(table)=" + hasher.finalize().map { String(format: "%02x", $0) }.joined() + "\n"
            }
            return Fingerprint.sha256(Array(text.utf8))
        }
    }

    /// The tables' places in `tables`.
    static let registry = 0, survey = 1, quarantine = 2, setAside = 3

    /// The stored columns of each table, in the order the writer digests them.
    static let digestedColumns = [
        "registry_records": "source_id, participant, line, start_date, end_date, attributes, numbers",
        "survey_responses": "source_id, wave, participant, line, interview_date, answers",
        "quarantine": "line, column_name, reason, message, excerpt",
        "set_aside": "line, participant, reason, message",
    ]

    /// Recomputes an import's rows digest from the store.
    static func rowsDigest(_ db: Database, importID: Int) throws -> String {
        var digest = RowsDigest()
        for (index, table) in tables.enumerated() {
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(digestedColumns[table]!) FROM \(table) WHERE import_id = ? ORDER BY rowid",
                                             arguments: [importID])
            while let row = try cursor.next() {
                digest.add(index, row.databaseValues.map(text))
            }
        }
        return digest.hex
    }

    /// The rows each import holds now, per table, written as `written` is.
    static func written(_ db: Database) throws -> [Int: String] {
        var counts: [Int: [String: Int]] = [:]
        for table in tables {
            for row in try Row.fetchAll(db, sql: "SELECT import_id, COUNT(*) AS n FROM \(table) GROUP BY import_id") {
                counts[row["import_id"], default: [:]][table] = row["n"]
            }
        }
        return counts.mapValues { c in tables.map { "\($0)=\(c[$0] ?? 0)" }.joined(separator: ";") }
    }

    /// Chains the import just written (inside its transaction): its place after the assignment head, the
    /// import it replaced, its rows per table, and its hash.
    static func seal(_ db: Database, importID: Int, replaces: Int?, rows: RowsDigest) throws {
        let head = try Row.fetchOne(db, sql: "SELECT design_sha256, head_seq, head_hash FROM trial WHERE id = 1")!
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM imports WHERE hash IS NOT NULL AND id < ? ORDER BY id DESC LIMIT 1",
                                           arguments: [importID]) ?? (head["design_sha256"] as String)
        let counts = try tables.map { table in
            "\(table)=\(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE import_id = ?", arguments: [importID]) ?? 0)"
        }.joined(separator: ";")
        try db.execute(sql: """
            UPDATE imports SET replaces = ?, assignment_seq = ?, assignment_head = ?, written = ?, rows_sha256 = ? WHERE id = ?
            """, arguments: [replaces, head["head_seq"] as Int, head["head_hash"] as String, counts, rows.hex, importID])
        let link = Link(try Row.fetchOne(db, sql: "SELECT * FROM imports WHERE id = ?", arguments: [importID])!)
        try db.execute(sql: "UPDATE imports SET prev_hash = ?, hash = ? WHERE id = ?",
                       arguments: [previous, link.hash(previous: previous), importID])
    }

    /// Every problem with the chained imports: content against hash, links, gaps in the numbering, the
    /// assignment head each names, the replacements (each chained import's `replaces` against the
    /// `replaced_by` of the one it names, and no other import pointing at it), and the rows each holds.
    /// `full` also recomputes every import's rows digest (reads every stored row); without it the rows are
    /// only counted.
    static func problems(_ db: Database, designSHA256: String, assignmentHashes: [Int: String], full: Bool) throws -> [ChainProblem] {
        let links = try Row.fetchAll(db, sql: "SELECT * FROM imports ORDER BY id").map(Link.init)
        let byID = Dictionary(links.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let held = try written(db)
        var problems: [ChainProblem] = []
        var previous = designSHA256
        var expected = 1
        for link in links {
            if link.id > expected { problems.append(.importsRemoved(from: expected, to: link.id - 1)) }
            expected = link.id + 1
            guard let hash = link.hash else { continue }   // written before imports were chained
            if link.hash(previous: link.previousHash ?? "") != hash {
                problems.append(.importAltered(id: link.id, source: link.source))
            } else if link.previousHash != previous {
                problems.append(.importBrokenLink(id: link.id, source: link.source))
            } else if let seq = link.assignmentSeq, (seq == 0 ? designSHA256 : assignmentHashes[seq]) != link.assignmentHead {
                problems.append(.importOutOfPlace(id: link.id, source: link.source, assignments: seq))
            } else if let replaced = link.replaces, byID[replaced]?.replacedBy != link.id {
                problems.append(.importReplacementChanged(id: replaced, source: link.source))
            }
            if let recorded = link.written, case let now = held[link.id] ?? none, recorded != now {
                problems += zip(counts(recorded), counts(now)).filter { $0.0 != $0.1 }.map {
                    .importRowsChanged(id: link.id, source: link.source, table: $0.0.table, recorded: $0.0.n, found: $0.1.n)
                }
            } else if full, let kept = link.rowsSHA256, try rowsDigest(db, importID: link.id) != kept {
                problems.append(.importRowsAltered(id: link.id, source: link.source))
            }
            previous = hash
        }
        // An import marked replaced must be named by the import that replaced it.
        for link in links {
            if let by = link.replacedBy, let replacer = byID[by], replacer.hash != nil, replacer.replaces != link.id {
                problems.append(.importReplacementChanged(id: link.id, source: link.source))
            }
        }
        // Rows of an import that is not there.
        for id in held.keys.sorted() where byID[id] == nil {
            problems.append(.importsRemoved(from: id, to: id))
        }
        return problems
    }

    private static func counts(_ written: String) -> [(table: String, n: Int)] {
        written.split(separator: ";").map { part in
            let kv = part.split(separator: "=", maxSplits: 1)
            return (String(kv[0]), Int(kv.count > 1 ? kv[1] : "") ?? -1)
        }
    }
}
