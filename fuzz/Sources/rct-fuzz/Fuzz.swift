import Foundation

// libFuzzer calls this once per input. The target is chosen by RCT_FUZZ_TARGET (one binary for every
// target: one sanitized build and one link instead of ten); `FuzzTarget.all` lists them.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    FuzzTarget.selected.run(bytes)
    return 0
}

struct FuzzTarget {
    let name: String
    /// What the target reads, for `rct-fuzz` run without a target.
    let summary: String
    let run: ([UInt8]) -> Void

    static let all: [FuzzTarget] = [
        FuzzTarget(name: "design", summary: "design YAML: Design.parse with the source kinds' checks", run: Targets.design),
        FuzzTarget(name: "delimited", summary: "an ocmw_leefloon extract, delimited UTF-8 (;, decimal comma), through Ingest",
                   run: { Targets.registry("leefloon", $0) }),
        FuzzTarget(name: "windows-1252", summary: "an ocmw_aid extract, delimited windows-1252 with codes and corrections",
                   run: { Targets.registry("ocmw_aid", $0) }),
        FuzzTarget(name: "fixed-width", summary: "a federal_statements extract, fixed width without a header",
                   run: { Targets.registry("statements", $0) }),
        FuzzTarget(name: "spss", summary: "a survey wave as an SPSS .sav file (ReadStat), through Ingest",
                   run: { Targets.registry("survey_sav", $0) }),
        FuzzTarget(name: "stata", summary: "a survey wave as a Stata .dta file (ReadStat), through Ingest",
                   run: { Targets.registry("survey_dta", $0) }),
        FuzzTarget(name: "survey", summary: "a survey wave, delimited, with codes and missing codes, through Ingest",
                   run: { Targets.registry("survey_m6", $0) }),
        FuzzTarget(name: "assignment-list", summary: "an assignment list (rct import-assignment): read and reviewed",
                   run: Targets.assignmentList),
        FuzzTarget(name: "csv", summary: "Tabular's delimited reader in memory; what it reads, written and read again, is the same",
                   run: Targets.csv),
        FuzzTarget(name: "store-fields", summary: "the store's record text: FieldJSON and stored dates, against JSONDecoder",
                   run: Targets.storeFields),
    ]

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["RCT_FUZZ_TARGET"] ?? ""
        if let t = all.first(where: { $0.name == name }) { return t }
        var message = "rct-fuzz: set RCT_FUZZ_TARGET to one of:\n"
        for t in all { message += "  \(t.name): \(t.summary)\n" }
        FileHandle.standardError.write(Data(message.utf8))
        exit(2)
    }()
}

/// A broken invariant: a crash libFuzzer reports (and saves the input of).
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}
