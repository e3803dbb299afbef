import Basics
import Foundation
import Simulation
import Testing
import TestSupport
import TrialDesign

/// The simulator's `scope_exit` register (docs/import.md, "Simulator"): a few families leave during
/// follow-up, drawn from a stream of their own, so declaring the source changes no other file.
@Suite struct ScopeExitSimulationTests {
    @Test(arguments: [3, 8] as [UInt64])
    func declaringExitsLeavesEveryOtherFileByteIdentical(seed: UInt64) throws {
        var without = SimulatedImportTests.design
        without.sources.removeAll { $0.kind == .scopeExit }
        let a = try SimulatedImportTests.simulate(seed: seed)
        let bDir = try Fixtures.temporaryDirectory("simulate-no-exits")
        let truthB = try Simulator.run(design: without, seed: seed, outputDirectory: bDir.path)
        let filesB = try FileManager.default.contentsOfDirectory(atPath: bDir.path).sorted()
        let filesA = try FileManager.default.contentsOfDirectory(atPath: a.dir.path).sorted()
        #expect(filesA == (filesB + ["scope_exits.csv"]).sorted())
        for file in filesB where file != "truth.json" {
            #expect(try Data(contentsOf: a.dir.appendingPathComponent(file)) == Data(contentsOf: bDir.appendingPathComponent(file)), "\(file)")
        }
        var rows = a.truth.rows
        rows["scope_exits.csv"] = nil
        #expect(rows == truthB.rows && a.truth.plantedErrors == truthB.plantedErrors)

        // The exits: randomised families, a day 1 to 18 months after assignment, Dutch labels of the design.
        let text = try String(contentsOf: a.dir.appendingPathComponent("scope_exits.csv"), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines[0] == "rijksregisternummer;datum_uitschrijving;reden")
        #expect(lines.count - 1 == a.truth.rows["scope_exits.csv"])
        #expect((1...15).contains(lines.count - 1), "a handful of exits among about 112 families: \(lines.count - 1)")
        let byINSZ = Dictionary(uniqueKeysWithValues: a.families.values.map { ($0.insz, $0) })
        for line in lines.dropFirst() {
            let f = line.split(separator: ";").map(String.init)
            let family = try #require(byINSZ[f[0]], "an exit of a randomised family")
            let p = f[1].split(separator: "/").compactMap { Int($0) }
            let day = try #require(CalendarDate(year: p[2], month: p[1], day: p[0]))
            #expect(day >= family.assigned.adding(months: 1) && day <= family.assigned.adding(months: 18))
            #expect(["verhuisd", "overleden"].contains(f[2]))
        }
    }
}
