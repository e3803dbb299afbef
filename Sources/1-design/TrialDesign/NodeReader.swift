import Basics
import Foundation
import Yams

/// Collects the problems found while reading a design, so that all of them are reported at once.
final class IssueLog {
    private(set) var issues: [DesignIssue] = []
    /// Where each key path read so far stands in the file, so that problems found after reading (by the
    /// validator) still point at a line.
    private var marks: [String: Mark] = [:]

    func record(_ path: String, _ node: Node?) {
        if let mark = node?.mark, marks[path] == nil { marks[path] = mark }
    }

    /// The mark of `path`, or of its nearest ancestor that has one.
    func mark(of path: String) -> Mark? {
        var p = path
        while !p.isEmpty {
            if let m = marks[p] { return m }
            if p.hasSuffix("]"), let open = p.lastIndex(of: "[") { p = String(p[..<open]); continue }
            guard let dot = p.lastIndex(of: ".") else { break }
            p = String(p[..<dot])
        }
        return nil
    }

    func add(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark ?? self.mark(of: path)
        issues.append(DesignIssue(path: path, line: mark?.line, column: mark?.column, message: message))
    }
}

/// Reads one YAML mapping with a key path for messages. Every key read is remembered; `finish()` reports
/// any key that was never read as unknown, so a misspelt key is an error, not silently ignored.
struct MappingReader {
    let node: Node
    let path: String
    let log: IssueLog
    private var pairs: [(key: String, keyNode: Node, value: Node)] = []
    private var known: Set<String> = []

    /// nil (with an issue logged) when `node` is not a mapping.
    init?(_ node: Node, path: String, log: IssueLog) {
        guard case let .mapping(mapping) = node else {
            log.add(node, path, "expected a mapping of keys to values, found \(node.kindDescription)")
            return nil
        }
        self.node = node
        self.path = path
        self.log = log
        for (k, v) in mapping {
            let key = k.string ?? "\(k)"
            if pairs.contains(where: { $0.key == key }) {
                log.add(k, childPath(key), "the key \"\(key)\" appears twice; keep one")
            }
            pairs.append((key, k, v))
        }
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    mutating func value(_ key: String) -> Node? {
        known.insert(key)
        let v = pairs.first { $0.key == key }?.value
        log.record(childPath(key), v)
        return v
    }

    /// Reports unknown keys, listing the keys that are allowed here.
    func finish() {
        for pair in pairs where !known.contains(pair.key) {
            let allowed = known.sorted().joined(separator: ", ")
            log.add(pair.keyNode, childPath(pair.key),
                    "unknown key \"\(pair.key)\"\(suggestion(for: pair.key)); allowed here: \(allowed)")
        }
    }

    private func suggestion(for key: String) -> String {
        let close = known.filter { editDistance($0, key) <= 2 }.sorted()
        return close.isEmpty ? "" : " (did you mean \"\(close[0])\"?)"
    }

    // MARK: typed accessors

    mutating func required(_ key: String) -> Node? {
        guard let v = value(key) else {
            log.add(node, childPath(key), "missing required key \"\(key)\"")
            return nil
        }
        return v
    }

    mutating func string(_ key: String) -> String? {
        guard let v = required(key) else { return nil }
        return scalarString(v, childPath(key))
    }

    mutating func optionalString(_ key: String) -> String? {
        guard let v = value(key) else { return nil }
        return scalarString(v, childPath(key))
    }

    mutating func int(_ key: String, default def: Int? = nil, range: ClosedRange<Int>? = nil) -> Int? {
        guard let v = (def == nil ? required(key) : value(key)) else { return def }
        return intValue(v, childPath(key), range: range)
    }

    mutating func optionalInt(_ key: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let v = value(key) else { return nil }
        return intValue(v, childPath(key), range: range)
    }

    mutating func double(_ key: String, default def: Double? = nil, range: ClosedRange<Double>? = nil) -> Double? {
        guard let v = (def == nil ? required(key) : value(key)) else { return def }
        return doubleValue(v, childPath(key), range: range)
    }

    mutating func optionalDouble(_ key: String, range: ClosedRange<Double>? = nil) -> Double? {
        guard let v = value(key) else { return nil }
        return doubleValue(v, childPath(key), range: range)
    }

    mutating func bool(_ key: String, default def: Bool) -> Bool {
        guard let v = value(key) else { return def }
        guard case .scalar = v, let b = v.bool else {
            log.add(v, childPath(key), "expected true or false, found \(v.kindDescription)")
            return def
        }
        return b
    }

    mutating func date(_ key: String) -> CalendarDate? {
        guard let v = required(key), let s = scalarString(v, childPath(key)) else { return nil }
        guard let d = CalendarDate(iso: s) else {
            log.add(v, childPath(key), "expected a date as YYYY-MM-DD, found \"\(s)\"")
            return nil
        }
        return d
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, default def: E? = nil) -> E?
    where E.RawValue == String {
        guard let v = (def == nil ? required(key) : value(key)) else { return def }
        guard let s = scalarString(v, childPath(key)) else { return def }
        guard let e = E(rawValue: s) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            log.add(v, childPath(key), "found \"\(s)\"; allowed: \(allowed)")
            return def
        }
        return e
    }

