import Foundation
import TrialData
import Testing
import TrialStore

/// `FieldJSON` writes a record's fields as JSON by hand: where it answers, the text must be exactly what
/// `JSONEncoder` with sorted keys writes (the store held that text before), and where it cannot promise
/// that it must decline (nil) so the encoder is used.
@Suite struct FieldJSONTests {
    func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }

    @Test func textFieldsMatchJSONEncoder() throws {
        let keys = ["category", "placement", "kind", "decision_date", "amount_type", "statement_month", "legislation",
                    "municipality", "position", "reason", "a", "b_2", "Z"]
        let values = ["00", "training", "supplementary_one_off", "2018-05-03", "2018-05", "OCMW 2", "", " padded ", "x~y", "semi;colon"]
        var answered = 0
        for n in 0...4 {
            for start in 0..<keys.count {
                var map = FieldMap<String>()
                for j in 0..<n { map[keys[(start + j * 5) % keys.count]] = values[(start + j) % values.count] }
                let expected = String(decoding: try encoder().encode(map), as: UTF8.self)
                let written = try #require(FieldJSON.object(map))
                #expect(written == expected)
                answered += 1
            }
        }
        #expect(answered == 65)
        // Text JSONEncoder escapes (or might): declined.
        for odd in ["a/b", "say \"hi\"", "back\\slash", "tab\there", "café", "line\nbreak"] {
            #expect(FieldJSON.object(["kind": odd] as FieldMap<String>) == nil, "\(odd)")
        }
    }

    @Test func numbersMatchJSONEncoder() throws {
        var xs: [Double] = [0, 1, -1, 14.6, -14.6, 1214.13, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 100, 1e-3, 123456789.125,
                            999_999_999_999_999, 1_000_000, 0.000123, 5e-5]
        var state: UInt64 = 42
        for _ in 0..<300 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let cents = Double(Int64(bitPattern: state >> 20) % 100_000_000) / 100
            xs.append(cents)
            xs.append(Double(state >> 11) / Double(1 << 53) * 1e6)
        }
        var answered = 0
        for x in xs {
            let map: FieldMap<Double> = ["amount": x]
            let expected = String(decoding: try encoder().encode(map), as: UTF8.self)
            if let written = FieldJSON.object(map) {
                #expect(written == expected, "\(x)")
                answered += 1
            }
        }
        #expect(answered >= xs.count - 4, "only values with an exponent may be declined")
        for odd in [Double.nan, .infinity, -0.0, 1e20, 1e-9] {
            #expect(FieldJSON.object(["amount": odd] as FieldMap<Double>) == nil, "\(odd)")
        }
        let two: FieldMap<Double> = ["benefit": 12.5, "amount": -3]
        #expect(FieldJSON.object(two) == String(decoding: try encoder().encode(two), as: UTF8.self))
    }

    /// Reading back: the direct reader gives the map the decoder gives (same entries, same order), for the
    /// encoder's text and for text it must leave to the decoder (escapes, spaces).
    @Test func readingBackEqualsJSONDecoder() throws {
        let decoder = JSONDecoder()
        let texts: [FieldMap<String>] = [[:], ["kind": "medical_card"], ["placement": "none", "category": "00"],
                                         ["amount_type": "A", "category": "2", "statement_month": "2018-05", "municipality": "Sint-Martens-Latem"],
                                         ["kind": "café"], ["kind": "a/b \"q\""]]
        for map in texts {
            let text = String(decoding: try encoder().encode(map), as: UTF8.self)
            let direct = try FieldJSON.strings(text, decoder: decoder)
            let decoded = FieldMap(try decoder.decode([String: String].self, from: Data(text.utf8)))
            #expect(direct == decoded && direct.keys == decoded.keys, "\(text)")
            #expect(direct == map)
        }
        var state: UInt64 = 7
        for _ in 0..<500 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let x = Double(Int64(bitPattern: state >> 16) % 1_000_000_000) / 1000
            let y = Double(state >> 11) / Double(1 << 53) * 1e-3
            let map: FieldMap<Double> = ["amount": x, "benefit": y]
            let text = String(decoding: try encoder().encode(map), as: UTF8.self)
            let direct = try FieldJSON.numbers(text, decoder: decoder)
            let decoded = FieldMap(try decoder.decode([String: Double].self, from: Data(text.utf8)))
            #expect(direct == decoded && direct.keys == decoded.keys, "\(text)")
            #expect(direct["amount"] == x && direct["benefit"] == y, "\(text)")
        }
        #expect(try FieldJSON.strings("{ \"kind\" : \"x\" }", decoder: decoder) == ["kind": "x"])
        // Keys out of order (not as `object` writes them) come back ordered by key, as the decoder's do.
        let unordered = try FieldJSON.strings(#"{"placement":"none","category":"00","kind":"x"}"#, decoder: decoder)
        #expect(unordered.keys == ["category", "kind", "placement"] && unordered == ["category": "00", "kind": "x", "placement": "none"])
        // A repeated key is left to the decoder, which keeps one of the two values; nothing crashes.
        let repeated = try FieldJSON.strings(#"{"kind":"a","kind":"b"}"#, decoder: decoder)
        #expect(repeated.count == 1)
        let repeatedLater = try FieldJSON.strings(#"{"placement":"x","kind":"a","kind":"b"}"#, decoder: decoder)
        #expect(repeatedLater.keys == ["kind", "placement"])
        #expect(throws: (any Error).self) { try FieldJSON.strings("{\"kind\":", decoder: decoder) }
    }
}

