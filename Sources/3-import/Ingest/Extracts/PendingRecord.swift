import Basics
import TrialData
import TrialDesign

/// The names of the coded fields a registry record can carry, by number (`PendingRecord` keeps the
/// number, one byte, instead of the name).
enum AttributeName: UInt8 {
    case category, placement, kind, decisionDate, amountType, statementMonth, legislation, municipality, position, reason
    case amount, benefit
    case type, paymentMonth, periodStart, periodEnd

    var name: String {
        switch self {
        case .category: return "category"
        case .placement: return "placement"
        case .kind: return "kind"
        case .decisionDate: return "decision_date"
        case .amountType: return "amount_type"
        case .statementMonth: return "statement_month"
        case .legislation: return "legislation"
        case .municipality: return "municipality"
        case .position: return "position"
        case .reason: return "reason"
        case .amount: return "amount"
        case .benefit: return "benefit"
        case .type: return "type"
        case .paymentMonth: return "payment_month"
        case .periodStart: return "period_start"
        case .periodEnd: return "period_end"
        }
    }
}

/// A registry record's values before the record is built. `prepare` (on the reading thread) fills
/// it with plain values; `commit` (on the caller's thread) builds the `RegistryRecord`, so the record's
/// memory is allocated on the thread that releases it (allocations moving between threads cost more
/// than the building does). Up to five coded fields and one number, as the source kinds have; kept
/// small (120 bytes), since every row's is copied into and out of its batch.
struct PendingRecord {
    static let none: UInt8 = .max
    static let open = Int32.min
    // The small fields first, side by side: they share one word (112 bytes in all, as many as before the
    // status and extras were added; a larger record is copied through memcpy, measured 4 % slower).
    var startDay: Int32
    var endDay: Int32
    var keys: (UInt8, UInt8, UInt8, UInt8, UInt8) = (none, none, none, none, none)
    var numberKey: UInt8 = none
    /// What the source's status column says (counts when the source has none).
    var meaning: RecordStatus.Meaning = .counts
    var v0 = "", v1 = "", v2 = "", v3 = "", v4 = ""
    var number = 0.0
    /// What only some sources have — kept columns, a status text, correction identifiers — behind one
    /// optional reference, so the record stays small for the others (it is copied into and out of batches).
    var more: PendingExtras?

    /// Further attributes by name: the source's kept columns (`attributes:`).
    var extra: [(String, String)] { more?.extra ?? [] }
    /// The raw status of a voided record.
    var statusText: String { more?.statusText ?? "" }
    /// The record's identifier and the identifier it replaces (`corrects_by: { id:, replaces: }`).
    var recordID: String { more?.recordID ?? "" }
    var replacesID: String { more?.replacesID ?? "" }

    /// The extras, made when first needed.
    mutating func extras() -> PendingExtras {
        if let more { return more }
        let made = PendingExtras()
        more = made
        return made
    }

    init(start: CalendarDate, end: CalendarDate?, _ a0: (AttributeName, String)? = nil, _ a1: (AttributeName, String)? = nil,
         _ a2: (AttributeName, String)? = nil, _ a3: (AttributeName, String)? = nil, _ a4: (AttributeName, String)? = nil,
         number: (AttributeName, Double)? = nil) {
        startDay = Int32(truncatingIfNeeded: start.dayNumber)
        endDay = end.map { Int32(truncatingIfNeeded: $0.dayNumber) } ?? Self.open
        if let (k, v) = a0 { keys.0 = k.rawValue; v0 = v }
        if let (k, v) = a1 { keys.1 = k.rawValue; v1 = v }
        if let (k, v) = a2 { keys.2 = k.rawValue; v2 = v }
        if let (k, v) = a3 { keys.3 = k.rawValue; v3 = v }
        if let (k, v) = a4 { keys.4 = k.rawValue; v4 = v }
        if let (k, v) = number { numberKey = k.rawValue; self.number = v }
    }

    func record(source: String, participant: String, line: Int) -> RegistryRecord {
        let n = (keys.0 == Self.none ? 0 : 1) + (keys.1 == Self.none ? 0 : 1) + (keys.2 == Self.none ? 0 : 1)
            + (keys.3 == Self.none ? 0 : 1) + (keys.4 == Self.none ? 0 : 1) + extra.count
        var attributes = FieldMap<String>(capacity: n)
        func add(_ key: UInt8, _ value: String) {
            if key != Self.none, let name = AttributeName(rawValue: key) { attributes.appendUnique(name.name, value) }
        }
        add(keys.0, v0)
        add(keys.1, v1)
        add(keys.2, v2)
        add(keys.3, v3)
        add(keys.4, v4)
        for (name, value) in extra where attributes[name] == nil { attributes.appendUnique(name, value) }
        var numbers = FieldMap<Double>(capacity: numberKey == Self.none ? 0 : 1)
        if numberKey != Self.none, let name = AttributeName(rawValue: numberKey) { numbers.appendUnique(name.name, number) }
        return RegistryRecord(source: source, participant: participant, line: line, startDay: Int(startDay),
                              endDay: endDay == Self.open ? nil : Int(endDay), attributes: attributes, numbers: numbers)
    }
}

/// The parts of a pending record that only some sources fill.
final class PendingExtras: @unchecked Sendable {
    var extra: [(String, String)] = []
    var statusText = ""
    var recordID = ""
    var replacesID = ""
}
