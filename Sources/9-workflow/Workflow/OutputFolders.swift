import Foundation

/// The layout of an output folder: what may be published apart from what may not.
///
/// - `publish/`: the report, tables and figures, every count through the design's small-cell policy
///   (primary and secondary suppression) and `counts.json`, the published counts with their sums, which
///   `rct disclosure-check` audits;
/// - `internal/`: unit-level data and raw counts (the panel with `consort.json`, rejected rows), with a
///   `NOTICE.md` that says they are not for publication;
/// - `manifest.json` at the top: fingerprints of what the run was made from (no counts).
public enum OutputFolders {
    public static let publish = "publish"
    public static let `internal` = "internal"
    public static let notice = "NOTICE.md"

    /// `out/publish`.
    public static func publish(_ out: String) -> String { (out as NSString).appendingPathComponent(publish) }
    /// `out/internal`.
    public static func `internal`(_ out: String) -> String { (out as NSString).appendingPathComponent(`internal`) }

    static let noticeText = """
        # Internal: not for publication

        The files in this folder hold unit-level data (the panel, one row per family and wave) and raw counts
        (`panel/consort.json`: every CONSORT count, also those below the design's small-cell threshold, and the
        rejected rows of each import). They are for the analysts of the trial. Do not publish, send or attach them.

        What may be published is in `../publish/`: the report, the tables and the figures, with small cells
        suppressed and no suppressed count recoverable by adding or subtracting (check it with
        `rct disclosure-check ../publish`).

        """

    /// Writes `out/internal/NOTICE.md` (the folder created when missing).
    public static func writeNotice(out: String) throws {
        let dir = `internal`(out)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try OutputFile.write(noticeText, to: (dir as NSString).appendingPathComponent(notice))
    }
}
