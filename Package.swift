// swift-tools-version:6.0
// The RCT evaluation framework: design → assignment → import → panel → estimation → report.
import PackageDescription

let package = Package(
    name: "rct",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rct", targets: ["rct"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // GSL, the GNU Scientific Library, as a system library. Only NumericCore imports it.
        .systemLibrary(
            name: "CGSL",
            path: "Sources/CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // Matrices, least squares, eigen-decomposition, distributions and a seeded generator, on GSL.
        .target(name: "NumericCore", dependencies: ["CGSL"]),
        // The trial design: a validated value loaded from designs/*.yaml.
        .target(name: "TrialDesign", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Tables of text cells read from delimited files; the dialect-aware importers build on it.
        .target(name: "Tabular"),
        // National numbers (INSZ) and keyed pseudonyms, shared by assignment and import.
        .target(name: "Identifiers", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The plain values that flow between the pipeline's steps (assigned units, registry records,
        // survey responses).
        .target(name: "Records", dependencies: ["TrialDesign"]),
        // Effect tables (CSV, Markdown, LaTeX, HTML), SVG figures, the HTML report, small-cell suppression.
        .target(name: "Reporting"),
        // Effect estimators (difference in means, OLS with HC/CR variances, Lin, 2SLS) in agreement
        // with R's estimatr; plain values in, tidy rows out.
        .target(name: "Estimation", dependencies: ["NumericCore"]),
        // The analysis data set: follow-up windows per family, derivation rules, attrition, censoring,
        // CONSORT counts, and its writers (wide and long CSV, data dictionary, CONSORT JSON).
        .target(name: "Panel", dependencies: ["TrialDesign", "Records"]),
        // Random assignment (batch and rolling), exact assignment probabilities, eligibility, capacity,
        // baseline balance. Plain values in and out; no files, no database.
        .target(name: "Assignment", dependencies: ["NumericCore", "TrialDesign", "Records", "Identifiers"]),
        // The trial store: the only module that talks to SQLite (GRDB). Cohort (pseudonymised),
        // screening, hash-chained append-only assignment records.
        .target(name: "TrialStore", dependencies: [
            "TrialDesign", "Records",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Randomization inference, multiple testing, Lee bounds, power and design diagnosis.
        .target(name: "Inference", dependencies: ["NumericCore"]),
        // Import of registry and survey extracts: dialects, cell parsers, source mappings, national numbers
        // pseudonymised on arrival, rejections with row accounting, dialect sniffing.
        .target(
            name: "Ingest",
            dependencies: ["Tabular", "TrialDesign", "Identifiers", "Records",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Robustness of the ITT: differential attrition tests, subgroup heterogeneity (Wald tests with
        // HC2), dose–response among the treated (non-experimental). Builds on Estimation's least squares.
        .target(name: "Robustness", dependencies: ["Estimation", "NumericCore"]),
        // A seeded simulator of a complete raw data set for a design (cohort, surveys, registry extracts,
        // planted effects); it assigns with the project's own Assignment procedure.
        .target(name: "Simulation", dependencies: ["TrialDesign", "NumericCore", "Identifiers", "Records", "Tabular", "Assignment"]),
        // From the panel to results: effects for every outcome × wave with the design's estimator, arm
        // summaries, treatment received, randomization inference, family adjustments, balance, attrition,
        // CONSORT flow, as Reporting values. Plain values in and out: no files, no store.
        .target(name: "Pipeline", dependencies: ["TrialDesign", "Records", "Panel", "Estimation", "Inference", "Robustness", "Reporting", "Assignment"]),
        // The command line: one file per subcommand.
        .executableTarget(
            name: "rct",
            dependencies: [
                "TrialDesign", "NumericCore", "Identifiers", "Tabular", "Records", "Reporting", "Estimation",
                "Panel", "Assignment", "TrialStore", "Inference", "Ingest", "Simulation", "Robustness",
                "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Test helpers: fixture paths, running the built binary, grids.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore", "TestSupport"]),
        .testTarget(name: "TrialDesignTests", dependencies: ["TrialDesign", "TestSupport"]),
        .testTarget(name: "IdentifiersTests", dependencies: ["Identifiers", "TestSupport"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "TestSupport"]),
        .testTarget(name: "EstimationTests", dependencies: ["Estimation", "NumericCore", "Tabular", "TestSupport"]),
        .testTarget(name: "AssignmentTests", dependencies: ["Assignment", "NumericCore", "TrialDesign", "Identifiers", "Tabular", "TestSupport"]),
        .testTarget(name: "TrialStoreTests", dependencies: ["TrialStore", "TrialDesign", "Records", "TestSupport",
                                                            .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "AssignmentEndToEndTests", dependencies: ["rct", "TrialStore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "NumericCore", "TestSupport"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Simulation", "Tabular", "TrialDesign", "Identifiers", "Records", "TestSupport"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Ingest", "TrialDesign", "Identifiers", "Records", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["rct", "TestSupport"]),
        .testTarget(name: "RobustnessTests", dependencies: ["rct", "Robustness", "Estimation", "Inference", "NumericCore", "Tabular", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Panel", "Reporting", "Estimation", "Robustness", "TrialDesign", "Records", "TestSupport"]),
        .testTarget(name: "ImportEndToEndTests", dependencies: ["rct", "TrialStore", "Records", "TestSupport"]),
        .testTarget(name: "PanelTests", dependencies: ["Panel", "TrialDesign", "Records", "TestSupport"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records", "TrialDesign"]),

        // Benchmarks: executables outside the product (run them with bench/*/run.sh, in release mode).
        .executableTarget(name: "panel-bench", dependencies: ["Panel", "TrialDesign", "Records"],
                          path: "bench/panel", exclude: ["run.sh"]),
    ],
    swiftLanguageModes: [.v6]
)
