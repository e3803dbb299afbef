import Foundation
import Testing
import TestSupport

/// Issue 22, item 8: `rct report --pdf` prints report.pdf from report.html through headless chromium, and
/// says how to install chromium when there is none.
@Suite struct PDFReportTests {
    static var chromium: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") }
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } == true }

    @Test func chromiumIsPresentUnderCI() {
        #expect(!Self.inCI || Self.chromium, "CI must install chromium (.ci/run)")
        if !Self.chromium { print("note: PDF test skipped: /usr/bin/chromium missing (apt-get install chromium)") }
    }

    @Test("rct report --pdf writes an A4 PDF with page numbers", .enabled(if: PDFReportTests.chromium))
    func reportPrintsAPDF() throws {
        let (root, first, _) = RunCommandTests.shared
        #expect(first.status == 0, "\(first.stderr)")
        let r = try RCTBinary.run(["report", "designs/mission-kortrijk.yaml", "--out", "pdf", "--pdf"], currentDirectory: root,
                                  environment: ["RCT_CHROMIUM": "/usr/bin/chromium"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("PDF written to pdf/publish/report.pdf"), "\(r.stdout)")
        let pdf = try Data(contentsOf: root.appendingPathComponent("pdf/publish/report.pdf"))
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let text = String(decoding: pdf, as: UTF8.self)
        // Page objects (not the /Pages tree): the report runs over several A4 pages (595 × 842 points).
        let pages = text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages >= 2, "pages: \(pages)")
        #expect(text.contains("/MediaBox [0 0 594.95996 841.91998]") || text.contains("/MediaBox [0 0 595 842]"), "A4 pages")
        print("PDF test: \(pages) pages, \(pdf.count) bytes, \(root.appendingPathComponent("pdf/publish/report.pdf").path)")
    }

    /// Issue 22: `rct run --pdf` reprinted report.pdf on every call. Now the manifest records the digest of
    /// the HTML it was printed from: a second call says the PDF is up to date and starts no browser (it
    /// passes without chromium on PATH); a PDF replaced by hand is printed again.
    @Test("rct run --pdf prints only when report.html changed", .enabled(if: PDFReportTests.chromium))
    func runPrintsThePDFOnlyWhenTheReportChanged() throws {
        let root = try RunCommandTests.trialCopy("rct-run-pdf")
        let chromium = ["RCT_CHROMIUM": "/usr/bin/chromium"]
        let args = ["run", "designs/mission-kortrijk.yaml", "--out", "out", "--pdf"]
        let first = try RCTBinary.run(args, currentDirectory: root, environment: chromium)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasSuffix("report: out/publish/report.html\nPDF: out/publish/report.pdf\n"), "\(first.stdout)")
        let pdfURL = root.appendingPathComponent("out/publish/report.pdf")
        let printed = try Data(contentsOf: pdfURL)
        #expect(printed.starts(with: Array("%PDF-".utf8)))
        let stamp = try FileManager.default.attributesOfItem(atPath: pdfURL.path)[.modificationDate] as? Date
        let manifest = try String(contentsOf: root.appendingPathComponent("out/manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"pdf\" : {"), "\(manifest)")

        let second = try RCTBinary.run(args, currentDirectory: root, environment: ["PATH": "/nonexistent", "RCT_CHROMIUM": ""])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == "up to date: out/publish/report.html\nPDF up to date: out/publish/report.pdf (printed from the same report.html)\n",
                "\(second.stdout)")
        #expect(!second.stderr.contains("pdf: printing"))
        #expect(try FileManager.default.attributesOfItem(atPath: pdfURL.path)[.modificationDate] as? Date == stamp)
        #expect(try Data(contentsOf: pdfURL) == printed)

        try Data("not a pdf".utf8).write(to: pdfURL)
        let third = try RCTBinary.run(args, currentDirectory: root, environment: chromium)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.hasSuffix("PDF: out/publish/report.pdf\n") && third.stderr.contains("pdf: printing"), "\(third.stdout)")
        #expect(try Data(contentsOf: pdfURL).starts(with: Array("%PDF-".utf8)))
    }

    @Test func withoutChromiumTheErrorSaysHowToInstallIt() throws {
        let (root, first, _) = RunCommandTests.shared
        #expect(first.status == 0, "\(first.stderr)")
        let r = try RCTBinary.run(["report", "designs/mission-kortrijk.yaml", "--out", "nopdf", "--pdf"], currentDirectory: root,
                                  environment: ["PATH": "/nonexistent", "RCT_CHROMIUM": ""])
        #expect(r.status != 0)
        #expect(r.stderr.contains("error: cannot print report.pdf: chromium is not installed"), "\(r.stderr)")
        #expect(r.stderr.contains("sudo apt-get install chromium") && r.stderr.contains("the HTML report is written: nopdf/publish/report.html"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("nopdf/publish/report.html").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("nopdf/publish/report.pdf").path))
    }
}
