import Foundation
import TrialData
import Testing
@testable import TrialStore

/// Field maps shared by their stored text: the same text gives the same map (one index of the record
/// table), a different text its own map, and texts beyond the limit are still parsed right.
@Suite struct SharedFieldMapsTests {
    func index(_ text: String, _ maps: inout SharedFieldMaps, table: inout RecordTable, parsed: inout Int) throws -> Int32 {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { b in
            try maps.index(UnsafeBufferPointer(b)) { t in
                parsed += 1
                return table.add(attributes: try FieldJSON.strings(bytes: t, decoder: JSONDecoder()))
            }
        }
    }

    @Test func theSameTextGivesOneSharedMap() throws {
        var maps = SharedFieldMaps(), table = RecordTable()
        var parsed = 0
        let texts = ["{\"kind\":\"a\"}", "{\"kind\":\"b\"}", "{}", "{\"kind\":\"a\"}", "{\"kind\":\"a\",\"note\":\"x\"}", "{\"kind\":\"b\"}", "{}"]
        let got = try texts.map { try index($0, &maps, table: &table, parsed: &parsed) }
        #expect(parsed == 4)
        #expect(table.attributeMaps.count == 4)
        #expect(got == [0, 1, 2, 0, 3, 1, 2])
        #expect(got.map { table.attributeMaps[Int($0)].dictionary }
                == [["kind": "a"], ["kind": "b"], [:], ["kind": "a"], ["kind": "a", "note": "x"], ["kind": "b"], [:]])
    }

    @Test func textsBeyondTheLimitAreParsedEachTime() throws {
        var maps = SharedFieldMaps(limit: 2), table = RecordTable()
        var parsed = 0
        let texts = (0..<5).map { "{\"kind\":\"v\($0)\"}" }
        for round in 0..<2 {
            for (i, t) in texts.enumerated() {
                let k = try index(t, &maps, table: &table, parsed: &parsed)
                #expect(table.attributeMaps[Int(k)]["kind"] == "v\(i)", "round \(round)")
            }
        }
        // The first two are kept; the other three are parsed (and added) in both rounds.
        #expect(parsed == 5 + 3)
        #expect(table.attributeMaps.count == 8)
    }

    @Test func textsOfTheSameHashBucketButDifferentBytesAreKeptApart() throws {
        // Prefixes and equal lengths: the comparison is of every byte, not of the length or the start.
        var maps = SharedFieldMaps(), table = RecordTable()
        var parsed = 0
        let texts = ["{\"k\":\"ab\"}", "{\"k\":\"ac\"}", "{\"k\":\"a\"}", "{\"k\":\"abc\"}", "{\"k\":\"ab\"}"]
        let got = try texts.map { try index($0, &maps, table: &table, parsed: &parsed) }
        #expect(got == [0, 1, 2, 3, 0])
        #expect(parsed == 4)
    }
}
