import NumericCore
import Testing

@Suite struct BoundedIntegerTests {
    /// Draws stay in range, every value appears, and the counts pass a χ² check (n = 7, 70,000 draws,
    /// critical value of χ²₆ at 0.001 is 22.46); the same seed gives the same draws.
    @Test func uniformInRangeAndReproducible() throws {
        let g = RandomGenerator(seed: 12)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let v = Int(g.boundedInteger(below: 7))
            #expect(v >= 0 && v < 7)
            counts[v] += 1
        }
        let chi = counts.reduce(0.0) { $0 + Double(($1 - 10_000) * ($1 - 10_000)) / 10_000 }
        #expect(chi < 22.46, "\(counts)")
        let a = RandomGenerator(seed: 5), b = RandomGenerator(seed: 5)
        #expect((0..<100).map { _ in a.boundedInteger(below: 1000) } == (0..<100).map { _ in b.boundedInteger(below: 1000) })
        #expect(RandomGenerator(seed: 1).boundedInteger(below: 1) == 0)
    }
}
