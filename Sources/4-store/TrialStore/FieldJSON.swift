import Foundation
import TrialData

// Why this is not `Codable` (which the store uses for everything else): a registry record's fields are
// written and read once per record, millions of times in a large trial. Measured on the bundled trial's
// store with 567,466 records (docs/performance.md, "Reading back from the store"): `rct panel` took 6.1 s
// and 586 MB with `JSONDecoder`, 1.9 s and 285 MB with this reader; the writer halved the time of
// `rct import`. The text is the same as `JSONEncoder`'s, so either side can read the other's.

/// The JSON object of a record's fields, written by hand for the common case: keys and text values of
/// printable ASCII without `"`, `\\` or `/`, and finite numbers written by `description` without an
/// exponent. The text is exactly what `JSONEncoder` with `.sortedKeys` writes for them (keys in byte
/// order, integral numbers without `.0`), checked against it in TrialStoreTests; anything else returns
/// nil and goes through `JSONEncoder`.
public enum FieldJSON {
    public static func object(_ map: FieldMap<String>) -> String? {
        write(map) { value, out in
            guard plain(value) else { return false }
            out.append(0x22); out.append(contentsOf: value.utf8); out.append(0x22)
            return true
        }
    }

    public static func object(_ map: FieldMap<Double>) -> String? {
        write(map) { value, out in
            guard value.isFinite, !(value == 0 && value.sign == .minus), abs(value) < 1e15 else { return false }
            var text = value.description
            guard !text.utf8.contains(UInt8(ascii: "e")) else { return false }
            if text.hasSuffix(".0") { text.removeLast(2) }
            out.append(contentsOf: text.utf8)
            return true
        }
    }

    private static func write<Value>(_ map: FieldMap<Value>, _ value: (Value, inout [UInt8]) -> Bool) -> String? {
        var out: [UInt8] = [0x7B]
        out.reserveCapacity(64)
        var order = Array(map.indices)
        order.sort { map[$0].key.utf8.lexicographicallyPrecedes(map[$1].key.utf8) }
        for (n, i) in order.enumerated() {
            let (k, v) = map[i]
            guard plain(k) else { return nil }
            if n > 0 { out.append(0x2C) }
            out.append(0x22); out.append(contentsOf: k.utf8); out.append(0x22); out.append(0x3A)
            guard value(v, &out) else { return nil }
        }
        out.append(0x7D)
        return String(decoding: out, as: UTF8.self)
    }

    /// The fields of a stored JSON object of text values. A flat object without escapes (what `object`
    /// writes) is read directly; anything else goes through `decoder`. Entries are ordered by key, as a
    /// map made from a decoded dictionary is.
    public static func strings(_ text: String, decoder: JSONDecoder) throws -> FieldMap<String> {
        var copy = text
        return try copy.withUTF8 { try strings(bytes: $0, decoder: decoder) }
    }

    /// The fields of a stored JSON object of numbers (see `strings`).
    public static func numbers(_ text: String, decoder: JSONDecoder) throws -> FieldMap<Double> {
        var copy = text
        return try copy.withUTF8 { try numbers(bytes: $0, decoder: decoder) }
    }

    /// `strings` on the UTF-8 bytes of the text (a column read in place).
    static func strings(bytes: UnsafeBufferPointer<UInt8>, decoder: JSONDecoder) throws -> FieldMap<String> {
        if let map = parse(bytes, { String(decoding: $0, as: UTF8.self) }, quoted: true) { return map }
        return FieldMap(try decoder.decode([String: String].self, from: Data(bytes)))
    }

    /// `numbers` on the UTF-8 bytes of the text.
    static func numbers(bytes: UnsafeBufferPointer<UInt8>, decoder: JSONDecoder) throws -> FieldMap<Double> {
        if let map = parse(bytes, number, quoted: false) { return map }
        return FieldMap(try decoder.decode([String: Double].self, from: Data(bytes)))
    }

    /// A number as JSON writes it, from its bytes (through a small string: at most 15 bytes take no
    /// allocation); nil for what `Double` cannot read.
    private static func number(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: b, as: UTF8.self))
    }

    /// `{"k":v,…}` with no white space and no backslash; nil for anything else (including a value `read`
    /// rejects, or a repeated key). The entries come ordered by key: as stored (`object` writes them in
    /// byte order, checked as they are read, so no array is sorted per record), or sorted here.
    private static func parse<Value>(_ b: UnsafeBufferPointer<UInt8>, _ read: (UnsafeBufferPointer<UInt8>) -> Value?,
                                     quoted: Bool) -> FieldMap<Value>? {
        let n = b.count
        guard n >= 2, b[0] == 0x7B, b[n - 1] == 0x7D else { return nil }
        // Room for as many entries as there are colons (one per entry, more if a value holds one): records
        // are held by the million, so no spare capacity, and none at all for `{}`.
        let colons = b.reduce(0) { $0 + ($1 == 0x3A ? 1 : 0) }
        var map = colons == 0 ? FieldMap<Value>() : FieldMap<Value>(capacity: colons)
        var previous: Range<Int>?
        var ordered = true
        var i = 1
        /// A quoted run from i (at the opening quote) without backslashes; returns its range.
        func quotedRun() -> Range<Int>? {
            guard i < n, b[i] == 0x22 else { return nil }
            let start = i + 1
            var j = start
            while j < n && b[j] != 0x22 { if b[j] == 0x5C { return nil }; j += 1 }
            guard j < n else { return nil }
            i = j + 1
            return start..<j
        }
        while i < n - 1 {
            if previous != nil { guard b[i] == 0x2C else { return nil }; i += 1 }
            guard let k = quotedRun(), i < n, b[i] == 0x3A else { return nil }
            i += 1
            let range: Range<Int>
            if quoted {
                guard let r = quotedRun() else { return nil }
                range = r
            } else {
                let start = i
                while i < n - 1 && b[i] != 0x2C { i += 1 }
                range = start..<i
            }
            guard let v = read(UnsafeBufferPointer(rebasing: b[range])) else { return nil }
            if let p = previous, ordered, !b[p].lexicographicallyPrecedes(b[k]) { ordered = false }
            let key = String(decoding: UnsafeBufferPointer(rebasing: b[k]), as: UTF8.self)
            if !ordered, map[key] != nil { return nil }
            map.appendUnique(key, v)
            previous = k
        }
        guard i == n - 1 else { return nil }
        if ordered { return map }
        return FieldMap(uniqueKeysWithValues: map.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Printable ASCII other than `"`, `\\` and `/` (which `JSONEncoder` escapes).
    private static func plain(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C && $0 != 0x2F }
    }
}

