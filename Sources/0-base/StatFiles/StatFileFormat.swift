import Foundation

/// The two binary data formats of statistics packages that rct reads and writes, through ReadStat: SPSS
/// system files (`.sav`, and `.zsav` compressed) and Stata data files (`.dta`, releases 104–119).
public enum StatFileFormat: String, Sendable, CaseIterable, Equatable, Codable {
    case spss
    case stata

    /// The package's name, for messages.
    public var name: String { self == .spss ? "SPSS" : "Stata" }
    /// The name with its article ("an SPSS", "a Stata").
    public var withArticle: String { self == .spss ? "an SPSS" : "a Stata" }

    /// The extension rct writes (`sav`, `dta`).
    public var fileExtension: String { self == .spss ? "sav" : "dta" }

    /// The format a file's first bytes show, nil when they show neither. An SPSS system file starts with
    /// `$FL2` (`$FL3` when zlib-compressed); a Stata file of release 117 or later (Stata 13 onwards) with
    /// `<stata_dta>`; an older one with its release byte (104–116), its byte order (1 big-endian,
    /// 2 little-endian), the file type 1 and a zero byte. A text file cannot start like either.
    public static func detect(_ head: [UInt8]) -> StatFileFormat? {
        if head.count >= 4, head[0] == 0x24, head[1] == 0x46, head[2] == 0x4C, head[3] == 0x32 || head[3] == 0x33 { return .spss }
        if head.starts(with: Array("<stata_dta>".utf8)) { return .stata }
        if head.count >= 4, (104...116).contains(head[0]), head[1] == 1 || head[1] == 2, head[2] == 1, head[3] == 0 { return .stata }
        return nil
    }

    /// The format of the file at `path` from its first bytes (`detect(_:)`); nil when it shows neither or
    /// cannot be read.
    public static func detect(path: String) -> StatFileFormat? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 16) else { return nil }
        return detect([UInt8](data))
    }

    /// The format a file's name promises (`.sav`, `.zsav`: SPSS; `.dta`: Stata), nil for other names.
    public static func named(_ path: String) -> StatFileFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "sav", "zsav": return .spss
        case "dta": return .stata
        default: return nil
        }
    }
}
