import Basics
import Crypto
import GRDB

/// The screening inputs an assignment rests on, folded into the assignment chain.
///
/// A family's cohort row (link key, line, the non-identifying attributes that fed the eligibility rules
/// and the strata) and its screening outcome are written once, in the run that screened it. Each
/// assignment record carries two digests of them, both part of the record's hash (`HashChain`):
///
/// - `screening_sha256`: SHA-256 of the family's own row, so a changed attribute, eligibility or link key
///   names the family;
/// - `run_screening_sha256`: SHA-256 of every row the run screened, in cohort-line order, so a family
///   screened out (or added, or deleted) after the run is caught too.
///
/// A row is the UTF-8 text `unit=…`, `link=…`, `line=…`, `attributes=…` (the JSON object exactly as
/// stored), `eligible=0|1`, `rule=…`, `reason=…`, `run=…`, each on its own line, values escaped as in
/// `HashChain`, an absent value written as the bare name; the family's digest hashes the line
/// `rct-screening-v1` then its row, the run's digest `rct-screening-run-v1` then every row. Records
/// written before the digests existed carry neither, and their hashes are unchanged.
public enum ScreeningDigest {
    static let columns = """
        SELECT c.unit_id, c.link_key, c.line, c.attributes, s.eligible, s.rule_id, s.reason, s.run_id
        FROM cohort c JOIN screening s ON s.unit_id = c.unit_id
        """

    /// One screening row as stored: the attributes are the JSON text exactly as kept.
    public struct StoredRow: Sendable {
        public var unit: String, linkKey: String?, line: Int, attributesJSON: String
        public var eligible: Bool, rule: String?, reason: String?, runID: Int

        public init(unit: String, linkKey: String?, line: Int, attributesJSON: String, eligible: Bool, rule: String?,
                    reason: String?, runID: Int) {
            (self.unit, self.linkKey, self.line, self.attributesJSON) = (unit, linkKey, line, attributesJSON)
            (self.eligible, self.rule, self.reason, self.runID) = (eligible, rule, reason, runID)
        }

        /// The order of a run's rows in its digest: cohort line, then unit id byte by byte (SQLite's
        /// `ORDER BY line, unit_id`).
        public static func inRunOrder(_ a: StoredRow, _ b: StoredRow) -> Bool {
            a.line != b.line ? a.line < b.line : a.unit.utf8.lexicographicallyPrecedes(b.unit.utf8)
        }

        /// Written into one string (no array of fields per row: `rct verify` and every command that opens the
        /// store build this text twice per screened family).
        var text: String {
            var out = ""
            out.reserveCapacity(96 + unit.utf8.count + attributesJSON.utf8.count + (linkKey?.utf8.count ?? 0)
                + (rule?.utf8.count ?? 0) + (reason?.utf8.count ?? 0))
            func put(_ name: String, _ value: String?) {
                out += name
                if let value {
                    out += "="
                    out += HashChain.escape(value)
                }
                out += "\n"
            }
            put("unit", unit)
            put("link", linkKey)
            put("line", String(line))
            put("attributes", attributesJSON)
            put("eligible", eligible ? "1" : "0")
            put("rule", rule)
            put("reason", reason)
            put("run", String(runID))
            return out
        }
    }

    /// The digest of one family's row.
    public static func unit(_ row: StoredRow) -> String {
        unit(text: Array(row.text.utf8))
    }

