import TrialData
import TrialDesign

/// The records of a source with corrections, held until the file has been read (a correction can only be
/// matched once its original is known), then resolved in file order of first appearance.
///
/// Three ways a correction finds its original, as the design says:
/// - a kind's built-in rule (`ocmw_aid`: the same participant, kind and start date; the later decision
///   date counts), when the source declares nothing;
/// - `corrects_by: { match: [fields] }`: the same participant and fields; the later row replaces the
///   earlier (a row whose status says `corrects` must have one to replace);
/// - `corrects_by: { id: C, replaces: R }`: the correction names the original's identifier in column R
///   (a row whose status says `corrects`, or, without a status column, any row with R filled).
///
/// A correction whose original is not in the file is rejected (`orphan_correction`) when the file ends.
struct Corrections {
    enum Rule {
        case builtIn(CorrectionRule)
        case byFields([String])
        case byIdentifier
    }

    /// One held record as read (`PendingRecord`: its fields in place, about 110 bytes, where the built
    /// `RegistryRecord` with its field maps took about 330; a source's decisions are all held until the
    /// file ends) and what the importer knows of it. The record is built again when it is compared or kept.
    struct Held {
        var pending: PendingRecord
        var participant: String
        var line: Int
        var corrects: Bool
        var excerpt: String

        var id: String { pending.recordID }
        var replaces: String { pending.replacesID }
        func record(source: String) -> RegistryRecord { pending.record(source: source, participant: participant, line: line) }
    }

    let rule: Rule
    /// The source id the records are built with.
    let source: String
    private var held: [Held] = []
    /// The slot holding each decision's current record (built-in rule), and each match key's (`match:`).
    private var slotOfDecision: [CorrectionRule.Key: Int] = [:]
    private var slotOfKey: [String: Int] = [:]
    /// Slots whose first record was replaced by a later one.
    private var replacedSlots: Set<Int> = []
    /// The records that no longer count (superseded), with why.
    private(set) var setAside: [SetAsideRow] = []
    private(set) var corrections = 0

    init(rule: Rule, source: String) {
        self.rule = rule
        self.source = source
    }

    /// Adds a record in file order: `record` is `pending` built (the caller has it already). `corrects`:
    /// the status says it corrects an earlier record; the pending record's identifier and the identifier it
    /// replaces serve `corrects_by: { id:, replaces: }`.
    mutating func add(_ pending: PendingRecord, record: RegistryRecord, corrects: Bool, excerpt: String) {
        let entry = Held(pending: pending, participant: record.participant, line: record.line, corrects: corrects, excerpt: excerpt)
        switch rule {
        case let .builtIn(r):
            let key = r.key(record)
            guard let i = slotOfDecision[key] else { slotOfDecision[key] = held.count; held.append(entry); return }
            corrections += 1
            replacedSlots.insert(i)
            let (kept, dropped) = r.replaces(record, held[i].record(source: source)) ? (entry, held[i]) : (held[i], entry)
            held[i] = kept
            setAside.append(SetAsideRow(line: dropped.line, participant: dropped.participant, reason: .superseded,
                                        message: "replaced by line \(kept.line) (the same decision: participant, kind and start; the later decision date counts)"))
        case let .byFields(fields):
            let key = ([record.participant] + fields.map { Self.value(of: $0, in: record) }).joined(separator: "\u{1F}")
            guard let i = slotOfKey[key] else { slotOfKey[key] = held.count; held.append(entry); return }
            corrections += 1
            replacedSlots.insert(i)
            setAside.append(SetAsideRow(line: held[i].line, participant: held[i].participant, reason: .superseded,
                                        message: "replaced by line \(record.line) (the same \(fields.joined(separator: ", ")))"))
            held[i] = entry
        case .byIdentifier:
            held.append(entry)
        }
    }

    /// Hands the records that count to `keep`, in order of first appearance (each built as it is handed
    /// over, so they are never all built at once), and returns the corrections that had no original in
    /// the file.
    mutating func finish(_ keep: (RegistryRecord) -> Void) -> [Held] {
        var orphans: [Held] = []
        switch rule {
        case .builtIn, .byFields:
            for (i, h) in held.enumerated() {
                if h.corrects && !replacedSlots.contains(i) { orphans.append(h) } else { keep(h.record(source: source)) }
            }
        case .byIdentifier:
            var slotOfID: [String: Int] = [:]
            var out: [Held] = []
            for h in held {
                if h.corrects || !h.replaces.isEmpty {
                    guard let i = slotOfID[h.replaces] else { orphans.append(h); continue }
                    corrections += 1
                    setAside.append(SetAsideRow(line: out[i].line, participant: out[i].participant, reason: .superseded,
                                                message: "replaced by line \(h.line), which names this record (\(h.replaces))"))
                    out[i] = h
                    if !h.id.isEmpty { slotOfID[h.id] = i }
                } else {
                    if !h.id.isEmpty { slotOfID[h.id] = out.count }
                    out.append(h)
                }
            }
            for h in out { keep(h.record(source: source)) }
        }
        held = []
        slotOfDecision = [:]
        slotOfKey = [:]
        return orphans
    }

    /// A field of a record as text: its start or end day, a coded attribute, or a number.
    static func value(of field: String, in r: RegistryRecord) -> String {
        switch field {
        case "start": return r.start.description
        case "end": return r.end?.description ?? ""
        default: return r.attributes[field] ?? r.numbers[field].map { "\($0)" } ?? ""
        }
    }
}
