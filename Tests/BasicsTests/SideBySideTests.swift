import Basics
import Foundation
import Testing

/// Two pieces of work at once: both results come back, both run to their end even when one throws, and
/// the first's error wins.
@Suite struct SideBySideTests {
    struct Failure: Error, Equatable { let which: Int }

    @Test func bothResultsComeBack() throws {
        let (a, b) = try SideBySide.run({ (0..<100_000).reduce(0, +) }, { String(repeating: "x", count: 3) })
        #expect(a == 4_999_950_000 && b == "xxx")
    }

    @Test func bothRunToTheirEndAndTheFirstErrorWins() {
        let ended = NSLock()
        nonisolated(unsafe) var finished: Set<Int> = []
        func work(_ i: Int, throwing: Bool) throws -> Int {
            Thread.sleep(forTimeInterval: 0.02 * Double(i))
            ended.withLock { _ = finished.insert(i) }
            if throwing { throw Failure(which: i) }
            return i
        }
        #expect(throws: Failure(which: 1)) { try SideBySide.run({ try work(1, throwing: true) }, { try work(2, throwing: true) }) }
        #expect(finished == [1, 2])
        finished = []
        #expect(throws: Failure(which: 2)) { try SideBySide.run({ try work(2, throwing: false) }, { _ = try work(1, throwing: false); throw Failure(which: 2) }) }
        #expect(finished == [1, 2])
    }
}
