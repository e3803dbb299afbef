import Foundation
import Testing
import TestSupport

/// Every command that works on a trial takes the design as its first argument; the older spelling
/// `--design DESIGN` still works, with a note on standard error, and the two spellings give the same
/// result.
@Suite struct DesignArgumentTests {
    @Test func theOldSpellingStillWorksWithANote() throws {
        let dir = try Fixtures.temporaryDirectory("design-arg")
        let design = "fixtures/designs/assign-complete.yaml"
        let (a, b) = (dir.appendingPathComponent("a.sqlite").path, dir.appendingPathComponent("b.sqlite").path)
        for store in [a, b] { #expect(try RCTBinary.run(["init", design, "--store", store]).status == 0) }
        let new = try RCTBinary.run(["assign", design, "--cohort", "fixtures/assignment/cohort-112.csv", "--store", a])
        let old = try RCTBinary.run(["assign", "--design", design, "--cohort", "fixtures/assignment/cohort-112.csv", "--store", b])
        #expect(new.status == 0 && old.status == 0, "\(new.stderr)\(old.stderr)")
        #expect(!new.stderr.contains("deprecated"))
        #expect(old.stderr.contains("note: --design is deprecated; give the design as the first argument"))
        let arms = { (s: String) in s.split(separator: "\n").first { $0.hasPrefix("assigned ") } }
        #expect(arms(new.stdout) != nil && arms(new.stdout) == arms(old.stdout))
        let twice = try RCTBinary.run(["balance", design, "--design", "fixtures/designs/assign-rolling.yaml", "--store", a])
        #expect(twice.status == 64)
        #expect(twice.stderr.contains("Two designs given"))
        let none = try RCTBinary.run(["balance", "--store", a])
        #expect(none.status == 64)
        #expect(none.stderr.contains("Give the design file as the first argument: rct balance DESIGN."))
    }
}
