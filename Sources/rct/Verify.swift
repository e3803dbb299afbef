import ArgumentParser
import Assignment
import Foundation
import TrialDesign
import TrialStore

/// `rct verify`: recomputes the hash chain of the assignment records and, with the design, draws every
/// arm again from the seed.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that no assignment record was altered, removed or inserted (recomputes the hash chain).",
        discussion: """
            With --design, also draws every assignment again from the design's seed and the stored cohort and \
            compares the arms: this catches even a chain that was rewritten from scratch. Exits with 0 when \
            everything holds and 1 naming the first record that does not.
            """)

    @Option(help: "The trial store.") var store: String?
    @Option(help: "The design (its store is found beside it; its fingerprint is checked and the arms redrawn).")
    var design: String?
    @Option(name: .customLong("expect-head"), help: "A chain head kept outside the store, to detect a rewritten chain.")
    var expectHead: String?

    func validate() throws {
        if store == nil && design == nil { throw ValidationError("Say which store to verify: --store PATH or --design FILE.") }
    }

    func run() throws {
        try StoreSupport.reporting {
            let path = store ?? StoreSupport.defaultStorePath(design: design!)
            let trialStore = try TrialStore.open(path: path)
            let report = try trialStore.verify(expectedHead: expectHead)
            var problems = report.problems.map(\.description)
            var redrawn = false
            if let design {
                let (d, data) = try StoreSupport.loadDesign(design)
                try trialStore.checkDesign(data)
                problems += try redraw(AssignmentPlan(design: d), trialStore)
                redrawn = true
            }
            if problems.isEmpty {
                print("\(path): \(report.records) assignment records, the chain is intact"
                    + (redrawn ? " and every arm comes out of the design's seed again" : "") + "; head \(report.headHash)")
            } else {
                printError("error: \(path): " + problems[0])
                for p in problems.dropFirst() { printError("  also: \(p)") }
                printError("\(path): the assignment records were tampered with (\(problems.count) problem"
                    + "\(problems.count == 1 ? "" : "s")); do not analyse this store")
                throw ExitCode(1)
            }
        }
    }

    /// Draws the stored assignments again: rolling designs replay the records in order; batch designs
    /// run each stored run's screened cohort (in line order) through the procedure. Returns one message
    /// per differing record (the first only, for rolling designs, since later draws depend on it).
    private func redraw(_ plan: AssignmentPlan, _ trialStore: TrialStore) throws -> [String] {
        let records = try trialStore.assignmentRecords()
        if plan.isRolling {
            do {
                _ = try TrialAssigner(plan: plan, source: "store").run([], prior: StoreSupport.prior(records))
                return []
            } catch let AssignmentError.replayMismatch(record, unit, stored, replayed) {
                return ["record \(record) (family \(unit)) holds \(stored), but the design's seed gives \(replayed) "
                    + "at that point of the sequence: the arm was changed"]
            }
        }
        let stored = Dictionary(records.map { ($0.entry.unitID, $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        let byRun = Dictionary(grouping: try trialStore.screenedUnits(), by: \.runID)
        for runID in byRun.keys.sorted() {
            let units = byRun[runID]!.map { CohortUnit(id: $0.entry.unitID, linkKey: $0.entry.linkKey, line: $0.entry.line,
                                                       attributes: $0.entry.attributes) }
            let again = try TrialAssigner(plan: plan, source: "store").run(units)
            for a in again.assignments {
                guard let r = stored[a.unitID] else {
                    problems.append("family \(a.unitID) is eligible in run \(runID) but has no assignment record: it was removed")
                    continue
                }
                if r.entry.arm != a.arm {
                    problems.append("record \(r.seq) (family \(a.unitID)) holds \(r.entry.arm), but the design's seed gives \(a.arm): the arm was changed")
                }
            }
        }
        return problems
    }
}
