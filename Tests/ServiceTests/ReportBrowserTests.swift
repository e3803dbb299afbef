import Foundation
import TestSupport
import Testing

/// Issue 22, item 7: the bundled demo's report.html in a real browser (Debian's chromium driven by
/// selenium, Tests/drivers/browser_report.py) at 1300 and 800 px. The page's own geometry says that no
/// table overflows its box and no SVG text leaves its SVG or its CONSORT box. Full-page screenshots are
/// kept at .build/screenshots/report-1300.png and report-800.png.
@Suite struct ReportBrowserTests {
    @Test("the demo report's tables and figures fit at 1300 and 800 px in chromium", .enabled(if: BrowserTests.ready))
    func reportFitsInChromium() async throws {
        let root = try Fixtures.missionTrialCopy("report-browser")
        let run = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        #expect(run.status == 0, "\(run.stderr)")
        let folder = Fixtures.path(".build/screenshots")
        for w in [1300, 800] { try? FileManager.default.removeItem(atPath: "\(folder)/report-\(w).png") }
        let report = root.appendingPathComponent("out/publish/report.html").path
        let result = try await ToolPaths.run(ToolPaths.python!, [Fixtures.path("Tests/drivers/browser_report.py"), report, folder, "1300", "800"],
                                             timeout: 180)
        #expect(result.status == 0, "\(result.output)")
        let line = result.output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let measured = try #require((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: [String: Any]], "\(result.output)")
        for width in ["1300", "800"] {
            let m = try #require(measured[width], "no measurement at \(width) px")
            #expect(m["viewport"] as? Int == Int(width), "the page is \(m["viewport"] ?? "?") px wide, not \(width)")
            #expect((m["tables"] as? Int ?? 0) >= 5 && (m["boxes"] as? Int ?? 0) >= 7 && (m["texts"] as? Int ?? 0) > 50, "\(m)")
            let problems = m["problems"] as? [String] ?? ["no problems list"]
            #expect(problems.isEmpty, "at \(width) px: \(problems.joined(separator: "; "))")
            let shot = m["screenshot"] as? String ?? ""
            let size = (try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
            #expect(size > 50_000, "screenshot \(shot) missing")
            print("report browser test: \(width) px, \(m["tables"] ?? 0) tables, \(m["texts"] ?? 0) SVG texts, screenshot \(shot)")
        }
    }
}
