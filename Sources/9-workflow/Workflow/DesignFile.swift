import Basics
import Foundation
import Ingest
import TrialDesign

/// A design as a file: the validated design, the path it was loaded from, its bytes (whose SHA-256 the
/// trial store keeps) and the folder every path in it is relative to. The one place that resolves a
/// design's paths: source files, the key file, the default store and output folder.
public struct DesignFile: Sendable {
    /// The path as given (on the command line, or by the caller).
    public let path: String
    public let design: Design
    /// The file's bytes, as loaded.
    public let data: Data

    public init(path: String, design: Design, data: Data) {
        self.path = path
        self.design = design
        self.data = data
    }

    /// Loads and validates the design at `path`, its sources included (`SourceSchema`: fields, codes,
    /// vocabularies and rules of each source kind).
    /// - Throws: `DesignError` with every problem (line, column, key); `WorkflowError.unreadableDesign`.
    public static func load(_ path: String) throws -> DesignFile {
        let design = try Design.load(path: path, checks: [SourceSchema.check])
        guard let data = FileManager.default.contents(atPath: path) else { throw WorkflowError.unreadableDesign(path: path) }
        return DesignFile(path: path, design: design, data: data)
    }

    /// SHA-256 of the design file.
    public var fingerprint: String { Fingerprint.sha256(data) }

    /// The design's folder (`.` for a design in the current folder).
    public var directory: String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// A path from the design, relative to the design's folder (an absolute path as it is), written as
    /// short as it can be without consulting the file system: `designs/../fixtures/mission/cohort.csv`
    /// becomes `fixtures/mission/cohort.csv`.
    public func resolve(_ file: String) -> String {
        if file.hasPrefix("/") { return file }
        var parts: [String] = []
        let joined = directory == "." ? file : directory + "/" + file
        for part in joined.split(separator: "/").map(String.init) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        let resolved = (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
        return resolved.isEmpty ? "." : resolved
    }

    /// The file of a source, resolved.
    public func path(of source: Source) -> String { resolve(source.file) }

    /// Beside the design: `designs/NAME.yaml` → `designs/NAME.sqlite`.
    public var defaultStorePath: String { (path as NSString).deletingPathExtension + ".sqlite" }

    /// `out/NAME` in the current folder, NAME the design file's name without its extension.
    public var defaultOutput: String { "out/" + ((path as NSString).lastPathComponent as NSString).deletingPathExtension }

    /// The first source of a kind, if the design declares one.
    public func source(ofKind kind: SourceKind) -> Source? { design.sources.first { $0.kind == kind } }

    /// The pseudonymisation key the design names: the environment variable when it is set, otherwise the
    /// key file (relative to the design's folder).
    /// - Throws: `WorkflowError.noPseudonymisation` when the design names no key; `Pseudonymizer.KeyError`.
    public func pseudonymizer() throws -> Pseudonymizer {
        guard let p = design.pseudonymisation else { throw WorkflowError.noPseudonymisation(design: path) }
        if let name = p.keyEnvironment, let value = ProcessInfo.processInfo.environment[name], !value.isEmpty {
            return try Pseudonymizer(environmentVariable: name)
        }
        if let file = p.keyFile { return try Pseudonymizer(keyFile: resolve(file)) }
        throw Pseudonymizer.KeyError.missingEnvironment(p.keyEnvironment ?? "?")
    }

    /// Where the key `pseudonymizer()` reads comes from, for messages: `the environment variable NAME` when
    /// it is set, otherwise `the key file PATH`; nil when the design names no key.
    public var keySource: String? {
        guard let p = design.pseudonymisation else { return nil }
        if let name = p.keyEnvironment, let value = ProcessInfo.processInfo.environment[name], !value.isEmpty {
            return "the environment variable \(name)"
        }
        return p.keyFile.map { "the key file \(resolve($0))" }
    }

    /// A warning when the design's key file can be read by other users than its owner (group or world
    /// permissions); nil otherwise, or when the key comes from the environment.
    public func keyFileWarning() -> String? {
        guard let p = design.pseudonymisation, let file = p.keyFile else { return nil }
        if let name = p.keyEnvironment, let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return nil }
        return Self.keyFileWarning(path: resolve(file))
    }

    /// A warning when the key file at `path` can be read by other users than its owner; nil otherwise.
    public static func keyFileWarning(path: String) -> String? {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
              mode & 0o077 != 0 else { return nil }
        return "the pseudonymisation key \(path) can be read by other users (permissions \(String(mode & 0o777, radix: 8))): "
            + "anyone who can read it can link pseudonyms back to national numbers; restrict it with chmod 600 \(path)"
    }

    /// The key, for sources that hold national numbers: a missing key becomes
    /// `WorkflowError.keyNeededForSources`, which says where to put it.
    public func pseudonymizerForSources() throws -> Pseudonymizer {
        do { return try pseudonymizer() } catch let error as Pseudonymizer.KeyError {
            throw WorkflowError.keyNeededForSources(design: path, reason: error.description,
                                                    environment: design.pseudonymisation?.keyEnvironment)
        }
    }

    /// The command that assigns the design's families: `rct import-assignment` when the design declares
    /// an assignment list made elsewhere, `rct assign` (or `rct enrol`) otherwise.
    public func howToAssign(storePath: String) -> String {
        if source(ofKind: .assignment) != nil {
            return "`rct import-assignment \(path) --store \(storePath)` (the design declares an assignment list)"
        }
        return "`rct assign \(path) --cohort COHORT --store \(storePath)` (or `rct enrol`)"
    }
}
