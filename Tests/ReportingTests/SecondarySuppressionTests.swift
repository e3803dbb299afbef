import Testing
import TestSupport
@testable import Reporting

/// Secondary suppression (issue 22): random small tables and CONSORT flows go through
/// `SmallCellPolicy.disclose`, and an independent solver proves that the published sums determine no
/// suppressed cell.
@Suite struct SecondarySuppressionTests {
    /// The control arm at six months of the bundled demo before issue 22: "Not followed up (n = 11) •
    /// no interview (n = 8) • interview outside the window (n = <5)", and 11 − 8 = 3.
    @Test func theTotalMinusTheRestIsClosed() throws {
        var ledger = CountLedger()
        ledger.add("lost", 11)
        ledger.add("no interview", 8)
        ledger.add("outside the window", 3)
        let recorded1 = ledger.sum("lost", equals: ["no interview", "outside the window"])
        #expect(recorded1)
        // Primary suppression alone leaves the 3 recoverable.
        #expect(try DisclosureAudit.determined(ledger, suppressed: ["outside the window"]) == ["outside the window"])
        let counts = SmallCellPolicy(threshold: 5).disclose(ledger)
        #expect(counts.shown("outside the window") == .small(threshold: 5))
        #expect(counts.shown("no interview") == .secondary, "the smaller part is taken, not the total")
        #expect(counts.shown("lost") == .value(11))
        #expect(try DisclosureAudit.determined(ledger, suppressed: counts.suppressed).isEmpty)
    }

    @Test func aSumThatDoesNotAddUpIsNotRecorded() {
        var ledger = CountLedger()
        ledger.add("t", 10)
        ledger.add("a", 4)
        ledger.add("b", 5)
        let recorded2 = ledger.sum("t", equals: ["a", "b"])
        #expect(!recorded2)
        let recorded3 = ledger.sum("t", equals: ["a", "missing"])
        #expect(!recorded3)
        #expect(ledger.sums.isEmpty)
    }

    /// Two suppressed cells of one row are safe on their own, but not when a column pins one of them.
    @Test func theAuditSeesCombinationsOfSums() throws {
        var ledger = CountLedger()
        for (k, v) in [("r", 20), ("a", 3), ("b", 9), ("c", 8), ("col", 7), ("d", 4)] { ledger.add(k, v) }
        ledger.sum("r", equals: ["a", "b", "c"])
        ledger.sum("col", equals: ["a", "d"])
        #expect(try DisclosureAudit.determined(ledger, suppressed: ["a", "b"]) == ["a", "b"])
        #expect(try DisclosureAudit.determined(ledger, suppressed: ["a", "b", "d"]).isEmpty)
    }

    /// Two primary cells whose published total leaves only 1 + 1 are also given away.
    @Test func boundsWithinOneSumAreProtected() {
        var ledger = CountLedger()
        for (k, v) in [("t", 12), ("a", 1), ("b", 1), ("c", 10)] { ledger.add(k, v) }
        ledger.sum("t", equals: ["a", "b", "c"])
        let counts = SmallCellPolicy(threshold: 5).disclose(ledger)
        #expect(counts.isSuppressed("c") || counts.isSuppressed("t"))
    }

    @Test func nothingSmallNothingSuppressed() {
        var ledger = CountLedger()
        for (k, v) in [("t", 30), ("a", 10), ("b", 20), ("z", 0)] { ledger.add(k, v) }
        ledger.sum("t", equals: ["a", "b", "z"])
        #expect(SmallCellPolicy(threshold: 5).disclose(ledger).suppressed.isEmpty)
        var small = ledger
        small.add("s", 2)
        #expect(SmallCellPolicy.none.disclose(small).suppressed.isEmpty)
    }

