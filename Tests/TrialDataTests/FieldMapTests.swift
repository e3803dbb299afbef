import Basics
import Foundation
import Testing
@testable import TrialData

/// `FieldMap`, the small map behind `RegistryRecord.attributes` and `.numbers`: the part of `Dictionary`'s
/// behaviour the project relies on, checked against a `Dictionary` doing the same thing.
@Suite struct FieldMapTests {
    @Test func literalReadsLikeADictionary() {
        let map: FieldMap<String> = ["category": "00", "placement": "training"]
        #expect(map.count == 2)
        #expect(!map.isEmpty)
        #expect(map["category"] == "00")
        #expect(map["placement"] == "training")
        #expect(map["kind"] == nil)
        #expect(map.keys == ["category", "placement"])
        #expect(map.values == ["00", "training"])
        #expect(map.map(\.key) == ["category", "placement"])
        let empty: FieldMap<Double> = [:]
        #expect(empty.isEmpty)
        #expect(empty.count == 0)
        #expect(empty["amount"] == nil)
        #expect(empty.description == "[:]")
        #expect(map.description == #"["category": "00", "placement": "training"]"#)
    }

    @Test func setReplacesAppendsAndRemoves() {
        var map: FieldMap<Double> = ["amount": 12.5]
        map["amount"] = -3
        #expect(map["amount"] == -3)
        #expect(map.count == 1)
        map["benefit"] = 7
        #expect(map.keys == ["amount", "benefit"])
        map["amount"] = nil
        #expect(map.keys == ["benefit"])
        #expect(map["amount"] == nil)
        map["missing"] = nil
        #expect(map.count == 1)
        map["count", default: 0] += 2
        map["count", default: 0] += 2
        #expect(map["count"] == 4)
        #expect(map.removeValue(forKey: "benefit") == 7)
        #expect(map.removeValue(forKey: "benefit") == nil)
        #expect(map.dictionary == ["count": 4])
    }

    /// A sequence of sets and removals applied to a map and to a dictionary leaves both with the same pairs.
    @Test func agreesWithADictionaryOverAGridOfEdits() {
        let keys = ["a", "b", "kind", "a_much_longer_key_than_sixteen_bytes"]
        for seed in 0..<200 {
            var map = FieldMap<Int>(), dictionary: [String: Int] = [:]
            var state = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
            for step in 0..<12 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let key = keys[Int(state >> 33) % keys.count]
                let value: Int? = (state >> 20) % 3 == 0 ? nil : step
                map[key] = value
                dictionary[key] = value
                #expect(map.dictionary == dictionary, "seed \(seed), step \(step)")
                #expect(map.count == dictionary.count)
                #expect(Set(map.keys) == Set(dictionary.keys))
            }
            #expect(map == FieldMap(dictionary), "seed \(seed)")
        }
    }

    @Test func equalityIgnoresOrder() {
        let ab: FieldMap<String> = ["a": "1", "b": "2"]
        let ba: FieldMap<String> = ["b": "2", "a": "1"]
        #expect(ab == ba)
        #expect(ab.hashValue == ba.hashValue)
        #expect(ab != ["a": "1", "b": "3"])
        #expect(ab != ["a": "1"])
        #expect(ab != ["a": "1", "c": "2"])
        #expect(ab == FieldMap(["b": "2", "a": "1"]))
        // Records compare their fields the same way.
        let day = CalendarDate(iso: "2019-04-01")!
        let r1 = RegistryRecord(source: "vdab", participant: "P1", line: 2, start: day, end: day, attributes: ab)
        let r2 = RegistryRecord(source: "vdab", participant: "P1", line: 2, start: day, end: day, attributes: ba)
        #expect(r1 == r2)
    }

    /// The JSON of a map is the JSON of the dictionary with the same pairs, and decodes back equal: the
    /// trial store persists the fields with `JSONEncoder` and reads rows written from dictionaries.
    @Test func codableAsTheDictionarysJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let attributes: [String: String] = ["kind": "art60", "decision_date": "2019-03-01", "é": "ü \"q\""]
        let numbers: [String: Double] = ["amount": -1234.56, "benefit": 0.1]
        let reordered: FieldMap<String> = ["é": "ü \"q\"", "kind": "art60", "decision_date": "2019-03-01"]
        let cases: [(FieldMap<String>, [String: String])] = [(FieldMap(attributes), attributes), (reordered, attributes), ([:], [:])]
        for (map, dictionary) in cases {
            let json = try encoder.encode(map)
            #expect(json == (try encoder.encode(dictionary)))
            #expect(try JSONDecoder().decode(FieldMap<String>.self, from: json) == map)
            #expect(try JSONDecoder().decode([String: String].self, from: json) == dictionary)
        }
        let numberJSON = try encoder.encode(FieldMap(numbers))
        #expect(numberJSON == (try encoder.encode(numbers)))
        #expect(try JSONDecoder().decode(FieldMap<Double>.self, from: numberJSON) == FieldMap(numbers))
        // Unsorted output is the same object (keys in another order).
        let plain = try JSONEncoder().encode(FieldMap(numbers))
        #expect(try JSONDecoder().decode([String: Double].self, from: plain) == numbers)

        // A whole record: same JSON as one whose fields were dictionaries, decoded back equal.
        let day = CalendarDate(iso: "2019-04-01")!
        let record = RegistryRecord(source: "ocmw", participant: "P1", line: 3, start: day, end: nil,
                                    attributes: ["kind": "art60"], numbers: ["amount": 825.08])
        let recordJSON = try encoder.encode(record)
        let text = String(decoding: recordJSON, as: UTF8.self)
        #expect(text.contains(#""attributes":{"kind":"art60"}"#))
        #expect(text.contains(#""numbers":{"amount":825.08}"#))
        #expect(try JSONDecoder().decode(RegistryRecord.self, from: recordJSON) == record)
    }

    @Test func fromDictionaryIsOrderedByKey() {
        let map = FieldMap(["placement": "x", "category": "y", "amount_type": "z"])
        #expect(map.keys == ["amount_type", "category", "placement"])
        let record = RegistryRecord(source: "s", participant: "p", line: 1, start: CalendarDate(iso: "2020-01-01")!, end: nil,
                                    attributes: ["b": "2", "a": "1"] as [String: String])
        #expect(record.attributes.keys == ["a", "b"])
    }
}

