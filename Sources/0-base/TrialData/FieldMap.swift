/// A small map from field names to values: the coded and numeric fields of a `RegistryRecord`.
///
/// A registry record carries one to four named fields (`kind`, `category`, `placement`, `amount`, …).
/// A `Dictionary` per record costs a hashed table allocation and a SipHash of the key on every look-up;
/// for so few entries a plain array of key/value pairs searched front to back is smaller and faster
/// (comparing two short strings is cheaper than hashing one). The map keeps the part of `Dictionary`'s
/// API the project uses, so call sites read the same:
///
/// - `map["kind"]` reads (nil when absent) and writes (assigning nil removes the key);
/// - dictionary literals (`["category": "00", "placement": "training"]`); a repeated key is a programming
///   error, as in a `Dictionary` literal;
/// - `==` ignores the order of the entries, as two dictionaries with the same pairs are equal;
/// - iteration yields `(key:, value:)` pairs in insertion order (a `Dictionary`'s order was unspecified);
///   `keys`, `values`, `count`, `isEmpty`;
/// - `Codable` as the same JSON object a `[String: Value]` encodes to (the trial store persists the
///   fields as JSON, and rows written before this type existed decode unchanged).
///
/// Cost: look-up, insertion and removal are O(n) in the number of entries; equality is O(n²). Meant for
/// a handful of entries; build a `Dictionary` (`dictionary`) for many.
public struct FieldMap<Value> {
    public typealias Element = (key: String, value: Value)

    /// One pair of the map.
    @usableFromInline struct Entry {
        @usableFromInline var key: String
        @usableFromInline var value: Value
        @inlinable init(key: String, value: Value) {
            self.key = key
            self.value = value
        }
    }

    /// The entries in insertion order; keys are unique. One array (one allocation) for all pairs.
    @usableFromInline var entries: [Entry]

    /// An empty map.
    @inlinable public init() {
        entries = []
    }

    /// An empty map with room for `capacity` entries.
    @inlinable public init(capacity: Int) {
        entries = []
        entries.reserveCapacity(capacity)
    }

    /// Adds a pair at the end.
    /// - Precondition: the key is not in the map.
    @inlinable public mutating func appendUnique(_ key: String, _ value: Value) {
        precondition(index(of: key) == nil, "FieldMap: the key '\(key)' appears twice")
        entries.append(Entry(key: key, value: value))
    }

    /// The map of a dictionary's pairs, ordered by key (so the order does not depend on the hashing seed).
    @inlinable public init(_ dictionary: [String: Value]) {
        entries = dictionary.sorted { $0.key < $1.key }.map { Entry(key: $0.key, value: $0.value) }
    }

    /// The map of key/value pairs with unique keys, in the order given.
    /// - Precondition: no key appears twice.
    @inlinable public init<S: Sequence>(uniqueKeysWithValues pairs: S) where S.Element == (String, Value) {
        entries = []
        entries.reserveCapacity(pairs.underestimatedCount)
        for (key, value) in pairs {
            precondition(index(of: key) == nil, "FieldMap: the key '\(key)' appears twice")
            entries.append(Entry(key: key, value: value))
        }
    }

    /// The position of `key` among the entries, or nil.
    @inlinable func index(of key: String) -> Int? {
        var i = 0
        while i < entries.count {
            if entries[i].key == key { return i }
            i += 1
        }
        return nil
    }

    /// The value of `key`, or nil. Setting nil removes the key; setting a value replaces it in place or
    /// appends it.
    @inlinable public subscript(key: String) -> Value? {
        get { index(of: key).map { entries[$0].value } }
        set {
            if let i = index(of: key) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// The value of `key`, or `defaultValue` when absent; assigning through it stores the key.
    @inlinable public subscript(key: String, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// Removes `key`, returning its value if it was present.
    @discardableResult
    @inlinable public mutating func removeValue(forKey key: String) -> Value? {
        guard let i = index(of: key) else { return nil }
        return entries.remove(at: i).value
    }

    /// The keys in insertion order.
    @inlinable public var keys: [String] { entries.map(\.key) }
    /// The values in insertion order.
    @inlinable public var values: [Value] { entries.map(\.value) }

    /// The address of the map's storage, nil when empty. Two maps with the same identity share their storage,
    /// so they hold the same pairs (a reader that reuses one map for repeated coded fields makes such maps);
    /// different identities say nothing. Only meaningful while both maps are alive.
    @inlinable public var storageIdentity: UnsafeRawPointer? {
        entries.isEmpty ? nil : entries.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    /// The same pairs as a `Dictionary`.
    @inlinable public var dictionary: [String: Value] {
        Dictionary(uniqueKeysWithValues: entries.lazy.map { ($0.key, $0.value) })
    }
}

extension FieldMap: RandomAccessCollection {
    public typealias Index = Int
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { entries.count }
    @inlinable public subscript(position: Int) -> (key: String, value: Value) {
        (entries[position].key, entries[position].value)
    }
}

extension FieldMap: ExpressibleByDictionaryLiteral {
    /// - Precondition: no key appears twice (as for a `Dictionary` literal).
    @inlinable public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(uniqueKeysWithValues: elements)
    }
}

extension FieldMap: Equatable where Value: Equatable {
    /// Equal when both hold the same keys with equal values, in any order.
    @inlinable public static func == (lhs: FieldMap, rhs: FieldMap) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for e in lhs.entries {
            guard let v = rhs[e.key], v == e.value else { return false }
        }
        return true
    }
}

extension FieldMap: Hashable where Value: Hashable {
    /// Consistent with `==`: the pairs are hashed in key order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for e in entries.sorted(by: { $0.key < $1.key }) {
            hasher.combine(e.key)
            hasher.combine(e.value)
        }
    }
}

extension FieldMap: Sendable where Value: Sendable {}

extension FieldMap: Codable where Value: Codable {
    /// Encodes as `[String: Value]` does: one JSON object.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dictionary)
    }

    /// Decodes the JSON object a `[String: Value]` encodes to.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(try container.decode([String: Value].self))
    }
}

extension FieldMap: CustomStringConvertible {
    /// As a dictionary prints: `["kind": "art60"]`, `[:]` when empty.
    public var description: String {
        if isEmpty { return "[:]" }
        return "[" + entries.map { "\(String(reflecting: $0.key)): \(String(reflecting: $0.value))" }
            .joined(separator: ", ") + "]"
    }
}

extension FieldMap.Entry: Sendable where Value: Sendable {}
