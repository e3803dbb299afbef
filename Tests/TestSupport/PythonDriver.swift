import Foundation

/// Runs a Python script as a test driver: an independent program that reads what rct wrote (pyreadstat
/// reading a `.dta` or `.sav` file) and prints it as JSON. Never used for statistics. `make test` and
/// `.ci/run` install pyreadstat; without it the test fails and says how to install it.
public enum PythonDriver {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The script's standard output, parsed as JSON.
    public static func json(_ script: String, arguments: [String]) throws -> Any {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw Failure(description: "cannot run python3 (\(error)); install Python 3 and pyreadstat 1.3.8") }
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
        let stderr = String(decoding: errData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            if stderr.contains("No module named") {
                throw Failure(description: "pyreadstat or pandas is not installed: python3 -m pip install pyreadstat==1.3.8 \"pandas~=2.2\" (make test installs them)")
            }
            throw Failure(description: "the Python driver failed: \(stderr)")
        }
        return try JSONSerialization.jsonObject(with: outData)
    }
}