    /// The digest of one family's row, from the row's text.
    static func unit(text: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("rct-screening-v1\n".utf8))
        hasher.update(data: text)
        return Fingerprint.hex(hasher.finalize())
    }

    /// The digest of a run's rows, given in cohort-line order (then unit id).
    public static func run(_ rows: [StoredRow]) -> String {
        var hasher = runHasher()
        for r in rows { hasher.update(data: Array(r.text.utf8)) }
        return Fingerprint.hex(hasher.finalize())
    }

    /// A run's digest before its rows: their texts follow, in run order.
    static func runHasher() -> SHA256 {
        var hasher = SHA256()
        hasher.update(data: Array("rct-screening-run-v1\n".utf8))
        return hasher
    }

    /// A row of `columns`, by position (a look-up by name lowercases the name for every row and column).
    static func row(_ r: Row) -> StoredRow {
        StoredRow(unit: r[0], linkKey: r[1], line: r[2], attributesJSON: r[3], eligible: r[4], rule: r[5], reason: r[6], runID: r[7])
    }

    /// The digest of one family's screening row, nil when the family has none.
    static func unit(_ db: Database, _ unitID: String) throws -> String? {
        try Row.fetchOne(try db.cachedStatement(sql: columns + " WHERE c.unit_id = ?"), arguments: [unitID])
            .map { unit(row($0)) }
    }

    /// The digest of every screening row of one run, in cohort-line order.
    static func run(_ db: Database, _ runID: Int) throws -> String {
        run(try Row.fetchAll(db, sql: columns + " WHERE s.run_id = ?", arguments: [runID]).map(row).sorted(by: StoredRow.inRunOrder))
    }

    /// What the screening rows say now against what the records were chained with. The rows are read in
    /// run order (`ORDER BY` the run, the cohort line, the unit id byte by byte: `StoredRow.inRunOrder`)
    /// and checked one by one (`Check`), so no run's rows are held: at 100,000 screened families holding
    /// them, their texts and the joined text of a run was most of the memory of opening a store.
    static func problems(_ db: Database, records: [AssignmentRecord]) throws -> [ChainProblem] {
        var check = Check(records: records)
        let rows = try Row.fetchCursor(db, sql: columns + " ORDER BY s.run_id, c.line, c.unit_id")
        while let r = try rows.next() { check.add(row(r)) }
        return check.problems
    }

    /// The same on rows already read (any back end), grouped by run: a family's row that changed, and
    /// runs whose screened set changed (added, removed or changed, eligible or not).
    public static func problems(records: [AssignmentRecord], rows byRun: [Int: [StoredRow]]) -> [ChainProblem] {
        var check = Check(records: records)
        for runID in byRun.keys.sorted() {
            for r in byRun[runID]!.sorted(by: StoredRow.inRunOrder) { check.add(r) }
        }
        return check.problems
    }

    /// The check of screening rows against the records' digests, fed row by row: each run's rows in run
    /// order (runs may come one after another or interleaved). A row's text is made once, for its own
    /// digest and its run's.
    struct Check {
        /// Per unit whose record carries a row digest: the record's number, the digest, and whether a row
        /// of the unit was seen with that digest (nil: no row seen yet).
        private var units: [String: (seq: Int, kept: String, matches: Bool?)] = [:]
        /// Per run whose records carry a run digest: the first record's number, the digest, and the run's
        /// rows hashed so far.
        private var runs: [Int: (seq: Int, kept: String, hasher: SHA256)] = [:]

        init(records: [AssignmentRecord]) {
            for r in records {
                if let kept = r.entry.screeningSHA256 { units[r.entry.unitID] = (r.seq, kept, nil) }
                if let kept = r.entry.runScreeningSHA256, runs[r.runID] == nil { runs[r.runID] = (r.seq, kept, runHasher()) }
            }
        }

        mutating func add(_ row: StoredRow) {
            let inUnits = units[row.unit] != nil, inRuns = runs[row.runID] != nil
            guard inUnits || inRuns else { return }
            let text = Array(row.text.utf8)
            if inUnits { units[row.unit]!.matches = ScreeningDigest.unit(text: text) == units[row.unit]!.kept }
            if inRuns { runs[row.runID]!.hasher.update(data: text) }
        }

        /// The problems: altered family rows (missing or changed) in record order, then altered runs in run order.
        var problems: [ChainProblem] {
            units.filter { $0.value.matches != true }.sorted { $0.value.seq < $1.value.seq }
                .map { .screeningAltered(seq: $0.value.seq, unit: $0.key) }
                + runs.sorted { $0.key < $1.key }.filter { Fingerprint.hex($0.value.hasher.finalize()) != $0.value.kept }
                .map { .runScreeningAltered(run: $0.key, seq: $0.value.seq) }
        }
    }
}
