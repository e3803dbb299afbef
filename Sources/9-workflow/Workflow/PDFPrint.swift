import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `report.pdf` from `report.html` through headless chromium (`rct report --pdf`, `rct run --pdf`): the
/// same HTML, printed on A4 (the report's `@page` rule), tables kept whole (`break-inside: avoid`), the
/// figures as inline SVG (vectors), and a page number in the footer of every page.
///
/// Chromium's print ignores CSS page counters, so the page numbers come from the DevTools protocol's
/// `Page.printToPDF` (`displayHeaderFooter` with a footer template of `pageNumber` / `totalPages`),
/// spoken over `--remote-debugging-pipe`: JSON messages ended by a NUL byte on file descriptors 3 (to the
/// browser) and 4 (from it). No network, no port, no driver; a throwaway profile folder.
///
/// Chromium is found as `RCT_CHROMIUM`, else `chromium`, `chromium-browser` or `google-chrome` on `PATH`.
public enum PDFPrint {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The browser to print with, nil when none is installed.
    public static func chromium(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let given = environment["RCT_CHROMIUM"], !given.isEmpty {
            return FileManager.default.isExecutableFile(atPath: given) ? given : nil
        }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for dir in path where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
        }
        return nil
    }

    /// Prints `html` (a file) to `pdf`. Throws `WorkflowError.noChromium` when no browser is installed.
    public static func print(html: String, to pdf: String, timeout: TimeInterval = 90) throws {
        guard let browser = chromium() else { throw WorkflowError.noChromium(html: html) }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("rct-pdf-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let session = try BrowserPipe(browser: browser, arguments: [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--remote-debugging-pipe", "--user-data-dir=\(profile)", "about:blank"], timeout: timeout)
        defer { session.close() }
        let url = URL(fileURLWithPath: html).standardizedFileURL.absoluteString
        let target = try session.call("Target.createTarget", ["url": url])
        guard let targetId = target["targetId"] as? String else { throw Failure(reason: "chromium opened no page for \(html)") }
        let attached = try session.call("Target.attachToTarget", ["targetId": targetId, "flatten": true])
        guard let sessionId = attached["sessionId"] as? String else { throw Failure(reason: "chromium gave no session for \(html)") }
        // Wait for the page (a local file, no scripts): polled until the document is the report's (a new
        // target starts as about:blank) and loaded.
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let state = try session.call("Runtime.evaluate", ["expression": "location.href + ' ' + document.readyState", "returnByValue": true],
                                         session: sessionId)
            if ((state["result"] as? [String: Any])?["value"] as? String) == url + " complete" { break }
            guard Date() < deadline else { throw Failure(reason: "chromium did not finish loading \(html) in \(Int(timeout)) s") }
            usleep(100_000)
        }
        let footer = "<div style=\"font-size:8px;width:100%;text-align:center;color:#555;font-family:Helvetica,Arial,sans-serif\">"
            + "<span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></div>"
        let printed = try session.call("Page.printToPDF", [
            "printBackground": true, "preferCSSPageSize": true, "displayHeaderFooter": true,
            "headerTemplate": "<span></span>", "footerTemplate": footer,
        ], session: sessionId)
        guard let base64 = printed["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(reason: "chromium returned no PDF for \(html)")
        }
        try data.write(to: URL(fileURLWithPath: pdf), options: .atomic)
        _ = try? session.call("Browser.close", [:])
    }
}

/// A headless chromium spoken to over `--remote-debugging-pipe`.
final class BrowserPipe {
    let pid: pid_t
    let toBrowser: Int32
    let fromBrowser: Int32
    let timeout: TimeInterval
    var nextID = 1
    var buffer: [UInt8] = []

    init(browser: String, arguments: [String], timeout: TimeInterval) throws {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { throw PDFPrint.Failure(reason: "cannot make a pipe to chromium") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([browser] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child = pid_t()
        let status = posix_spawn(&child, browser, &actions, nil, argv, environ)
        Glibc.close(toChild[0])
        Glibc.close(fromChild[1])
        guard status == 0 else {
            Glibc.close(toChild[1])
            Glibc.close(fromChild[0])
            throw PDFPrint.Failure(reason: "cannot start \(browser) (error \(status))")
        }
        pid = child
        toBrowser = toChild[1]
        fromBrowser = fromChild[0]
        self.timeout = timeout
    }

    /// Sends one command and waits for its answer (events in between are skipped).
    func call(_ method: String, _ params: [String: Any], session: String? = nil) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
            guard n > 0 else { throw PDFPrint.Failure(reason: "chromium closed its pipe (\(method))") }
            written += n
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let data = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let reply = try JSONSerialization.jsonObject(with: data) as? [String: Any], reply["id"] as? Int == id else { continue }
                if let error = reply["error"] as? [String: Any] {
                    throw PDFPrint.Failure(reason: "chromium refused \(method): \(error["message"] as? String ?? "\(error)")")
                }
                return reply["result"] as? [String: Any] ?? [:]
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw PDFPrint.Failure(reason: "chromium did not answer \(method) in \(Int(timeout)) s") }
            var poller = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(left, 1) * 1000)) >= 0 else { continue }
            guard poller.revents != 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(fromBrowser, &chunk, chunk.count)
            guard n > 0 else { throw PDFPrint.Failure(reason: "chromium ended before answering \(method)") }
            buffer += chunk[..<n]
        }
    }

    /// Closes the pipes and waits for the browser (killing it after two seconds).
    func close() {
        Glibc.close(toBrowser)
        Glibc.close(fromBrowser)
        var status: Int32 = 0
        for _ in 0..<20 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }
}
