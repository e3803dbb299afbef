import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A running `rct serve` for end-to-end tests: started on port 0 (loopback), its address read from the
/// line it prints once bound, stopped with SIGTERM. Everything it prints is kept, to check that no national
/// number ever appears in it.
public final class ServerProcess: @unchecked Sendable {
    public let process: Process
    public let baseURL: String
    private let output: OutputBuffer

    final class OutputBuffer: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ s: String) { lock.lock(); text += s; lock.unlock() }
        var value: String { lock.lock(); defer { lock.unlock() }; return text }
    }

    /// Starts `rct serve ARGUMENTS --listen 127.0.0.1:0` and waits (at most `timeout` seconds) for it to listen.
    public init(_ arguments: [String], currentDirectory: URL? = nil, environment: [String: String] = [:], timeout: TimeInterval = 60) throws {
        let process = Process()
        process.executableURL = RCTBinary.url
        process.arguments = ["serve"] + arguments + ["--listen", "127.0.0.1:0"]
        process.currentDirectoryURL = currentDirectory ?? Fixtures.repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        let buffer = OutputBuffer()
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { buffer.append(String(decoding: data, as: UTF8.self)) }
        }
        try process.run()
        self.process = process
        self.output = buffer
        let deadline = Date().addingTimeInterval(timeout)
        var found: String?
        while Date() < deadline, process.isRunning {
            if let range = buffer.value.range(of: #"listening on (http://[0-9.]+:[0-9]+)"#, options: .regularExpression) {
                found = String(buffer.value[range].dropFirst("listening on ".count))
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw ServerError.didNotStart(output: buffer.value)
        }
        baseURL = found
    }

    public enum ServerError: Error, CustomStringConvertible {
        case didNotStart(output: String)
        public var description: String {
            switch self { case let .didNotStart(output): return "rct serve did not start: \(output)" }
        }
    }

    /// Everything the server printed so far.
    public var printed: String { output.value }

    /// Stops the server (SIGTERM, then SIGKILL after 10 seconds).
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// One HTTP exchange's answer.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: String

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    public func headers(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }

    /// The body as a JSON object.
    public var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]) ?? [:] }
}

/// A small HTTP client for the tests (loopback only; no redirect followed, no cookie kept).
public enum TestHTTP {
    public static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public static func send(_ method: String, _ url: String, headers: [String: String] = [:], body: String? = nil) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                          body: String(buffer: bytes))
    }

    /// A JSON body from a dictionary.
    public static func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }
}
