import Foundation
import TestSupport

/// The built `panel-bench` executable (`PANEL_BENCH_BINARY` overrides its path), run as a whole process.
enum PanelBenchBinary {
    static let binary = ProductBinary(
        named: "panel-bench", override: "PANEL_BENCH_BINARY",
        // The package's own build folder (bench/.build), found from this source file.
        fallback: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/panel-bench"))

    static func run(_ arguments: [String]) throws -> RunResult { try binary.run(arguments) }

    /// A new empty temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL { try Fixtures.temporaryDirectory(label) }
}
