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

    /// Reads the rest of the file (so an observer sees every byte).
    func drain() { while refill() { position = buffer.count } }
}
