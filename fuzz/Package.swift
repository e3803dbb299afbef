// swift-tools-version:5.4
// The fuzz targets of rct (libFuzzer, Linux): one executable, `rct-fuzz`, whose target is chosen by the
// environment variable RCT_FUZZ_TARGET (design, delimited, windows1252, fixed-width, spss, stata, survey,
// assignment-list, csv, store-fields); docs/reliability.md says what each reads and how to run them, and
// `make fuzz` / `make fuzz-smoke` in the root run them all on their corpora in fuzz/corpus/<target>/.
//
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM links an executable with `--defsym main=<module>_main`,
// which a libFuzzer binary (whose `main` is libFuzzer's, the module compiled with -parse-as-library) lacks.
// Built with `swift build --package-path fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`.
import PackageDescription

let package = Package(
    name: "rct-fuzz",
    dependencies: [
        .package(name: "rct", path: ".."),
    ],
    targets: [
        .executableTarget(name: "rct-fuzz", dependencies: [.product(name: "RCTReaders", package: "rct")]),
    ]
)
