import Foundation
import Testing
import TestSupport
@testable import Workflow

/// Issue 20, item 4: every text file the workflow writes (the report and its tables, counts, manifest,
/// balance, accounts, the assignment list: all through `OutputFile.write`) passes through
/// `NationalNumber.mask`. (Synthetic numbers: sequence 999, never issued.)
@Suite struct OutputMaskingTests {
    @Test func aNationalNumberInATextOutputIsMaskedAndEverythingElseKept() throws {
        let dir = try Fixtures.temporaryDirectory("rct-output-mask")
        let path = dir.appendingPathComponent("effects.md").path
        let pseudonym = "P0123456789abcdef0123456789abcdef"
        try OutputFile.write("""
            # Trial (contact 90.06.15-999.95)
            | leefloon (e.g. 90061599995) | 0.85073003328 | \(pseudonym) | 2019-03-01 |

            """, to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == """
            # Trial (contact [national number])
            | leefloon (e.g. [national number]) | 0.85073003328 | \(pseudonym) | 2019-03-01 |

            """)
    }
}
