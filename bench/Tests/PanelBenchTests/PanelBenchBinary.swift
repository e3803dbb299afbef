import Foundation

/// What one run of the built `panel-bench` executable printed and how it exited.
struct RunResult: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the built `panel-bench` executable. It is looked up next to the test bundle (SwiftPM puts both in
/// the same products folder, and builds the executable first because this test target depends on it);
/// `PANEL_BENCH_BINARY` overrides the path.
enum PanelBenchBinary {
    static let url: URL = {
        if let override = ProcessInfo.processInfo.environment["PANEL_BENCH_BINARY"] { return URL(fileURLWithPath: override) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // On Linux the test runner is `<products>/rct-benchPackageTests.xctest`; on macOS it sits inside a bundle.
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent("panel-bench")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        // The package's own build folder (bench/.build), found from this source file.
        let bench = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return bench.appendingPathComponent(".build/debug/panel-bench")
    }()

    static func run(_ arguments: [String]) throws -> RunResult {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so a large output cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A new empty temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
