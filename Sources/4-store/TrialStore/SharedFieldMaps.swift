import TrialData

/// Field maps parsed from their stored text, kept by that text so that records with the same fields share
/// one map (`TrialStore.registryRecords`). An extract's coded fields take few distinct values (a VDAB
/// status extract: 45 distinct attribute texts in 240,000 rows), so sharing saves a parse and an
/// allocation per record and most of the records' memory; records that share a map also share its
/// `storageIdentity`, which the panel's filter masks use.
///
/// At most `limit` distinct texts are kept; texts met after that are parsed each time (a source whose
/// fields are all different gains nothing, and the table stops growing).
struct SharedFieldMaps<Value> {
    private struct Entry {
        var text: [UInt8]
        var map: FieldMap<Value>
        /// The next entry with the same hash, or −1.
        var next: Int32
    }

    private var first: [Int: Int32] = [:]
    private var entries: [Entry] = []
    let limit: Int

    init(limit: Int = 1 << 16) { self.limit = limit }

    /// The map of `text`: the one kept for the same bytes, else `parse(text)` (kept while there is room).
    mutating func map(_ text: UnsafeBufferPointer<UInt8>, parse: (UnsafeBufferPointer<UInt8>) throws -> FieldMap<Value>) rethrows -> FieldMap<Value> {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(text))
        let key = hasher.finalize()
        var i = first[key] ?? -1
        while i >= 0 {
            if entries[Int(i)].text.elementsEqual(text) { return entries[Int(i)].map }
            i = entries[Int(i)].next
        }
        let map = try parse(text)
        if entries.count < limit {
            entries.append(Entry(text: Array(text), map: map, next: first[key] ?? -1))
            first[key] = Int32(entries.count - 1)
        }
        return map
    }
}
