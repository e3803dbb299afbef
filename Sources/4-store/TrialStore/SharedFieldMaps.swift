import Foundation
import TrialData

/// Field maps kept by their stored text, so that records with the same fields share one map: the index
/// of the map in a `RecordTable` (`TrialStore.registryRecordTable`). An extract's coded fields take few
/// distinct values (a VDAB status extract: 45 distinct attribute texts in 240,000 rows), so sharing saves
/// a parse, an allocation and a map per record, and the panel's filter masks are computed once per map.
///
/// At most `limit` distinct texts are kept; texts met after that are parsed and added each time (a
/// source whose fields are all different gains nothing, and the table of texts stops growing).
struct SharedFieldMaps {
    private struct Entry {
        var text: [UInt8]
        var index: Int32
        /// The next entry with the same hash, or −1.
        var next: Int32
    }

    private var first: [Int: Int32] = [:]
    private var entries: [Entry] = []
    let limit: Int

    init(limit: Int = 1 << 16) { self.limit = limit }

    /// The index of the map of `text`: the one kept for the same bytes, else `add(text)`, which parses the
    /// text and adds its map (kept while there is room).
    mutating func index(_ text: UnsafeBufferPointer<UInt8>, add: (UnsafeBufferPointer<UInt8>) throws -> Int32) rethrows -> Int32 {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(text))
        let key = hasher.finalize()
        var i = first[key] ?? -1
        while i >= 0 {
            if sameBytes(entries[Int(i)].text, text) { return entries[Int(i)].index }
            i = entries[Int(i)].next
        }
        let index = try add(text)
        if entries.count < limit {
            entries.append(Entry(text: Array(text), index: index, next: first[key] ?? -1))
            first[key] = Int32(entries.count - 1)
        }
        return index
    }
}

/// Whether `a` holds the same bytes as `b` (a column's bytes, read in place).
func sameBytes(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    a.withUnsafeBufferPointer { $0.count == b.count && ($0.count == 0 || memcmp($0.baseAddress!, b.baseAddress!, $0.count) == 0) }
}
