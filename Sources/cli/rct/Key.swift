import ArgumentParser
import Foundation
import Workflow

/// `rct key rotate DESIGN --old-key FILE --new-key FILE --cohort FILE`: the pseudonymisation key.
struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the trial's pseudonymisation key (rotate it).",
        subcommands: [Rotate.self])

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the pseudonymisation key by a new one, recorded in the store's chain.",
            discussion: """
                Run by the data manager, who holds both keys and the cohort file with the families' national \
                numbers (in the design's cohort format). Every family in the store must be found in the cohort \
                under the old key; the store then records, in one transaction, the rotation (both keys' \
                fingerprints, the families, the digest of the map) chained after the last assignment and import, \
                and the map from each family's pseudonym under the new key to its link key. Nothing stored is \
                rewritten: from then on imports and enrolments must use the new key (the old one is refused, with \
                the date of the rotation) and link to the same families. rct verify checks the rotations and their \
                maps. A refusal (wrong old key, families missing from the cohort, a key used before) changes \
                nothing. docs/security.md ("Rotating the key") says what a rotation does and does not protect.
                """)

        @OptionGroup var trial: TrialOptions

        @Option(name: .customLong("old-key"), help: "The key file in force now.")
        var oldKey: String

        @Option(name: .customLong("new-key"), help: "The new key file (at least 16 bytes; e.g. head -c 32 /dev/urandom | base64).")
        var newKey: String

        @Option(help: "The cohort file with every family's national numbers, in the design's cohort format.")
        var cohort: String

        func run() throws {
            try reportingFailures {
                let file = try trial.loadDesign("key rotate")
                KeyRotationStep.warnings(oldKeyFile: oldKey, newKeyFile: newKey).forEach { printError("warning: \($0)") }
                let outcome = try KeyRotationStep.run(file, store: trial.store, oldKeyFile: oldKey, newKeyFile: newKey, cohortPath: cohort)
                outcome.lines(newKeyFile: newKey).forEach { print($0) }
            }
        }
    }
}
