import Foundation
import Tabular
import TrialData

extension SourceImporter {
    /// A batch of rows between the reading thread and the committing caller.
    final class Batch: @unchecked Sendable {
        var rows: [TextRow] = []
        var count = 0
        /// Filled by the reading thread after the rows: each row prepared (taken by the caller) and its line.
        var prepared: [Prepared?] = []
        var lines: [Int] = []
        /// The participants met for the first time in this batch (see `readerNames`).
        var newNames: [String] = []
    }

    /// Reads, splits and prepares the file (`prepare`: shape, identifier and pseudonym, fields, row hash)
    /// on a thread of its own, in batches of `batchSize` rows, while the calling thread commits the
    /// batches prepared before (`commit`: links, duplicates, counts, the closures), in file order and on
    /// the caller's thread. At most 8 batches are in flight, so memory stays bounded whatever the size of
    /// the file. Measured alternatives (docs/performance.md): reading only on the thread and preparing on
    /// the caller is slower by a fifth; preparing batches on worker threads as well is slower still (values
    /// built on one thread and released on another make reference counts and the allocator contend).
    func runPipelined(_ registry: (RegistryRecord) -> Void, _ survey: (SurveyResponse) -> Void) throws {
        let channel = BatchChannel(batches: 8)
        let source = Unchecked(file.reader)
        let cells = Unchecked(self.cells)
        // Not retained by the thread: the importer holds the caller's closures (`onRejection`), which
        // must not outlive this call (the caller may have made them escaping only for its duration). The
        // thread stops using it before it sends the last batch, and this call returns only after that.
        let importer = Unchecked(Unmanaged.passUnretained(self))
        let done = DispatchSemaphore(value: 0)
        // Participants met before the thread starts (a header-less file's first row) are on both sides.
        let namesBefore = readerNames.count
        let thread = Thread {
            defer { done.signal() }
            var failure: Error?
            var finished = false
            var context = PrepareContext(cells: cells.value)
            var sentNames = namesBefore
            while !finished {
                let batch = channel.takeEmpty()
                batch.count = 0
                do {
                    while batch.count < SourceImporter.batchSize {
                        if batch.rows.count == batch.count { batch.rows.append(TextRow()) }
                        guard try source.value.nextRow(&batch.rows[batch.count]) else { finished = true; break }
                        batch.count += 1
                    }
                } catch {
                    failure = error
                    finished = true
                }
                batch.prepared.removeAll(keepingCapacity: true)
                batch.lines.removeAll(keepingCapacity: true)
                batch.rows.withUnsafeBufferPointer { rows in
                    for i in 0..<batch.count {
                        batch.lines.append(rows[i].line)
                        batch.prepared.append(importer.value.takeUnretainedValue().prepare(rows[i], &context))
                    }
                }
                let im = importer.value.takeUnretainedValue()
                batch.newNames = Array(im.readerNames[sentNames...])
                sentNames = im.readerNames.count
                channel.send(batch, failure: finished ? (failure ?? EndOfRows()) : nil)
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
        var sized = !detectDuplicates
        while let (batch, failure) = channel.receive() {
            if !sized {
                // Size the duplicate table once from the first batch's bytes per row and the file's size
                // (at most 64 M rows, 2 GiB, at once: an estimate from short first rows can be far too
                // high; beyond that the table grows by doubling as rows arrive).
                sized = true
                let bytes = batch.rows.prefix(batch.count).reduce(0) { $0 + $1.bytes.count + $1.count }
                if batch.count > 0, bytes > 0, let size = fileSize {
                    seenRows.reserve(rows: min(Int(Double(size) / Double(bytes) * Double(batch.count) * 1.05), 1 << 26))
                }
            }
            committerNames.append(contentsOf: batch.newNames)
            for i in 0..<batch.count {
                // Moved out of the batch (no copy); the row itself is read only for a rejection's excerpt.
                guard let prepared = batch.prepared[i].take() else { continue }
                commit(line: batch.lines[i], prepared, { batch.rows[i].strings }, registry, survey)
            }
            channel.giveBack(batch)
            if let failure {
                done.wait()
                if failure is EndOfRows { break }
                throw failure
            }
        }
    }
}

/// The reading thread's mark for the last batch of a file.
struct EndOfRows: Error {}

/// A value handed to another thread whose use is ordered by the pipeline's semaphores.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The queue of full batches (in file order) and the pool of empty ones.
final class BatchChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var full: [(SourceImporter.Batch, Error?)] = []
    private var empty: [SourceImporter.Batch]

    init(batches: Int) { empty = (0..<batches).map { _ in SourceImporter.Batch() } }

    func takeEmpty() -> SourceImporter.Batch {
        condition.lock()
        defer { condition.unlock() }
        while empty.isEmpty { condition.wait() }
        return empty.removeLast()
    }

    func send(_ batch: SourceImporter.Batch, failure: Error?) {
        condition.lock()
        full.append((batch, failure))
        condition.broadcast()
        condition.unlock()
    }

    /// The next full batch in order (waits for it); the error, if any, comes with the last batch.
    func receive() -> (SourceImporter.Batch, Error?)? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty { condition.wait() }
        return full.removeFirst()
    }

    func giveBack(_ batch: SourceImporter.Batch) {
        condition.lock()
        empty.append(batch)
        condition.broadcast()
        condition.unlock()
    }
}
