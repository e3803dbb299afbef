// swift-tools-version:6.0
// The benchmarks of rct: a package of their own, outside the product, on the root package's library
// (RCTKit). bench/README.md says how to run them; `make -C bench build` builds them in release mode into
// bench/.build, and the root `make test` also runs the tests here.
import PackageDescription

let package = Package(
    name: "rct-bench",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "rct", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The panel task of `make bench`: the harness's three files through Tabular's reader and
        // Panel.derive, the peers' CSV and one JSON line (bench/README.md, task 4).
        .executableTarget(name: "panel-bench", dependencies: [
            .product(name: "RCTKit", package: "rct"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The import task of `make bench` and bench/ingest/run.sh: writes a large VDAB month-status
        // extract and streams it through the importer.
        .executableTarget(name: "import-bench", dependencies: [
            .product(name: "RCTKit", package: "rct"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Panel.derive alone on synthetic records made in memory (bench/panel/run.sh).
        .executableTarget(name: "panel-derive", dependencies: [.product(name: "RCTKit", package: "rct")]),

        // panel-bench run end to end on hand-checked files.
        .testTarget(name: "PanelBenchTests", dependencies: ["panel-bench", .product(name: "RCTTestSupport", package: "rct")]),
    ],
    swiftLanguageModes: [.v6]
)
