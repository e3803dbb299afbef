import Basics
import Foundation

/// `rct run --pdf`: `report.pdf` is printed again only when it is not the print of the current
/// `report.html`. The run's manifest records the SHA-256 of the HTML a PDF was printed from and of that
/// PDF (`RunManifest.pdf`); when both still match the files, the PDF is up to date and chromium is not
/// started (a print takes seconds and rewrites a file a council's agenda may already link to).
///
/// Digests rather than modification times: a run that rewrites the same HTML (nothing changed but the
/// clock) keeps its PDF, and a PDF replaced by hand is printed again.
public enum ReportPDF {
    public enum Outcome: Sendable, Equatable {
        case printed(pdf: String)
        case upToDate(pdf: String)
    }

    /// Prints `report.pdf` beside `report` with `print` (headless chromium by default) unless the
    /// manifest at `manifest` says it is the print of this very HTML; records the print in the manifest
    /// (when there is one).
    public static func refresh(report: String, manifest: String,
                               print: (_ html: String, _ pdf: String) throws -> Void = { try PDFPrint.print(html: $0, to: $1) }) throws -> Outcome {
        let pdf = ((report as NSString).deletingLastPathComponent as NSString).appendingPathComponent("report.pdf")
        let html = try Fingerprint.sha256(file: report)
        var recorded = RunManifest.read(path: manifest)
        if let printed = recorded?.pdf, printed.html == html, (try? Fingerprint.sha256(file: pdf)) == printed.pdf {
            return .upToDate(pdf: pdf)
        }
        try print(report, pdf)
        if recorded != nil {
            recorded!.pdf = RunManifest.PrintedPDF(html: html, pdf: try Fingerprint.sha256(file: pdf))
            try recorded!.write(path: manifest)
        }
        return .printed(pdf: pdf)
    }
}
