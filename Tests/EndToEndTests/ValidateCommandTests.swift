import Foundation
import Testing
import TestSupport

/// Runs the built `rct` binary on the reference design and on every broken design.
@Suite struct ValidateCommandTests {
    @Test func referenceDesignIsValid() throws {
        let r = try RCTBinary.run(["validate", "designs/mission-kortrijk.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("valid design \"mission-kortrijk\": 2 arms, 3 waves"))
        #expect(r.stderr.isEmpty)
    }

    @Test(arguments: [
        ("unknown-key.yaml", "unknown-key.yaml:8:5: error: arms[1].ratoi: unknown key \"ratoi\" (did you mean \"ratio\"?); allowed here: control, id, label, ratio"),
        ("bad-choice.yaml", "bad-choice.yaml:25:11: error: outcomes[0].type: found \"binar\"; allowed: binary, count, continuous"),
        ("missing-key.yaml", "missing-key.yaml:9:3: error: randomisation.seed: missing required key \"seed\""),
        ("duplicate-arm.yaml", "duplicate-arm.yaml:7:9: error: arms[1].id: the arm id \"control\" is used twice; ids must be unique"),
        ("unknown-source.yaml", "unknown-source.yaml:26:13: error: outcomes[0].source: \"regsitry\" is not declared; declared: registry"),
        ("wrong-type.yaml", "wrong-type.yaml:10:9: error: randomisation.seed: expected a whole number, found \"one\""),
        ("syntax-error.yaml", "syntax-error.yaml:8:4: error: YAML syntax:"),
    ])
    func brokenDesignFailsWithLocatedMessage(file: String, expected: String) throws {
        let r = try RCTBinary.run(["validate", "fixtures/designs/\(file)"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("fixtures/designs/" + expected), "\(r.stderr)")
        #expect(r.stderr.contains("1 problem found; the design is not valid"))
        #expect(r.stdout.isEmpty)
    }

    @Test func missingFileAndMissingArgument() throws {
        let missing = try RCTBinary.run(["validate", "designs/nope.yaml"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("designs/nope.yaml: error: cannot read the file"))
        let noArgument = try RCTBinary.run(["validate"])
        #expect(noArgument.status == 64)
        #expect(noArgument.stderr.contains("Missing expected argument '<design>'"))
    }

    @Test func versionAndHelp() throws {
        let v = try RCTBinary.run(["--version"])
        #expect(v.status == 0)
        #expect(v.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let h = try RCTBinary.run(["--help"])
        #expect(h.status == 0)
        #expect(h.stdout.contains("validate"))
        let hv = try RCTBinary.run(["validate", "--help"])
        #expect(hv.stdout.contains("Check a trial design file"))
    }
}