    /// Random r × c tables with row, column and grand totals, random CONSORT flows (exclusions,
    /// allocation, two waves of survey and registry follow-up with reasons, the analysed count equal to
    /// the registry follow-up), and random subgroup and balance tables (the levels of a subgroup adding up
    /// to each arm's N of an outcome, the arms to the outcome's N; a binary covariate's with and without
    /// adding up to the arm's N, equal to its allocation, the four shown together): after `disclose`, every
    /// group shown together is suppressed whole or not at all, every primary cell is suppressed, no sum has exactly one
    /// suppressed cell, and the null space of the published system moves every suppressed cell.
    @Test(arguments: [3, 5, 10])
    func noSuppressedCellIsDetermined(threshold: Int) throws {
        var rng = SplitMix(seed: UInt64(threshold) * 7919)
        let policy = SmallCellPolicy(threshold: threshold)
        var checked = 0, withSecondary = 0
        for round in 0..<150 {
            let ledger = [Self.table, Self.flow, Self.subgroups][round % 3](&rng)
            let counts = policy.disclose(ledger)
            for key in ledger.keys where (1..<threshold).contains(ledger.values[key]!) {
                #expect(counts.shown(key) == .small(threshold: threshold), "round \(round): \(key)")
            }
            for sum in ledger.sums {
                #expect(sum.keys.filter(counts.isSuppressed).count != 1, "round \(round): \(sum.total) minus the rest")
            }
            for group in ledger.groups {
                #expect(group.allSatisfy(counts.isSuppressed) || !group.contains(where: counts.isSuppressed), "round \(round): \(group)")
            }
            let free = Self.movable(ledger, suppressed: counts.suppressed)
            for key in counts.suppressed {
                #expect(free.contains(key), "round \(round): \(key) is determined by the published sums")
            }
            checked += counts.suppressed.count
            if counts.suppressed.count > ledger.keys.filter({ (1..<threshold).contains(ledger.values[$0]!) }).count { withSecondary += 1 }
        }
        #expect(checked > 100 && withSecondary > 20, "the random cases exercise secondary suppression")
    }

