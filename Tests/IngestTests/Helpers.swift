import Foundation
import Basics
import Ingest
import TestSupport
import TrialDesign

/// A design around one source (given as the YAML of one list item), plus a dummy registry source for
/// the outcome, so sources can be declared in tests exactly as users write them.
func makeSource(_ item: String) throws -> (Design, Source) {
    let indented = item.split(separator: "\n", omittingEmptySubsequences: false)
        .enumerated().map { $0.offset == 0 ? "  - " + $0.element : "    " + $0.element }.joined(separator: "\n")
    let yaml = """
        trial: { id: t, title: Test }
        arms: [{ id: control, control: true }, { id: treatment }]
        randomisation: { method: complete, seed: 1 }
        waves: [{ id: baseline, offset_months: 0 }, { id: m6, offset_months: 6 }]
        pseudonymisation: { key_env: RCT_TEST_KEY }
        sources:
        \(indented)
          - id: reg
            kind: vdab_status
            file: reg.csv
            identifier: { column: code, type: code }
            dialect: { format: delimited }
        families: [{ id: main }]
        outcomes: [{ id: o, family: main, type: binary, source: reg, rule: any, windows: { m6: [1, 6] } }]
        """
    let design = try Design.parse(yaml: yaml)
    return (design, design.sources[0])
}

let testKey = try! Pseudonymizer(key: Array("a-test-key-that-is-not-secret-01".utf8))

/// Writes bytes into a fresh temporary folder and returns the path.
func writeFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let dir = try Fixtures.temporaryDirectory("ingest")
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func writeFile(_ name: String, _ text: String) throws -> String { try writeFile(name, Array(text.utf8)) }

/// Imports text as the source declared by `item`.
func importText(_ item: String, _ text: String, bytes: [UInt8]? = nil, known: Set<String>? = nil) throws -> ImportResult {
    let (_, source) = try makeSource(item)
    let path = try writeFile("data.txt", bytes ?? Array(text.utf8))
    return try Ingest.importFile(path: path, displayName: "data.txt", source: source, pseudonymizer: testKey, knownParticipants: known)
}

/// Valid national numbers from the domain notes (test values, not real people).
enum Numbers {
    static let a = "93051822361"
    static let b = "73011136173"
    static let c = "88022999990"
    static let bis = "88222999936"
    static let invalid = "72011136173"
}
