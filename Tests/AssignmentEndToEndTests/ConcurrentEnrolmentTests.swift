import Foundation
import Testing
import TestSupport
import TrialStore

/// Several `rct enrol` processes at the same moment: each reads, replays, draws and appends inside one
/// write-locked transaction, so the chain stays intact and the history still replays.
///
/// Issue 20, item 5: sites enrol at the same time, and their families' dates do not arrive in date order.
/// Ten processes enrol ten families each into one store, with random enrolment dates; every family must
/// be taken in (none refused for its date), once, with its own date, and the sequence the store kept must
/// come out of the design's seed again.
@Suite struct ConcurrentEnrolmentTests {
    let rolling = "fixtures/designs/assign-rolling.yaml"

    @Test func simultaneousEnrolmentsKeepTheChainAndTheReplay() throws {
        let design = "fixtures/designs/assign-rolling.yaml"
        let store = try Fixtures.temporaryDirectory("concurrent").appendingPathComponent("t.sqlite").path
        #expect(try RCTBinary.run(["init", design, "--store", store]).status == 0)
        let lines = try Fixtures.contents("fixtures/assignment/cohort-112.csv").split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let families = Array(lines[1...8])
        let statuses = ResultBox(count: families.count, empty: "")
        DispatchQueue.concurrentPerform(iterations: families.count) { i in
            let cells = families[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let fields = zip(header, cells).filter { $0.0 != "enrolled_on" }.flatMap { ["--field", "\($0.0)=\($0.1)"] }
            let r = try? RCTBinary.run(["enrol", design, "--store", store, "--date", "2018-01-01"] + fields)
            statuses.set(i, r.map { "\($0.status) \($0.stderr)" } ?? "did not run")
        }
        #expect(statuses.values.allSatisfy { $0.hasPrefix("0 ") }, "\(statuses.values)")
        let v = try RCTBinary.run(["verify", "--store", store])
        #expect(v.stdout.contains("8 assignment records, the chain is intact"), "\(v.stderr)")
        // The history replays: one more family enrols without a replay mismatch.
        let cells = lines[9].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let fields = zip(header, cells).filter { $0.0 != "enrolled_on" }.flatMap { ["--field", "\($0.0)=\($0.1)"] }
        let next = try RCTBinary.run(["enrol", design, "--store", store, "--date", "2018-01-02"] + fields)
        #expect(next.status == 0, "\(next.stderr)")
    }

    @Test func tenProcessesEnrolAHundredFamiliesWithRandomDates() throws {
        let path = try Fixtures.temporaryDirectory("concurrent-enrol").appendingPathComponent("trial.sqlite").path
        #expect(try RCTBinary.run(["init", rolling, "--store", path]).status == 0)
        let lines = try Fixtures.contents("fixtures/assignment/cohort-112.csv").split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let families = lines.dropFirst().prefix(100).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        // Random dates over 2018–2019 from a fixed seed, so a failure can be replayed.
        var generator = SplitMix(seed: 20_261_207)
        let start = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2018, month: 1, day: 1).date!
        let dates = families.map { _ in
            let day = Int(generator.next() % 730)
            let date = start.addingTimeInterval(Double(day) * 86_400)
            let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        let results = ResultBox<RunResult?>(count: families.count, empty: nil)
        DispatchQueue.concurrentPerform(iterations: 10) { process in
            for i in stride(from: process, to: families.count, by: 10) {
                let fields = zip(header, families[i]).filter { $0.0 != "enrolled_on" }.flatMap { ["--field", "\($0.0)=\($0.1)"] }
                let r = try? RCTBinary.run(["enrol", rolling, "--store", path, "--date", dates[i]] + fields)
                results.set(i, r)
            }
        }
        for (i, r) in results.values.enumerated() {
            #expect(r?.status == 0, "family \(families[i][0]) on \(dates[i]): \(r?.stderr ?? "did not run")")
        }
        // Every family once, with its own date; the order is the store's.
        let store = try TrialStore.open(path: path)
        let records = try store.assignmentRecords()
        let screened = try store.screenedUnits()
        #expect(screened.count == 100)
        #expect(Set(screened.map(\.entry.unitID)).count == 100)
        #expect(records.count == screened.filter(\.entry.eligible).count)
        let dateOf = Dictionary(uniqueKeysWithValues: zip(families.map { $0[0] }, dates))
        for r in records { #expect(r.entry.assignedOn.description == dateOf[r.entry.unitID]) }
        #expect(zip(records, records.dropFirst()).contains { $0.entry.assignedOn > $1.entry.assignedOn },
                "random dates should arrive out of order at least once")
        #expect(results.values.compactMap { $0?.stdout }.contains { $0.contains("note: enrolled on ") })
        let verify = try RCTBinary.run(["verify", rolling, "--store", path])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("\(records.count) assignment records, the chain is intact and every arm comes out of the design's seed again"))
    }
}
