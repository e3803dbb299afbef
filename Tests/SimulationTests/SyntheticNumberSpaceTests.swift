import Basics
import Foundation
@testable import Simulation
import Testing
import TestSupport
import TrialDesign

/// Large simulated worlds (`rct simulate --families 100000`) once looped for ever: the 1975–2001 births with
/// sequence 000 or 999 hold only about 19,600 national numbers. The draw now widens when it keeps colliding.
@Suite struct SyntheticNumberSpaceTests {
    @Test func aHundredThousandParentsGetDistinctValidNeverIssuedNumbers() throws {
        var world = World(design: SimulatedImportTests.design, seed: 7, screened: 100_000)
        var seen = Set<String>()
        for _ in 0..<110_000 {
            let digits = world.freshINSZ()
            #expect(seen.insert(digits).inserted)
            _ = try NationalNumber(digits)
            let sequence = Int(digits.dropFirst(6).prefix(3))!
            #expect(sequence == 0 || sequence == 999, "sequence \(sequence) could be a real person's")
        }
        #expect(seen.count == 110_000)
    }
}
