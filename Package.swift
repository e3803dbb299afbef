// swift-tools-version:6.0
// The RCT evaluation framework. The folders under Sources/ follow the pipeline:
// 0-base → 1-design → 2-assignment → 3-import → 4-store → 5-panel → 6-estimation → 7-analysis → 8-report,
// with 9-workflow (the steps as functions) and cli (the `rct` command) as shells over them.
// docs/architecture.md draws the modules and what each one owns.
import PackageDescription

let package = Package(
    name: "rct",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rct", targets: ["rct"]),
        // The modules as a library, for programs built on the framework (the benchmarks in bench/ among them).
        .library(name: "RCTKit", targets: [
            "Basics", "TrialData", "NumericCore", "TrialDesign", "Assignment", "Tabular", "Ingest", "TrialStore",
            "Panel", "Estimation", "Inference", "Robustness", "Analysis", "Reporting", "Simulation", "Workflow",
            "StatFiles", "PanelExport",
        ]),
        // Test helpers (fixtures, running a built executable), for the tests of packages built on this one
        // (the benchmarks' tests among them).
        .library(name: "RCTTestSupport", targets: ["TestSupport"]),
        // The modules that read outside input (designs, extracts in every dialect, assignment lists, the
        // store's record text), for the fuzz targets in fuzz/ (a smaller build than RCTKit's).
        .library(name: "RCTReaders", targets: ["Basics", "TrialData", "TrialDesign", "Assignment", "Tabular", "Ingest",
                                               "TrialStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The randomisation service (rct serve): PostgreSQL, HTTP, bcrypt, templates, and an HTTP client for
        // rct pull.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // MARK: 0 — base

        // GSL, the GNU Scientific Library, as a system library. Only NumericCore imports it.
        .systemLibrary(
            name: "CGSL",
            path: "Sources/0-base/CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // Matrices, least squares, eigen-decomposition, distributions and a seeded generator, on GSL.
        .target(name: "NumericCore", dependencies: ["CGSL"], path: "Sources/0-base/NumericCore"),
        // ReadStat (SPSS .sav and Stata .dta files) as a system library. ReadStat installs no pkg-config
        // file (Debian's libreadstat-dev neither), so there is no pkgConfig here (it would only print a
        // warning on every build): the module map links `readstat` and the header is found on the default
        // paths (/usr/include). Only StatFiles imports it.
        .systemLibrary(
            name: "CReadStat",
            path: "Sources/0-base/CReadStat",
            providers: [.apt(["libreadstat-dev"])]
        ),
        // SQLite's C interface (libsqlite3-dev, the library GRDB links too). Only TrialStore imports it, to
        // bind and step its bulk insert of registry records on a statement GRDB prepared.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/0-base/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // SPSS and Stata files read and written through ReadStat, as plain Swift values.
        .target(name: "StatFiles", dependencies: ["CReadStat", "Basics"], path: "Sources/0-base/StatFiles"),
        // Plain values every step shares: calendar dates, national numbers (INSZ), keyed pseudonyms.
        .target(name: "Basics", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
                path: "Sources/0-base/Basics"),
        // The values that flow between the steps: assigned units, registry records, survey responses,
        // scope exits.
        .target(name: "TrialData", dependencies: ["Basics"], path: "Sources/0-base/TrialData"),

        // MARK: 1 — design

        // The trial design: a validated value loaded from designs/*.yaml.
        // Its analysis section uses Estimation's estimator and variance types.
        .target(name: "TrialDesign", dependencies: ["Basics", "Estimation", .product(name: "Yams", package: "Yams")],
                path: "Sources/1-design/TrialDesign"),

        // MARK: 2 — assignment

        // Random assignment (batch and rolling), exact assignment probabilities, eligibility, capacity,
        // baseline balance. Plain values in and out; no files, no database.
        .target(name: "Assignment", dependencies: ["NumericCore", "TrialDesign", "TrialData", "Basics"],
                path: "Sources/2-assignment/Assignment"),

        // MARK: 3 — import

        // The streaming reader of delimited and fixed-width text, in bounded memory.
        .target(name: "Tabular", path: "Sources/3-import/Tabular"),
        // Import of registry and survey extracts: dialects, cell parsers, source mappings, national numbers
        // pseudonymised on arrival, rejections with row accounting, dialect sniffing.
        .target(name: "Ingest", dependencies: ["Tabular", "StatFiles", "TrialDesign", "Basics", "TrialData",
                                               .product(name: "Crypto", package: "swift-crypto")],
                path: "Sources/3-import/Ingest"),

        // MARK: 4 — store

        // The trial store: the only module that talks to SQLite (GRDB). Cohort (pseudonymised),
        // screening, hash-chained append-only assignment records, imports and their quarantine.
        .target(name: "TrialStore", dependencies: [
            "TrialDesign", "TrialData", "Basics", "CSQLite",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Sources/4-store/TrialStore"),
        // The enrolment side of the store (cohort, screening, hash-chained assignments, users, audit log) in
        // PostgreSQL (PostgresNIO), for a service shared by several sites; the same chain as TrialStore.
        .target(name: "PostgresStore", dependencies: [
            "TrialStore", "TrialDesign", "TrialData", "Basics",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ], path: "Sources/4-store/PostgresStore"),

        // MARK: 5 — panel

        // The analysis data set: follow-up windows per family, derivation rules, attrition, censoring,
        // CONSORT counts, and its writers (wide and long CSV, data dictionary, CONSORT JSON).
        .target(name: "Panel", dependencies: ["TrialDesign", "TrialData", "Basics", "Tabular"], path: "Sources/5-panel/Panel"),
        // The panel as Stata (panel.dta) and SPSS (panel.sav) files with the design's labels; kept out of Panel,
        // which stays free of C.
        .target(name: "PanelExport", dependencies: ["Panel", "StatFiles", "Tabular", "TrialDesign", "Basics"],
                path: "Sources/5-panel/PanelExport"),

        // MARK: 6 — estimation

        // Effect estimators (difference in means, OLS with HC/CR variances, Lin, 2SLS) in agreement
        // with R's estimatr; plain values in, tidy rows out.
        .target(name: "Estimation", dependencies: ["NumericCore"], path: "Sources/6-estimation/Estimation"),
        // Randomization inference, multiple testing, Lee bounds, power and design diagnosis.
        .target(name: "Inference", dependencies: ["NumericCore"], path: "Sources/6-estimation/Inference"),
        // Robustness of the ITT: differential attrition tests, subgroup heterogeneity (Wald tests with
        // HC2), dose–response among the treated (non-experimental). Builds on Estimation's least squares.
        .target(name: "Robustness", dependencies: ["Estimation", "NumericCore"], path: "Sources/6-estimation/Robustness"),

        // MARK: 7 — analysis

        // From the panel to results: effects for every outcome × wave with the design's estimator, arm
        // summaries, treatment received, randomization inference, family adjustments, balance, attrition,
        // CONSORT flow, as Reporting values. Plain values in and out: no files, no store.
        .target(name: "Analysis", dependencies: ["TrialDesign", "TrialData", "Panel", "Estimation", "Inference",
                                                 "Robustness", "Reporting", "Assignment"],
                path: "Sources/7-analysis/Analysis"),

        // MARK: 8 — report

        // Effect tables (CSV, Markdown, LaTeX, HTML), SVG figures, the HTML report, small-cell suppression.
        .target(name: "Reporting", dependencies: ["Tabular"], path: "Sources/8-report/Reporting"),

        // MARK: 9 — workflow

        // A seeded simulator of a complete raw data set for a design (cohort, surveys, registry extracts,
        // planted effects); it assigns with the project's own Assignment procedure.
        .target(name: "Simulation", dependencies: ["TrialDesign", "NumericCore", "Basics", "TrialData", "Tabular", "Ingest", "Assignment"],
                path: "Sources/9-workflow/Simulation"),

        // The steps of an evaluation as functions that return values (assignment, import, panel, report,
        // the whole run and its manifest, verification): the command line and the service are shells over it.
        .target(name: "Workflow", dependencies: ["TrialDesign", "Basics", "TrialData", "Tabular", "Ingest", "Assignment",
                                                 "TrialStore", "Panel", "PanelExport", "Analysis", "Reporting"],
                path: "Sources/9-workflow/Workflow"),

        // MARK: the service

        // rct serve: the central randomisation service (Hummingbird): the JSON API and its OpenAPI document,
        // the web pages (swift-mustache), sessions, roles and the audit log; a shell over Workflow.
        .target(name: "Service", dependencies: [
            "Workflow", "TrialStore", "PostgresStore", "TrialDesign", "Assignment", "Basics", "TrialData",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ], path: "Sources/service/Service"),

        // MARK: the command line

        // The command line: one file per subcommand.
        .executableTarget(
            name: "rct",
            dependencies: [
                "TrialDesign", "NumericCore", "Basics", "Tabular", "TrialData", "Reporting", "Estimation",
                "Panel", "Assignment", "TrialStore", "Inference", "Ingest", "Simulation", "Robustness",
                "Analysis", "Workflow", "PanelExport", "Service",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/cli/rct"
        ),

        // MARK: tests

        // Test helpers: fixture paths, running the built binary, grids.
        .target(name: "TestSupport", dependencies: [
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore", "TestSupport"]),
        .testTarget(name: "StatFilesTests", dependencies: ["StatFiles", "Basics", "TestSupport"]),
        .testTarget(name: "BasicsTests", dependencies: ["Basics", "TestSupport"]),
        .testTarget(name: "TrialDesignTests", dependencies: ["TrialDesign", "Basics", "TestSupport"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "TestSupport"]),
        .testTarget(name: "EstimationTests", dependencies: ["Estimation", "NumericCore", "Tabular", "TestSupport"]),
        .testTarget(name: "AssignmentTests", dependencies: ["Assignment", "NumericCore", "TrialDesign", "TrialData", "Basics", "Tabular", "TestSupport"]),
        .testTarget(name: "TrialStoreTests", dependencies: ["TrialStore", "TrialDesign", "TrialData", "Basics", "TestSupport",
                                                            .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "AssignmentEndToEndTests", dependencies: ["rct", "TrialStore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "NumericCore", "TestSupport"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Simulation", "Tabular", "TrialDesign", "Basics", "TrialData", "StatFiles",
                                                       "TestSupport"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Ingest", "TrialDesign", "Basics", "TrialData", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["rct", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "RobustnessTests", dependencies: ["rct", "Robustness", "Estimation", "Inference", "NumericCore", "Tabular", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Panel", "Reporting", "Estimation", "Robustness", "TrialDesign", "TrialData", "Basics", "TestSupport"]),
        .testTarget(name: "ImportEndToEndTests", dependencies: ["rct", "TrialStore", "TrialData", "TestSupport"]),
        .testTarget(name: "PanelTests", dependencies: ["Panel", "TrialDesign", "TrialData", "Basics", "TestSupport"]),
        .testTarget(name: "PanelExportTests", dependencies: ["PanelExport", "Panel", "StatFiles", "TrialDesign", "TrialData", "TestSupport"]),
        .testTarget(name: "TrialDataTests", dependencies: ["TrialData", "Basics", "TestSupport"]),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "Ingest", "TrialStore", "TrialDesign", "TestSupport"]),
        .testTarget(name: "EnrolmentStoreTests", dependencies: ["TrialStore", "PostgresStore", "Workflow", "Service", "TrialDesign",
                                                                "TrialData", "Basics", "TestSupport",
                                                                .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ServiceTests", dependencies: ["rct", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
