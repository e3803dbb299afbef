/// The mixing of `rowHash`.
enum RowHasher {
    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let m = a.multipliedFullWidth(by: b)
        return m.high ^ m.low
    }

    /// Hashes `bytes` (and their count) into `seed`.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = mix(seed ^ 0xA076_1D64_78BD_642F, UInt64(bytes.count) ^ 0xE703_7ED1_A0B4_28DB)
        var i = 0
        while i + 8 <= bytes.count {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0x8EBC_6AF0_9C88_C6E3)
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            for j in i..<bytes.count { tail |= UInt64(bytes[j]) << (8 * UInt64(j - i)) }
            h = mix(h ^ tail, 0x5899_65CC_7537_4CC3)
        }
        return h
    }
}

/// The rows already accepted, by a 64-bit hash of their content (already well mixed, see `RowHasher`),
/// with the line of each: an open-addressing table (linear probing, at most 3/4 full) whose slots hold the
/// hash and the line side by side, so a look-up touches one cache line. `insert` returns the line of an
/// earlier row with the same hash, or nil after adding the row.
struct RowHashTable {
    /// Slot i is `slots[2i]` (the hash; 0 = empty) and `slots[2i + 1]` (the line).
    private var slots: [UInt64] = Array(repeating: 0, count: 2 << 12)
    private var filled = 0
    private var shift: UInt64 = 64 - 12

    private var capacity: Int { slots.count / 2 }

    /// Makes room for `rows` rows at once (instead of doubling, and rehashing, on the way there).
    mutating func reserve(rows: Int) {
        var bits = 64 - Int(shift)
        while rows * 4 > (1 << bits) * 3 { bits += 1 }
        if bits > 64 - Int(shift) { rehash(bits: bits) }
    }

    mutating func insert(_ hash: UInt64, line: Int) -> Int? {
        let key = hash == 0 ? 1 : hash
        if (filled + 1) * 4 > capacity * 3 { grow() }
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: key >> shift)
        return slots.withUnsafeMutableBufferPointer { s in
            while true {
                let k = s[2 * i]
                if k == 0 {
                    s[2 * i] = key
                    s[2 * i + 1] = UInt64(line)
                    filled += 1
                    return nil
                }
                if k == key { return Int(s[2 * i + 1]) }
                i = (i + 1) & mask
            }
        }
    }

    private mutating func grow() { rehash(bits: 64 - Int(shift) + 1) }

    /// Moves the entries into a table of 2^bits slots.
    private mutating func rehash(bits: Int) {
        let old = slots
        slots = []
        slots = Array(repeating: 0, count: 2 << bits)
        shift = UInt64(64 - bits)
        let mask = capacity - 1
        let shift = self.shift
        slots.withUnsafeMutableBufferPointer { s in
            for j in stride(from: 0, to: old.count, by: 2) where old[j] != 0 {
                var i = Int(truncatingIfNeeded: old[j] >> shift)
                while s[2 * i] != 0 { i = (i + 1) & mask }
                s[2 * i] = old[j]
                s[2 * i + 1] = old[j + 1]
            }
        }
    }
}
