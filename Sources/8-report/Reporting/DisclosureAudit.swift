/// Which suppressed cells a reader can work out from the published ones by adding and subtracting along
/// the published sums.
///
/// Move every published cell of a sum to the right-hand side: what is left is a linear system `A x = b` in
/// the suppressed cells `x`, with integer coefficients (+1 for a total, −1 for a part). A suppressed cell
/// `x_j` is *determined* exactly when the unit vector `e_j` lies in the row space of `A`: then some
/// combination of the sums isolates it (the plain case is a total minus every other part), and otherwise
/// the system has solutions that differ in `x_j`. The test reduces `A` to reduced row echelon form over
/// the integers (fraction-free Gauss–Jordan, every row divided by the gcd of its entries, so the arithmetic
/// is exact) and reduces `e_j` against it: `e_j` reduces to zero iff it is in the row space.
///
/// Bounds are not part of the test (a suppressed count lies in 1 …< threshold; counts are not negative):
/// `SmallCellPolicy.disclose` protects the plain case of bounds within one sum separately.
///
/// Cost: O(s · u · r) for s sums, u suppressed cells and rank r; tiny for a report's tables.
public enum DisclosureAudit {
    /// The arithmetic left the range of `Int` (not seen with the coefficients ±1 of real tables).
    public struct Overflow: Error, Sendable, Equatable {}

    /// The suppressed keys determined by the published cells and the sums, in `ledger.keys` order.
    public static func determined(_ ledger: CountLedger, suppressed: Set<String>) throws -> [String] {
        try determined(keys: ledger.keys, sums: ledger.sums, suppressed: suppressed)
    }

    /// The suppressed keys determined by the sums, in `keys` order (the published values are not needed:
    /// whether a cell is determined depends only on which cells are suppressed).
    public static func determined(keys: [String], sums: [CountLedger.Sum], suppressed: Set<String>) throws -> [String] {
        let unknowns = keys.filter { suppressed.contains($0) }
        guard !unknowns.isEmpty else { return [] }
        let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var rows: [[Int]] = []
        for sum in sums {
            var row = [Int](repeating: 0, count: unknowns.count)
            var any = false
            for (k, key) in sum.keys.enumerated() {
                guard let j = column[key] else { continue }
                row[j] += k == 0 ? 1 : -1
                any = true
            }
            if any && row.contains(where: { $0 != 0 }) { rows.append(row) }
        }
        let echelon = try reducedEchelon(rows)
        var out: [String] = []
        for (j, key) in unknowns.enumerated() {
            var v = [Int](repeating: 0, count: unknowns.count)
            v[j] = 1
            if try reduce(v, by: echelon).allSatisfy({ $0 == 0 }) { out.append(key) }
        }
        return out
    }

    /// Reduced row echelon form over the integers: each pivot column is non-zero in its pivot row only.
    static func reducedEchelon(_ input: [[Int]]) throws -> [(pivot: Int, row: [Int])] {
        var rows = input
        var pivots: [(pivot: Int, row: [Int])] = []
        guard let width = rows.first?.count else { return [] }
        for c in 0..<width {
            guard let k = rows.firstIndex(where: { $0[c] != 0 }) else { continue }
            let p = rows.remove(at: k)
            for i in rows.indices where rows[i][c] != 0 { rows[i] = try eliminate(rows[i], p, at: c) }
            for i in pivots.indices where pivots[i].row[c] != 0 { pivots[i].row = try eliminate(pivots[i].row, p, at: c) }
            pivots.append((c, p))
        }
        return pivots
    }

    /// `v` with every pivot column cleared by the echelon rows.
    static func reduce(_ v: [Int], by echelon: [(pivot: Int, row: [Int])]) throws -> [Int] {
        var v = v
        for (c, row) in echelon where v[c] != 0 { v = try eliminate(v, row, at: c) }
        return v
    }

    /// `row · p[c] − p · row[c]`, divided by the gcd of its entries: zero in column `c`.
    static func eliminate(_ row: [Int], _ p: [Int], at c: Int) throws -> [Int] {
        let a = p[c], b = row[c]
        var out = [Int](repeating: 0, count: row.count)
        for i in row.indices {
            let (x, o1) = row[i].multipliedReportingOverflow(by: a)
            let (y, o2) = p[i].multipliedReportingOverflow(by: b)
            let (z, o3) = x.subtractingReportingOverflow(y)
            if o1 || o2 || o3 { throw Overflow() }
            out[i] = z
        }
        let g = out.reduce(0) { gcd($0, $1) }
        return g > 1 ? out.map { $0 / g } : out
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a.magnitude, b.magnitude)
        while y != 0 { (x, y) = (y, x % y) }
        return Int(x)
    }
}
