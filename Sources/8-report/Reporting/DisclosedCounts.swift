import Foundation

/// The one set of counts a publication prints, after primary and secondary suppression
/// (`SmallCellPolicy.disclose`): every writer asks it how to show a count, so the report, the tables, the
/// figures and `counts.json` agree.
///
/// It holds the raw values (to print the published ones); `published` is the form without them that goes
/// into the publishable folder.
public struct DisclosedCounts: Sendable, Equatable {
    /// How one count is shown.
    public enum Shown: Sendable, Equatable {
        case value(Int)
        /// A primary small cell: 1 ..< threshold.
        case small(threshold: Int)
        /// Suppressed so that a small cell cannot be worked out from the others.
        case secondary
    }

    public let threshold: Int
    let ledger: CountLedger
    let primary: Set<String>
    public let suppressed: Set<String>

    init(threshold: Int, ledger: CountLedger, primary: Set<String>, suppressed: Set<String>) {
        self.threshold = threshold
        self.ledger = ledger
        self.primary = primary
        self.suppressed = suppressed
    }

    /// How the cell `key` is shown; nil when the ledger has no such cell.
    public func shown(_ key: String) -> Shown? {
        guard let v = ledger.values[key] else { return nil }
        if primary.contains(key) { return .small(threshold: threshold) }
        return suppressed.contains(key) ? .secondary : .value(v)
    }

    /// The published value of `key`, nil when suppressed or absent.
    public func value(_ key: String) -> Int? {
        if case let .value(v)? = shown(key) { return v }
        return nil
    }

    public func isSuppressed(_ key: String) -> Bool { suppressed.contains(key) }

    /// The counts as published (suppressed values left out), with the sums, for `counts.json`.
    public var published: PublishedCounts {
        PublishedCounts(threshold: threshold, cells: ledger.keys.map { key in
            switch shown(key)! {
            case let .value(v): return .init(key: key, value: v, status: .published)
            case .small: return .init(key: key, value: nil, status: .small)
            case .secondary: return .init(key: key, value: nil, status: .secondary)
            }
        }, sums: ledger.sums)
    }
}

/// The published counts of a report and the sums between them, as written to `counts.json` in the
/// publishable folder and read back by `rct disclosure-check`: a machine-readable statement of what the
/// CONSORT diagram, the attrition table and the effect tables print.
public struct PublishedCounts: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Equatable, Codable {
        case published
        /// Below the threshold (shown as "< threshold").
        case small
        /// Suppressed so that a small cell cannot be worked out from the others.
        case secondary
    }

    public struct Cell: Sendable, Equatable, Codable {
        public var key: String
        /// nil when suppressed.
        public var value: Int?
        public var status: Status
        public init(key: String, value: Int?, status: Status) {
            self.key = key
            self.value = value
            self.status = status
        }
    }

    public var threshold: Int
    public var cells: [Cell]
    public var sums: [CountLedger.Sum]

    public init(threshold: Int, cells: [Cell], sums: [CountLedger.Sum]) {
        self.threshold = threshold
        self.cells = cells
        self.sums = sums
    }
}

extension PublishedCounts {
    /// `counts.json`: pretty-printed, keys sorted, so that two runs compare line by line.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
