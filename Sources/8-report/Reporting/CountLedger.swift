/// The counts a publication shows and the sums that tie them together, as one value: the input of
/// disclosure control (`SmallCellPolicy.disclose`) and of its audit (`DisclosureAudit`).
///
/// A *cell* is a count of units under a key (e.g. `consort/control/m6/survey/no interview`). A *sum*
/// says that one cell is the sum of others (`allocated = followed up + not followed up`), or, with one
/// part, that two cells are equal. A reader who sees some cells can add and subtract along the sums;
/// disclosure control must leave every suppressed cell undetermined by them.
///
/// Only sums that hold are recorded: `sum(_:equals:)` checks the values and drops a sum that does not add
/// up (it would tell a reader nothing true), so a ledger never claims a false relation.
public struct CountLedger: Sendable, Equatable, Codable {
    public struct Sum: Sendable, Equatable, Codable {
        public var total: String
        public var parts: [String]
        public init(total: String, parts: [String]) {
            self.total = total
            self.parts = parts
        }
        /// Every key of the sum, the total first.
        public var keys: [String] { [total] + parts }
    }

    /// Keys in the order they were added.
    public private(set) var keys: [String] = []
    public private(set) var values: [String: Int] = [:]
    public private(set) var sums: [Sum] = []
    /// Cells that secondary suppression takes only when nothing else is left (totals printed by writers
    /// that show them under the count rule alone, such as an effect table's N).
    public private(set) var lastResort: Set<String> = []
    /// Cells a table shows or hides together (the counts behind one row of summaries, e.g. a binary
    /// covariate's with / without in both arms of the balance table): when one is suppressed, all are.
    public private(set) var groups: [[String]] = []

    public init() {}

    /// Adds a cell (a key added again keeps its first value when the values agree; a different value is
    /// a programming error in the caller).
    public mutating func add(_ key: String, _ value: Int, lastResort: Bool = false) {
        if let old = values[key] {
            precondition(old == value, "ledger cell \(key) added twice with different values (\(old), \(value))")
        } else {
            keys.append(key)
            values[key] = value
        }
        if lastResort { self.lastResort.insert(key) }
    }

    /// Records that the cells `keys` are suppressed together (keys that are not cells are left out).
    public mutating func together(_ keys: [String]) {
        let cells = keys.filter { values[$0] != nil }
        if cells.count > 1, !groups.contains(cells) { groups.append(cells) }
    }

    /// Records `total = Σ parts` when every key is a cell and the values add up; returns whether it was
    /// recorded.
    @discardableResult
    public mutating func sum(_ total: String, equals parts: [String]) -> Bool {
        guard let t = values[total], !parts.isEmpty, !parts.contains(total) else { return false }
        var s = 0
        for p in parts {
            guard let v = values[p] else { return false }
            s += v
        }
        guard s == t else { return false }
        let sum = Sum(total: total, parts: parts)
        if !sums.contains(sum) { sums.append(sum) }
        return true
    }
}
