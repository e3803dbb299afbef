import Foundation
import TrialData
import Testing
@testable import TrialStore

/// Field maps shared by their stored text: the same text gives the same map (one storage), a different
/// text its own map, and texts beyond the limit are still parsed right.
@Suite struct SharedFieldMapsTests {
    func parse(_ text: String, _ maps: inout SharedFieldMaps<String>, parsed: inout Int) throws -> FieldMap<String> {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { b in
            try maps.map(UnsafeBufferPointer(b)) { t in
                parsed += 1
                return try FieldJSON.strings(bytes: t, decoder: JSONDecoder())
            }
        }
    }

    @Test func theSameTextGivesOneSharedMap() throws {
        var maps = SharedFieldMaps<String>()
        var parsed = 0
        let texts = ["{\"kind\":\"a\"}", "{\"kind\":\"b\"}", "{}", "{\"kind\":\"a\"}", "{\"kind\":\"a\",\"note\":\"x\"}", "{\"kind\":\"b\"}", "{}"]
        let got = try texts.map { try parse($0, &maps, parsed: &parsed) }
        #expect(parsed == 4)
        #expect(got.map { $0.dictionary } == [["kind": "a"], ["kind": "b"], [:], ["kind": "a"], ["kind": "a", "note": "x"], ["kind": "b"], [:]])
        #expect(got[0].storageIdentity == got[3].storageIdentity && got[1].storageIdentity == got[5].storageIdentity)
        #expect(got[0].storageIdentity != got[1].storageIdentity && got[0].storageIdentity != got[4].storageIdentity)
    }

    @Test func textsBeyondTheLimitAreParsedEachTime() throws {
        var maps = SharedFieldMaps<String>(limit: 2)
        var parsed = 0
        let texts = (0..<5).map { "{\"kind\":\"v\($0)\"}" }
        for round in 0..<2 {
            for (i, t) in texts.enumerated() {
                #expect(try parse(t, &maps, parsed: &parsed)["kind"] == "v\(i)", "round \(round)")
            }
        }
        // The first two are kept; the other three are parsed in both rounds.
        #expect(parsed == 5 + 3)
    }
}
