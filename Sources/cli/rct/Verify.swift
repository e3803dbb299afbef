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
            var notes: [String] = []
            if let design {
                let (d, data) = try StoreSupport.loadDesign(design)
                try trialStore.checkDesign(data)
                let (found, note, redrewAny) = try redraw(AssignmentPlan(design: d), trialStore)
                problems += found
                if let note { notes.append(note) }
                redrawn = redrewAny
            }
            if problems.isEmpty {
                print("\(path): \(report.records) assignment records, the chain is intact"
                    + (redrawn ? " and every " + (notes.isEmpty ? "" : "locally drawn ") + "arm comes out of the design's seed again" : "")
                    + "; head \(report.headHash)")
                for n in notes { print(n) }
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
    ///
    /// Records imported from an assignment made elsewhere (`rct import-assignment`) cannot be re-drawn
    /// from a seed: they are left out, and the note returned says so plainly (the chain check covers
    /// them, and their file's fingerprint is in every record). A rolling design whose history holds
    /// imported records cannot replay any of it.
    private func redraw(_ plan: AssignmentPlan, _ trialStore: TrialStore) throws -> (problems: [String], note: String?, redrewAny: Bool) {
        let all = try trialStore.assignmentRecords()
        let imported = all.filter(\.entry.isImported)
        var note: String?
        if !imported.isEmpty {
            let files = try trialStore.importedFiles().map { "\($0.file) (SHA-256 \($0.sha256.prefix(12))…, \($0.assigned) families)" }
            note = "\(imported.count) of \(all.count) records were imported from an assignment made elsewhere ("
                + files.joined(separator: ", ") + "): they cannot be re-drawn from a seed, so the re-draw check does not apply "
                + "to them; the hash chain above covers them, and each carries its file's SHA-256"
            if plan.isRolling || imported.count == all.count {
                if imported.count < all.count {
                    note! += ". The other \(all.count - imported.count) records follow imported ones in a rolling sequence and cannot be replayed either"
                }
                return ([], note, false)
            }
        }
        let importedRuns = Set(imported.map(\.runID))
        let records = all.filter { !$0.entry.isImported }
        if plan.isRolling {
            do {
                _ = try TrialAssigner(plan: plan, source: "store").run([], prior: StoreSupport.prior(records))
                return ([], note, imported.isEmpty || !records.isEmpty)
            } catch let AssignmentError.replayMismatch(record, unit, stored, replayed) {
                return (["record \(record) (family \(unit)) holds \(stored), but the design's seed gives \(replayed) "
                    + "at that point of the sequence: the arm was changed"], note, true)
            }
        }
        let stored = Dictionary(records.map { ($0.entry.unitID, $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        let byRun = Dictionary(grouping: try trialStore.screenedUnits(), by: \.runID)
        for runID in byRun.keys.sorted() where !importedRuns.contains(runID) {
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
        return (problems, note, imported.isEmpty || !records.isEmpty)
    }
}
