import Foundation

/// What one run of the built `rct` binary printed and how it exited.
public struct RunResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// A built executable of a package, run as a whole process: looked up next to the test bundle (SwiftPM
/// puts both in the same products folder, and builds the executables a test target depends on first),
/// else in `fallback`; an environment variable overrides the path.
public struct ProductBinary: Sendable {
    public let url: URL

    public init(named name: String, override: String, fallback: URL) {
        if let path = ProcessInfo.processInfo.environment[override] { url = URL(fileURLWithPath: path); return }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // On Linux the test runner is `<products>/<package>PackageTests.xctest`; on macOS it sits inside a bundle.
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { url = candidate; return }
            dir.deleteLastPathComponent()
        }
        url = fallback
    }

    /// Runs the executable with `arguments` (in `currentDirectory`, default the repository root), with
    /// `environment` added to the test's own and `stdin` as its standard input; reads standard output and
    /// error to the end.
    @discardableResult
    public func run(_ arguments: [String], currentDirectory: URL? = nil,
                    environment: [String: String]? = nil, stdin: String? = nil) throws -> RunResult {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = currentDirectory ?? Fixtures.repositoryRoot
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
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
}

/// Runs the built `rct` binary; `RCT_BINARY` overrides its path.
public enum RCTBinary {
    public static let binary = ProductBinary(named: "rct", override: "RCT_BINARY",
                                             fallback: Fixtures.repositoryRoot.appendingPathComponent(".build/debug/rct"))
    public static var url: URL { binary.url }

    @discardableResult
    public static func run(_ arguments: [String], currentDirectory: URL? = nil,
                           environment: [String: String]? = nil, stdin: String? = nil) throws -> RunResult {
        try binary.run(arguments, currentDirectory: currentDirectory, environment: environment, stdin: stdin)
    }
}
