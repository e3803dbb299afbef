import Foundation

/// Paths of the repository, its fixtures and the built `rct` binary, for tests.
public enum Fixtures {
    /// The repository root (the folder that holds Package.swift), found from this source file.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("cannot find the repository root from \(#filePath)")
    }()

    public static func path(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent(relative).path
    }

    public static func contents(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// A new empty temporary directory.
    public static func temporaryDirectory(_ label: String = "rct-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A copy of the bundled trial (designs/mission-kortrijk.yaml and fixtures/mission/) in a new
    /// temporary folder, laid out as in the repository; `edit` may change the design's text first.
    public static func missionTrialCopy(_ label: String, edit: (String) -> String = { $0 }) throws -> URL {
        let root = try temporaryDirectory(label)
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("designs"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("fixtures"), withIntermediateDirectories: true)
        try fm.copyItem(atPath: path("fixtures/mission"), toPath: root.appendingPathComponent("fixtures/mission").path)
        let design = edit(try contents("designs/mission-kortrijk.yaml"))
        try design.write(to: root.appendingPathComponent("designs/mission-kortrijk.yaml"), atomically: true, encoding: .utf8)
        return root
    }

    /// A copy of the bundled cluster-randomised example (designs/caseworkers-cluster.yaml and
    /// fixtures/caseworkers/) in a new temporary folder, laid out as in the repository; `edit` may change
    /// the design's text first.
    public static func caseworkersTrialCopy(_ label: String, edit: (String) -> String = { $0 }) throws -> URL {
        let root = try temporaryDirectory(label)
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("designs"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("fixtures"), withIntermediateDirectories: true)
        try fm.copyItem(atPath: path("fixtures/caseworkers"), toPath: root.appendingPathComponent("fixtures/caseworkers").path)
        let design = edit(try contents("designs/caseworkers-cluster.yaml"))
        try design.write(to: root.appendingPathComponent("designs/caseworkers-cluster.yaml"), atomically: true, encoding: .utf8)
        return root
    }
}