    mutating func stringList(_ key: String, required isRequired: Bool = false) -> [String] {
        guard let v = (isRequired ? required(key) : value(key)) else { return [] }
        return stringListValue(v, childPath(key))
    }

    mutating func mapping(_ key: String, required isRequired: Bool = true) -> MappingReader? {
        guard let v = (isRequired ? required(key) : value(key)) else { return nil }
        return MappingReader(v, path: childPath(key), log: log)
    }

    /// A sequence of mappings, each read by `body`.
    mutating func list<T>(_ key: String, required isRequired: Bool = true, _ body: (inout MappingReader) -> T?) -> [T] {
        guard let v = (isRequired ? required(key) : value(key)) else { return [] }
        guard case let .sequence(seq) = v else {
            log.add(v, childPath(key), "expected a list (items starting with \"- \"), found \(v.kindDescription)")
            return []
        }
        var out: [T] = []
        for (i, item) in seq.enumerated() {
            log.record("\(childPath(key))[\(i)]", item)
            guard var r = MappingReader(item, path: "\(childPath(key))[\(i)]", log: log) else { continue }
            if let t = body(&r) { out.append(t) }
            r.finish()
        }
        return out
    }

    func mark(_ key: String) -> Node? { pairs.first { $0.key == key }?.value ?? node }

    // MARK: scalar conversions

    func scalarString(_ v: Node, _ path: String) -> String? {
        guard case let .scalar(s) = v else {
            log.add(v, path, "expected a single value, found \(v.kindDescription)")
            return nil
        }
        return s.string
    }

    func intValue(_ v: Node, _ path: String, range: ClosedRange<Int>?) -> Int? {
        guard case .scalar = v, let i = Int(v.string ?? "") else {
            log.add(v, path, "expected a whole number, found \(v.describedValue)")
            return nil
        }
        if let range, !range.contains(i) {
            log.add(v, path, "\(i) is out of range; allowed: \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return i
    }

    func doubleValue(_ v: Node, _ path: String, range: ClosedRange<Double>?) -> Double? {
        guard case .scalar = v, let text = v.string, let d = Double(text) else {
            log.add(v, path, "expected a number, found \(v.describedValue)")
            return nil
        }
        if let range, !range.contains(d) {
            log.add(v, path, "\(text) is out of range; allowed: \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return d
    }

    func stringListValue(_ v: Node, _ path: String) -> [String] {
        switch v {
        case let .sequence(seq):
            return seq.enumerated().compactMap { i, item in scalarString(item, "\(path)[\(i)]") }
        case .scalar:
            return [v.string ?? ""]
        default:
            log.add(v, path, "expected a list of values, found \(v.kindDescription)")
            return []
        }
    }
}

extension Node {
    var kindDescription: String {
        switch self {
        case .scalar(let s): return "the value \"\(s.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    var describedValue: String {
        if case let .scalar(s) = self { return "\"\(s.string)\"" }
        return kindDescription
    }
}

/// Levenshtein distance, for "did you mean" suggestions on misspelt keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