/// `RegistryRecord` stores its dates as day numbers; its API and its JSON are those of the dates.
@Suite struct RegistryRecordStorageTests {
    @Test func datesRoundTripThroughDayNumbers() {
        // Month ends, leap days, century years, dates before 1970 and far ahead.
        let days = ["1900-02-28", "1900-03-01", "1969-12-31", "1970-01-01", "2000-02-29", "2019-01-31", "2020-02-29",
                    "2023-12-31", "2100-03-01", "9999-12-31", "0001-01-01"]
        for text in days {
            let d = CalendarDate(iso: text)!
            var r = RegistryRecord(source: "s", participant: "p", line: 1, start: d, end: d)
            #expect(r.start == d && r.end == d, "\(text)")
            #expect(r.startDay == d.dayNumber && r.endDay == d.dayNumber)
            r.end = nil
            #expect(r.end == nil && r.endDay == nil)
            r.start = CalendarDate(iso: "2019-04-01")!
            r.end = d
            #expect(r.start.description == "2019-04-01" && r.end == d)
        }
        // The initialiser from day numbers makes the same record.
        let a = CalendarDate(iso: "2019-04-01")!, b = CalendarDate(iso: "2019-04-30")!
        #expect(RegistryRecord(source: "s", participant: "p", line: 1, startDay: a.dayNumber, endDay: b.dayNumber, attributes: ["k": "v"])
                == RegistryRecord(source: "s", participant: "p", line: 1, start: a, end: b, attributes: ["k": "v"]))
        #expect(RegistryRecord(source: "s", participant: "p", line: 1, startDay: a.dayNumber, endDay: nil).end == nil)
        let open = RegistryRecord(source: "s", participant: "p", line: 1, start: CalendarDate(iso: "2019-04-01")!, end: nil)
        #expect(open.end == nil)
        #expect(open.overlaps(from: CalendarDate(iso: "2030-01-01")!, to: CalendarDate(iso: "2030-01-31")!))
        #expect(!open.overlaps(from: CalendarDate(iso: "2019-03-01")!, to: CalendarDate(iso: "2019-03-31")!))
        #expect(open.overlaps(from: CalendarDate(iso: "2019-03-01")!, to: CalendarDate(iso: "2019-04-01")!))
    }

    /// The JSON written when the dates were stored as dates (synthesised coding), read and written unchanged.
    @Test func jsonAsBefore() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let closed = #"{"attributes":{"kind":"art60"},"end":{"day":30,"month":4,"year":2019},"line":3,"numbers":{"amount":825.08},"participant":"P1","source":"ocmw","start":{"day":1,"month":4,"year":2019}}"#
        let open = #"{"attributes":{},"line":7,"numbers":{},"participant":"P2","source":"leefloon","start":{"day":29,"month":2,"year":2020}}"#
        for text in [closed, open] {
            let record = try JSONDecoder().decode(RegistryRecord.self, from: Data(text.utf8))
            #expect(String(decoding: try encoder.encode(record), as: UTF8.self) == text)
        }
        let r = try JSONDecoder().decode(RegistryRecord.self, from: Data(closed.utf8))
        #expect(r == RegistryRecord(source: "ocmw", participant: "P1", line: 3, start: CalendarDate(iso: "2019-04-01")!,
                                    end: CalendarDate(iso: "2019-04-30")!, attributes: ["kind": "art60"], numbers: ["amount": 825.08]))
        let o = try JSONDecoder().decode(RegistryRecord.self, from: Data(open.utf8))
        #expect(o.end == nil && o.start == CalendarDate(iso: "2020-02-29")!)
    }
}
