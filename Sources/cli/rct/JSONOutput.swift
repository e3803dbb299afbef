import Foundation

/// The JSON documents of the analysis commands (`--format json` of estimate, ri, adjust, attrition,
/// bounds, subgroups, dose-response, power and mde): `Encodable` values written by one encoder setup.
///
/// - Keys are the values' property names in snake case (`pTwoTailed` → `p_two_tailed`), sorted: Foundation's
///   `JSONEncoder` keeps no declared order, and sorted keys keep the output the same from run to run. The
///   values are structs, never dictionaries keyed by data (the key strategy would rewrite those keys too).
/// - Numbers are written in their shortest round-trip form (`2` for 2.0, `0.19444444444444445`, `1e-05`);
///   a double that is not finite is `null` (`@JSONNumber`), as JSON has no NaN or infinity.
/// - Strings are escaped by `JSONEncoder` (quote, backslash, control characters; `/` is left as it is).
enum JSONOutput {
    /// The document, two-space indented.
    static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// One number as JSON text (`null` when not finite), for the arrays of `rct adjust`.
    static func number(_ x: Double) throws -> String {
        try text(JSONNumber(wrappedValue: x))
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }
}

/// A double in a JSON document: `null` when it is not finite. A nil value leaves its key out, as the
/// synthesised `Encodable` does for optionals.
@propertyWrapper struct JSONNumber: Encodable {
    var wrappedValue: Double?

    init(wrappedValue: Double?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let x = wrappedValue, x.isFinite { try container.encode(x) } else { try container.encodeNil() }
    }
}

extension KeyedEncodingContainer {
    /// A `JSONNumber` property: left out when nil, `null` when not finite (chosen over the generic
    /// `encode` by the synthesised `Encodable` of the output values).
    mutating func encode(_ value: JSONNumber, forKey key: Key) throws {
        guard let x = value.wrappedValue else { return }
        if x.isFinite { try encode(x, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