    /// Issue 22: a subgroup level shown as "<5" was recoverable from the other level and the arm's N in
    /// the effect table (56 − 53 = 3). In the report's ledger the levels add up to the arm's N, so the
    /// complement goes too; a binary balance covariate with 2 families in an arm hides its row.
    @Test func aSmallSubgroupLevelTakesItsComplementWithIt() throws {
        var content = FigureAndReportTests.content(policy: SmallCellPolicy(threshold: 5))
        content.subgroups = [SubgroupRow(
            outcome: "Receives supplementary aid", wave: "6 months", subgroup: "Single-parent families",
            levels: [SubgroupLevelEffect(label: "Two-parent families", controlN: 53, interventionN: 40,
                                         estimate: Sample.term("z", 0.2, 0.1, 0.05, n: 93), code: "0"),
                     SubgroupLevelEffect(label: "Single-parent families", controlN: 3, interventionN: 16,
                                         estimate: Sample.term("z", 0.4567, 0.2, 0.02, n: 19), code: "1")],
            interactionP: 0.52, outcomeID: "supplementary_aid", waveID: "m6", subgroupID: "single_parent")]
        content.balance = BalanceTable(rows: [
            BalanceRow(label: "Single parent", control: ArmSummary(n: 56, mean: 0.3, sd: 0.46, positives: 17),
                       intervention: ArmSummary(n: 56, mean: 0.34, sd: 0.48, positives: 19), standardizedDifference: 0.085),
            BalanceRow(label: "Large family", control: ArmSummary(n: 56, mean: 2.0 / 56, sd: 0.19, positives: 2),
                       intervention: ArmSummary(n: 56, mean: 0.125, sd: 0.33, positives: 7), standardizedDifference: 0.3),
        ], omnibus: nil)
        let ledger = ReportLedger.ledger(content)
        let row = content.subgroups[0]
        let single = row.levels[1], two = row.levels[0]
        // The sum is recorded: the levels of each arm add up to its N in the effect table.
        #expect(ledger.sums.contains(CountLedger.Sum(total: ReportLedger.effect("supplementary_aid", "m6", "control"),
                                                     parts: [ReportLedger.subgroup(row, two, "control"), ReportLedger.subgroup(row, single, "control")])))
        // Primary suppression alone gives the 3 away.
        #expect(try DisclosureAudit.determined(ledger, suppressed: [ReportLedger.subgroup(row, single, "control")])
                == [ReportLedger.subgroup(row, single, "control")])
        let counts = content.policy.disclose(content)
        #expect(counts.shown(ReportLedger.subgroup(row, single, "control")) == .small(threshold: 5))
        #expect(counts.shown(ReportLedger.subgroup(row, two, "control")) == .secondary, "the complement goes too")
        #expect(counts.shown(ReportLedger.subgroup(row, two, "intervention")) == .value(40))
        #expect(counts.shown(ReportLedger.effect("supplementary_aid", "m6", "control")) == .value(56))
        #expect(counts.shown(ReportLedger.balance(content.balance!.rows[1], "control", "with")) == .small(threshold: 5))
        for side in ["control", "intervention"] {
            for what in ["with", "without"] {
                #expect(counts.isSuppressed(ReportLedger.balance(content.balance!.rows[1], side, what)), "\(side) \(what)")
                #expect(!counts.isSuppressed(ReportLedger.balance(content.balance!.rows[0], side, what)), "\(side) \(what)")
            }
        }
        #expect(try DisclosureAudit.determined(ledger, suppressed: counts.suppressed).isEmpty)
        #expect(Self.movable(ledger, suppressed: counts.suppressed) == counts.suppressed)
        // The published forms agree: counts.json leaves both out, the report prints "<5" and "not shown",
        // the effect of the small level is suppressed, the balance row's means too.
        let published = counts.published
        #expect(published.cells.first { $0.key == ReportLedger.subgroup(row, two, "control") }?.status == .secondary)
        let html = HTMLReport.render(content)
        #expect(html.contains("<td>Two-parent families</td><td>not shown</td><td>40</td><td>0.200 (0.100)</td>"), "\(html)")
        #expect(html.contains("<td>Single-parent families</td><td>&lt;5</td><td>16</td><td class=\"suppressed\">suppressed</td>"))
        #expect(html.contains("<tr><th scope=\"row\">Large family</th><td>suppressed</td><td>suppressed</td>"))
        #expect(html.contains("<tr><th scope=\"row\">Single parent</th><td>0.300 (0.460)</td>"))
        let dutch = content.language == .en ? { var d = content; d.language = .nl; return HTMLReport.render(d) }() : html
        #expect(dutch.contains("<td>Two-parent families</td><td>niet getoond</td>"))
    }

    /// Two arms of 4 families each under a threshold of 5: both arms' N are small, and an N of 8 would give
    /// both away (4 + 4 is the only split of 8 into two counts below 5). The disclosed counts take the N,
    /// and the effect tables print it from them ("not shown"), not under the count rule alone ("8").
    @Test func theEffectTablesPrintTheirNFromTheDisclosedCounts() throws {
        var content = FigureAndReportTests.content(policy: SmallCellPolicy(threshold: 5))
        content.consort = nil
        content.effects.outcomes.append(OutcomeEffects(id: "rare", label: "Rare outcome", family: "financial", kind: .continuous, primary: false, waves: [
            "m6": WaveEffect(wave: "m6", control: ArmSummary(n: 4, mean: 1.5, sd: 0.5), intervention: ArmSummary(n: 4, mean: 2.5, sd: 0.5),
                             itt: Sample.term("intervention", 1, 0.4, 0.04, n: 8)),
        ]))
        let counts = content.policy.disclose(content)
        #expect(counts.shown(ReportLedger.effectN("rare", "m6")) == .secondary)
        let md = EffectTableWriter.markdown(content.effects, policy: content.policy, counts: counts)
        let row = try #require(md.split(separator: "\n").first { $0.hasPrefix("| Rare outcome |") })
        #expect(row.hasSuffix("| not shown |"), "\(row)")
        #expect(HTMLReport.render(content).contains("<td>not shown</td></tr>"))
        // Without the disclosed counts the count rule alone prints the 8.
        #expect(EffectTableWriter.markdown(content.effects, policy: content.policy).contains("| 8 |"))
    }

    // MARK: - Random ledgers

    static func table(_ rng: inout SplitMix) -> CountLedger {
        let r = 2 + rng.below(3), c = 2 + rng.below(3)
        var ledger = CountLedger()
        var cells = [[Int]](repeating: [Int](repeating: 0, count: c), count: r)
        for i in 0..<r { for j in 0..<c { cells[i][j] = rng.below(4) == 0 ? rng.below(5) : rng.below(40) } }
        for i in 0..<r { for j in 0..<c { ledger.add("cell \(i),\(j)", cells[i][j]) } }
        for i in 0..<r { ledger.add("row \(i)", cells[i].reduce(0, +)) }
        for j in 0..<c { ledger.add("column \(j)", cells.reduce(0) { $0 + $1[j] }) }
        ledger.add("total", cells.joined().reduce(0, +))
        for i in 0..<r { let recorded = ledger.sum("row \(i)", equals: (0..<c).map { "cell \(i),\($0)" }); #expect(recorded) }
        for j in 0..<c { let recorded = ledger.sum("column \(j)", equals: (0..<r).map { "cell \($0),\(j)" }); #expect(recorded) }
        let recorded6 = ledger.sum("total", equals: (0..<r).map { "row \($0)" })
        #expect(recorded6)
        let recorded7 = ledger.sum("total", equals: (0..<c).map { "column \($0)" })
        #expect(recorded7)
        return ledger
    }

    static func flow(_ rng: inout SplitMix) -> CountLedger {
        var ledger = CountLedger()
        let reasons = (0..<(1 + rng.below(3))).map { _ in rng.below(3) == 0 ? rng.below(5) : rng.below(30) }
        let allocated = (0..<2).map { _ in 10 + rng.below(60) }
        ledger.add("randomised", allocated.reduce(0, +))
        for (k, n) in reasons.enumerated() { ledger.add("excluded \(k)", n) }
        ledger.add("excluded", reasons.reduce(0, +))
        ledger.add("screened", allocated.reduce(0, +) + reasons.reduce(0, +))
        let recorded8 = ledger.sum("excluded", equals: reasons.indices.map { "excluded \($0)" })
        #expect(recorded8)
        let recorded9 = ledger.sum("screened", equals: ["excluded", "randomised"])
        #expect(recorded9)
        for (a, n) in allocated.enumerated() { ledger.add("arm \(a) allocated", n) }
        let recorded10 = ledger.sum("randomised", equals: ["arm 0 allocated", "arm 1 allocated"])
        #expect(recorded10)
        for (a, n) in allocated.enumerated() {
            for w in 0..<2 {
                let p = "arm \(a) wave \(w)"
                let lost = (0..<(1 + rng.below(3))).map { _ in rng.below(5) }
                let interviewed = n - lost.reduce(0, +)
                ledger.add("\(p) interviewed", interviewed)
                for (k, l) in lost.enumerated() { ledger.add("\(p) lost \(k)", l) }
                ledger.add("\(p) lost", lost.reduce(0, +))
                let recorded11 = ledger.sum("\(p) lost", equals: lost.indices.map { "\(p) lost \($0)" })
                #expect(recorded11)
                let recorded12 = ledger.sum("arm \(a) allocated", equals: ["\(p) interviewed", "\(p) lost"])
                #expect(recorded12)
                let left = rng.below(4)
                ledger.add("\(p) left the registries", left)
                ledger.add("\(p) analysed", n - left)
                let recorded13 = ledger.sum("arm \(a) allocated", equals: ["\(p) analysed", "\(p) left the registries"])
                #expect(recorded13)
            }
        }
        return ledger
    }

    /// The subgroup and balance tables of a report over two arms: each arm's N of two outcomes (the
    /// outcome's N their sum, `lastResort` as in the effect table), one or two subgroups of two or three
    /// levels per outcome whose N per arm add up to the arm's N, and two binary covariates.
    static func subgroups(_ rng: inout SplitMix) -> CountLedger {
        var ledger = CountLedger()
        let allocated = (0..<2).map { _ in 15 + rng.below(50) }
        let sides = ["control", "intervention"]
        for (a, n) in allocated.enumerated() { ledger.add("allocated \(sides[a])", n) }
        for o in 0..<2 {
            let analysed = allocated.map { $0 - rng.below(6) }
            for (a, n) in analysed.enumerated() { ledger.add("effects/\(o)/\(sides[a])", n) }
            ledger.add("effects/\(o)/N", analysed.reduce(0, +), lastResort: true)
            let added1 = ledger.sum("effects/\(o)/N", equals: sides.map { "effects/\(o)/\($0)" })
            #expect(added1)
            for g in 0..<(1 + rng.below(2)) {
                let levels = 2 + rng.below(2)
                for (a, n) in analysed.enumerated() {
                    var left = n
                    var parts: [String] = []
                    for l in 0..<levels {
                        let v = l == levels - 1 ? left : min(left, rng.below(3) == 0 ? rng.below(6) : rng.below(left + 1))
                        left -= v
                        let key = "subgroups/\(g)/\(o)/\(l)/\(sides[a])"
                        ledger.add(key, v)
                        parts.append(key)
                    }
                    let added2 = ledger.sum("effects/\(o)/\(sides[a])", equals: parts)
                    #expect(added2)
                }
            }
        }
        for c in 0..<2 {
            var group: [String] = []
            for (a, n) in allocated.enumerated() {
                let with = rng.below(3) == 0 ? rng.below(6) : rng.below(n + 1)
                let p = "balance/\(c)/\(sides[a])"
                ledger.add("\(p)/n", n)
                ledger.add("\(p)/with", with)
                ledger.add("\(p)/without", n - with)
                let added3 = ledger.sum("\(p)/n", equals: ["\(p)/with", "\(p)/without"])
                #expect(added3)
                let added4 = ledger.sum("allocated \(sides[a])", equals: ["\(p)/n"])
                #expect(added4)
                group += ["\(p)/with", "\(p)/without"]
            }
            ledger.together(group)
        }
        return ledger
    }

    // MARK: - An independent solver

    /// The suppressed cells that some solution of the published system can move: the null space of the
    /// system in the suppressed cells (published cells on the right-hand side), computed with exact
    /// fractions; a cell is free iff a null-space vector is non-zero in it. (The policy's own audit tests
    /// membership of unit vectors in the row space over the integers; this is the dual statement.)
    static func movable(_ ledger: CountLedger, suppressed: Set<String>) -> Set<String> {
        let unknowns = ledger.keys.filter(suppressed.contains)
        let index = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var m: [[Fraction]] = ledger.sums.map { sum in
            var row = [Fraction](repeating: .zero, count: unknowns.count)
            for (k, key) in sum.keys.enumerated() { if let j = index[key] { row[j] = row[j] + Fraction(k == 0 ? 1 : -1) } }
            return row
        }
        // Reduced row echelon form.
        var pivotColumns: [Int] = []
        var r = 0
        for c in 0..<unknowns.count where r < m.count {
            guard let p = (r..<m.count).first(where: { !m[$0][c].isZero }) else { continue }
            m.swapAt(r, p)
            let lead = m[r][c]
            m[r] = m[r].map { $0 / lead }
            for i in m.indices where i != r && !m[i][c].isZero {
                let f = m[i][c]
                m[i] = zip(m[i], m[r]).map { $0 - f * $1 }
            }
            pivotColumns.append(c)
            r += 1
        }
        // One null-space vector per free column: x_free = 1, x_pivot = −m[row][free].
        var free = Set<String>()
        for f in 0..<unknowns.count where !pivotColumns.contains(f) {
            free.insert(unknowns[f])
            for (row, c) in pivotColumns.enumerated() where !m[row][f].isZero { free.insert(unknowns[c]) }
        }
        return free
    }
}

/// An exact fraction for the independent solver (Int is ample for the ±1 systems of these tests).
struct Fraction: Equatable {
    var n: Int
    var d: Int
    init(_ n: Int, _ d: Int = 1) {
        let g = Fraction.gcd(abs(n), abs(d))
        let s = d < 0 ? -1 : 1
        self.n = s * n / max(g, 1)
        self.d = s * d / max(g, 1)
    }
    static let zero = Fraction(0)
    var isZero: Bool { n == 0 }
    static func + (a: Fraction, b: Fraction) -> Fraction { Fraction(a.n * b.d + b.n * a.d, a.d * b.d) }
    static func - (a: Fraction, b: Fraction) -> Fraction { Fraction(a.n * b.d - b.n * a.d, a.d * b.d) }
    static func * (a: Fraction, b: Fraction) -> Fraction { Fraction(a.n * b.n, a.d * b.d) }
    static func / (a: Fraction, b: Fraction) -> Fraction { Fraction(a.n * b.d, a.d * b.n) }
    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
