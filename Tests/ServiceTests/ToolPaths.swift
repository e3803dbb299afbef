import Foundation
import TestSupport

/// The outside tools of the browser and schemathesis tests: a Python with selenium and schemathesis
/// (`RCT_TEST_PYTHON`, set by .ci/run to the virtual environment it makes in .build/python), Debian's
/// chromium and chromium-driver. Without them a developer's run skips these tests with a note; under CI
/// their absence is a failure.
enum ToolPaths {
    static var python: String? {
        let candidates = [ProcessInfo.processInfo.environment["RCT_TEST_PYTHON"],
                          Fixtures.path(".build/python/bin/python")].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func has(_ module: String) -> Bool {
        guard let python else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static var chromium: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    }

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } == true }

    /// Runs a program to its end, killing it after `timeout` seconds. It waits with `Task.sleep`, not by
    /// blocking a thread: the tests run in parallel on a cooperative pool as small as the machine's cores,
    /// and a minute of schemathesis on a blocked thread would stall the load test's clients.
    static func run(_ program: String, _ arguments: [String], timeout: TimeInterval = 600,
                    environment: [String: String] = [:], directory: URL? = nil) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = directory ?? Fixtures.repositoryRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        final class Buffer: @unchecked Sendable {
            let lock = NSLock()
            var data = Data()
            func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
            var value: Data { lock.withLock { data } }
        }
        let buffer = Buffer()
        out.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            buffer.append(chunk)
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        buffer.append(rest)
        let data = buffer.value
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
