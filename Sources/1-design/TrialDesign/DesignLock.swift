import Basics
import Foundation
import Yams

/// The two parts of a design, locked differently (`docs/design-format.md`, "What is locked").
///
/// The *locked part* is what the randomisation and the pre-registered analysis depend on: the trial's
/// identity, arms, eligibility, strata, randomisation, capacity, waves, hypothesis families, outcomes,
/// covariates, subgroups, analysis, publication thresholds, sites, and of each source its `id`, `kind`
/// and `wave`. It is fixed at the first assignment; a change is recorded with `rct amend`. The *data
/// logistics* — file paths, dialects, column maps, vocabularies, extract dates, the take-up register's
/// file, the pseudonymisation key's location, the cohort's column names in `trial:` — and the presentation
/// (`isPresentation`: directions of benefit, baselines drawn, subgroup level labels, the report's language)
/// may change at any time. Comments, quoting, key order and layout belong to neither: reformatting a design changes nothing.
///
/// The locked part is read from the YAML text as a flat list of entries, one per scalar value, keyed by
/// its path (`outcomes[leefloon].window.months`; list items that carry an `id` are named by it, others
/// by position), so that an amendment can say which keys changed and what they were.
public struct DesignLock: Sendable, Equatable {
    /// Path → the value's text, for every scalar of the locked part.
    public let entries: [String: String]

    /// Keys of `trial:` that name the cohort's columns: data logistics.
    static let trialLogistics: Set<String> = ["id_column", "id_type", "link_column"]
    /// Top-level sections that are data logistics as a whole.
    static let logisticsSections: Set<String> = ["pseudonymisation"]
    /// The keys of a source that are locked; the rest of a source is data logistics.
    static let lockedSourceKeys: Set<String> = ["id", "kind", "wave", "level"]

    public init(entries: [String: String]) {
        self.entries = entries
    }

    /// The locked part of a design's text.
    /// - Throws: `DesignLockError.unreadable` when the text is not YAML with a mapping at the top.
    public init(yaml text: String) throws {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw DesignLockError.unreadable("\(error)") }
        guard let root, case let .mapping(top) = root else {
            throw DesignLockError.unreadable("the design is not a mapping of keys")
        }
        var out: [String: String] = [:]
        for (key, value) in top {
            guard let name = key.string, !Self.logisticsSections.contains(name) else { continue }
            switch name {
            case "trial":
                guard case let .mapping(m) = value else { Self.flatten(value, name, into: &out); continue }
                for (k, v) in m where !Self.trialLogistics.contains(k.string ?? "") {
                    Self.flatten(v, "trial.\(k.string ?? "?")", into: &out)
                }
            case "sources":
                guard case let .sequence(items) = value else { continue }
                for (i, item) in items.enumerated() {
                    guard case let .mapping(m) = item else { continue }
                    let label = Self.itemLabel(item, index: i)
                    for (k, v) in m where Self.lockedSourceKeys.contains(k.string ?? "") {
                        Self.flatten(v, "sources\(label).\(k.string ?? "?")", into: &out)
                    }
                }
            default:
                Self.flatten(value, name, into: &out)
            }
        }
        entries = out.filter { !Self.isPresentation($0.key) }
    }

    /// How the report presents what was pre-specified, not what was: an outcome's direction of benefit
    /// (`better`) and the baseline drawn beside it (`baseline`), a subgroup's level labels (`levels`) and
    /// the report's language. They may change at any time, like the data logistics.
    static func isPresentation(_ path: String) -> Bool {
        if path == "publication.language" { return true }
        if path.hasPrefix("outcomes["), path.hasSuffix("].better") || path.hasSuffix("].baseline") { return true }
        if path.hasPrefix("subgroups["), let levels = path.range(of: "].levels") {
            let rest = path[levels.upperBound...]
            return rest.isEmpty || rest.hasPrefix(".")
        }
        return false
    }

    /// `[id]` for a list item with an `id`, `[index]` otherwise.
    static func itemLabel(_ node: Node, index: Int) -> String {
        if case let .mapping(m) = node, let id = m["id"]?.string { return "[\(id)]" }
        return "[\(index)]"
    }

    static func flatten(_ node: Node, _ path: String, into out: inout [String: String]) {
        switch node {
        case let .scalar(s):
            out[path] = s.string
        case let .mapping(m):
            if m.count == 0 { out[path] = "{}" }
            for (k, v) in m { flatten(v, "\(path).\(k.string ?? "?")", into: &out) }
        case let .sequence(items):
            if items.count == 0 { out[path] = "[]" }
            for (i, item) in items.enumerated() { flatten(item, path + itemLabel(item, index: i), into: &out) }
        case .alias:
            out[path] = "*alias"
        }
    }

    /// SHA-256 of the entries, one `path<TAB>value<LF>` line each in the order of the paths.
    public var fingerprint: String {
        var text = ""
        for path in entries.keys.sorted() { text += path + "\t" + entries[path]! + "\n" }
        return Fingerprint.sha256(Data(text.utf8))
    }

    /// The keys whose value differs between `self` (before) and `after`, in the order of the paths.
    public func changes(to after: DesignLock) -> [DesignChange] {
        let paths = Set(entries.keys).union(after.entries.keys).sorted()
        return paths.compactMap { path in
            let old = entries[path], new = after.entries[path]
            return old == new ? nil : DesignChange(path: path, before: old, after: new)
        }
    }
}

/// One changed key of the locked part: its path, the value before and after (nil: not there).
public struct DesignChange: Sendable, Equatable, Codable {
    public var path: String
    public var before: String?
    public var after: String?

    public init(path: String, before: String?, after: String?) {
        self.path = path
        self.before = before
        self.after = after
    }

    /// Why this change would invalidate a randomisation already drawn, or nil when an amendment may
    /// record it: the arms and their ratio, the strata, the randomisation's method, seed and blocks.
    public var invalidatesRandomisation: String? {
        let top = path.prefix { $0 != "." && $0 != "[" }
        switch top {
        case "arms":
            return "the arms (and their ratio) are what the families were randomised to"
        case "strata":
            return "the strata are what the randomisation was balanced within"
        case "randomisation":
            if path.hasPrefix("randomisation.seed") { return "the seed fixes every draw already made" }
            if path.hasPrefix("randomisation.method") { return "the method is how every family already assigned was drawn" }
            if path.hasPrefix("randomisation.block") { return "the blocks fix the probabilities of the draws already made" }
            if path.hasPrefix("randomisation.cluster") { return "the clusters are the units that were randomised" }
            return nil
        default:
            return nil
        }
    }

    /// `path: before → after`, with `(none)` for a key added or removed.
    public var summary: String {
        "\(path): \(before ?? "(none)") → \(after ?? "(none)")"
    }
}

public enum DesignLockError: Error, Equatable, CustomStringConvertible {
    case unreadable(String)

    public var description: String {
        switch self {
        case let .unreadable(reason): return "the design cannot be read as YAML: \(reason)"
        }
    }
}
