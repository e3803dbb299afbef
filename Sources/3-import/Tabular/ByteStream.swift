import Foundation

/// Reads a file in fixed-size chunks (1 MiB), so a file of any size is read in bounded memory; or bytes
/// already in memory, as one chunk (the same readers then parse text given as a string). An optional
/// observer sees every chunk (e.g. to hash the file while it is read).
final class ByteStream {
    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private let chunkSize: Int
    private let observer: ((Data) -> Void)?
    /// Bytes consumed so far.
    private(set) var offset = 0

    init(path: String, chunkSize: Int = 1 << 20, observer: ((Data) -> Void)? = nil) throws {
        guard let h = FileHandle(forReadingAtPath: path) else { throw RecordReadError.unreadable(path: path) }
        handle = h
        self.chunkSize = chunkSize
        self.observer = observer
    }

    /// The bytes as the stream's only chunk.
    init(bytes: [UInt8]) {
        handle = nil
        buffer = bytes
        finished = true
        chunkSize = bytes.count
        observer = nil
    }

    deinit { try? handle?.close() }

    private func refill() -> Bool {
        guard !finished, let handle else { return false }
        let data = handle.readData(ofLength: chunkSize)
        if data.isEmpty { finished = true; return false }
        observer?(data)
        buffer = [UInt8](data)
        position = 0
        return true
    }

    @inline(__always)
    func next() -> UInt8? {
        if position == buffer.count, !refill() { return nil }
        let b = buffer[position]
        position += 1
        offset += 1
        return b
    }

    @inline(__always)
    func peek() -> UInt8? {
        if position == buffer.count, !refill() { return nil }
        return buffer[position]
    }

    /// Consumes the bytes of the current chunk up to (not including) the first `stop`, `other`, CR or LF,
    /// or to the end of the chunk, appending them to the current field of `row`; returns the bitwise OR of the bytes taken
    /// (so a caller can tell whether any was non-ASCII). Takes nothing at the end of a chunk: the next
    /// `next()` refills.
    @inline(__always)
    func appendRun(into row: inout TextRow, stop: UInt8, other: UInt8) -> UInt8 {
        let start = position
        var p = position, high: UInt8 = 0
        buffer.withUnsafeBufferPointer { b in
            while p < b.count {
                let c = b[p]
                if c == stop || c == other || c == 0x0A || c == 0x0D { break }
                high |= c
                p += 1
            }
            if p > start { row.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<p])) }
        }
        offset += p - start
        position = p
        return high
    }

    /// Consumes the bytes of the current chunk up to (not including) the first `stop`, or to the end of
    /// the chunk, appending them to `bytes`.
    @inline(__always)
    func appendRun(into bytes: inout [UInt8], stop: UInt8) {
        let start = position
        var p = position
        buffer.withUnsafeBufferPointer { b in
            while p < b.count && b[p] != stop { p += 1 }
            if p > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<p])) }
        }
        offset += p - start
        position = p
    }

    /// The fast path of a delimited record: when the whole record (up to and including its line end) is
    /// in the current chunk and holds no quote byte and is not blank, splits it into `row` (after the
    /// fields already there) and consumes it, returning true. Otherwise consumes nothing, leaves `row`
    /// empty and returns false, and the caller reads the record byte by byte.
    @inline(__always)
    func takeRecord(into row: inout TextRow, separator: UInt8, quote: UInt8) -> Bool {
        let start = position
        let end: Int? = buffer.withUnsafeBufferPointer { b -> Int? in
            let n = b.count
            var p = start, fieldStart = start
            var high: UInt8 = 0
            while p < n {
                let c = b[p]
                if c == separator {
                    row.append(contentsOf: UnsafeBufferPointer(rebasing: b[fieldStart..<p]))
                    row.endField(nonASCII: high & 0x80 != 0)
                    high = 0
                    p += 1
                    fieldStart = p
                } else if c == 0x0A || c == 0x0D {
                    var next = p + 1
                    if c == 0x0D {
                        guard next < n else { return nil }
                        if b[next] == 0x0A { next += 1 }
                    }
                    if p == start { return nil }
                    row.append(contentsOf: UnsafeBufferPointer(rebasing: b[fieldStart..<p]))
                    row.endField(nonASCII: high & 0x80 != 0)
                    return next
                } else if c == quote {
                    return nil
                } else {
                    high |= c
                    p += 1
                }
            }
            return nil
        }
        guard let end else { row.reset(); return false }
        offset += end - start
        position = end
        return true
    }

    /// Whether bytes of the current chunk are left (false before the first chunk and after the last).
    var hasBufferedBytes: Bool { position < buffer.count }

    /// Reads the rest of the file (so an observer sees every byte).
    func drain() { while refill() { position = buffer.count } }
}
