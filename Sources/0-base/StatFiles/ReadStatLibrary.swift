import Foundation

/// The ReadStat library rct is linked against, for provenance (`rct inspect`, the panel's notes).
public enum ReadStatLibrary {
    /// The version, read from the name of the shared library the process has loaded
    /// (`libreadstat.so.1.1.8` → `1.1.8`, found in `/proc/self/maps`): ReadStat's header declares no
    /// version. Nil where that does not tell (not Linux, a static build, a library named without it).
    public static let version: String? = {
        // /proc files report a size of 0: read to the end rather than by size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return nil }
        defer { try? handle.close() }
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/"), line.contains("libreadstat") else { continue }
            let file = URL(fileURLWithPath: String(line[slash...])).resolvingSymlinksInPath().lastPathComponent
            guard let range = file.range(of: ".so.") else { continue }
            let version = String(file[range.upperBound...])
            if version.split(separator: ".").count >= 2 && version.allSatisfy({ $0.isNumber || $0 == "." }) { return version }
        }
        return nil
    }()

    /// `ReadStat 1.1.8`, or `ReadStat` when the version is not known.
    public static var name: String { version.map { "ReadStat \($0)" } ?? "ReadStat" }
}
