import Foundation

/// Reads a file in fixed-size chunks (1 MiB), so a file of any size is read in bounded memory. An
/// optional observer sees every chunk (e.g. to hash the file while it is read).
final class ByteStream {
    private let handle: FileHandle
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

    deinit { try? handle.close() }

    private func refill() -> Bool {
        guard !finished else { return false }
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
    /// or to the end of the chunk, appending them to `field`; returns the bitwise OR of the bytes taken
    /// (so a caller can tell whether any was non-ASCII). Takes nothing at the end of a chunk: the next
    /// `next()` refills.
    @inline(__always)
    func appendRun(into field: inout [UInt8], stop: UInt8, other: UInt8) -> UInt8 {
        let start = position
        var p = position, high: UInt8 = 0
        buffer.withUnsafeBufferPointer { b in
            while p < b.count {
                let c = b[p]
                if c == stop || c == other || c == 0x0A || c == 0x0D { break }
                high |= c
                p += 1
            }
            if p > start { field.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<p])) }
        }
        offset += p - start
        position = p
        return high
    }

    /// Reads the rest of the file (so an observer sees every byte).
    func drain() { while refill() { position = buffer.count } }
}
