import Foundation
import TestSupport
import Testing

/// The web page in a real browser: Debian's chromium driven by selenium (Tests/drivers/browser_enrol.py)
/// logs in, fills the enrolment form and reads the allocation; the screenshot of the allocation is kept at
/// .build/artifacts/browser-allocation.png.
@Suite struct BrowserTests {
    static var ready: Bool { ToolPaths.chromium && ToolPaths.has("selenium") }

    @Test func toolsArePresentUnderCI() {
        #expect(!ToolPaths.inCI || Self.ready, "CI must install chromium, chromium-driver and selenium (.ci/run)")
        if !Self.ready { print("note: browser test skipped: chromium, chromium-driver or selenium (RCT_TEST_PYTHON) missing") }
    }

    @Test("log in, fill the form, read the allocation in chromium", .enabled(if: BrowserTests.ready))
    func enrolInChromium() async throws {
        let trial = try await ServedTrial(.sqlite, label: "browser")
        defer { trial.stop() }
        let index = try APITests.eligible(1)[0]
        var (id, fields) = try ServedTrial.family(index)
        fields["family_id"] = id
        let fieldsJSON = TestHTTP.json(fields)
        let screenshot = Fixtures.path(".build/artifacts/browser-allocation.png")
        try? FileManager.default.removeItem(atPath: screenshot)
        let run = try await ToolPaths.run(ToolPaths.python!, [Fixtures.path("Tests/drivers/browser_enrol.py"), trial.server.baseURL, "enroller1",
                                                        ServedTrial.password, fieldsJSON, screenshot], timeout: 180)
        #expect(run.status == 0, "\(run.output)")
        let line = run.output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let shown = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        let record = try await trial.call("GET", "/api/v1/enrolments/\(id)", as: "manager")
        let arm = try #require(record.json["arm"] as? String)
        let label = arm == "control" ? "Usual services (\"nothing changes\")" : "Outreaching case manager"
        #expect(shown["arm"] as? String == label, "\(run.output)")
        #expect(shown["family"] as? String == id)
        #expect(shown["heading"] as? String == "Toewijzing", "the browser asks for Dutch: \(run.output)")
        #expect((record.json["record_hash"] as? String)?.hasPrefix(shown["hash"] as? String ?? "-") == true)
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "the screenshot \(screenshot) was not written")
        print("browser test: \(id) allocated to \(arm) in chromium; screenshot \(screenshot)")
    }
}
