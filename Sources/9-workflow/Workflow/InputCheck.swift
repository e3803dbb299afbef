import Foundation
import Ingest
import TrialDesign

/// Every input a design names, looked at before anything is drawn or stored: each source's file exists,
/// opens in its declared dialect and has the columns the design maps; the pseudonymisation key is there
/// when a source holds national numbers. `rct validate` reports the problems; `rct run` stops on them
/// before its assignment step, so no assignment is stored by a run that then fails on an input.
public enum InputCheck {
    /// One input that cannot be used, with the source and the design line to look at.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var source: String?
        public var path: String?
        public var designLine: Int?
        public var message: String

        public var description: String {
            var lead = [String]()
            if let source { lead.append("source \(source)") }
            if let designLine { lead.append("design line \(designLine)") }
            return (lead.isEmpty ? "" : lead.joined(separator: ", ") + ": ") + message
        }
    }

    /// The problems of every source's input, in the design's order (empty when all can be read).
    public static func problems(_ file: DesignFile) -> [Problem] {
        var out: [Problem] = []
        for source in file.design.sources {
            let path = file.path(of: source)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                out.append(Problem(source: source.id, path: path, designLine: source.fileLine,
                                   message: "\(path) does not exist (`file: \(source.file)`, relative to the design's folder \(file.directory))"))
                continue
            }
            do { try SourceProbe.check(path: path, display: path, source: source) } catch let e as ImportError {
                let line: Int?
                if case .dialectMismatch = e { line = source.dialectLine } else { line = source.fileLine }
                out.append(Problem(source: source.id, path: path, designLine: line, message: e.description))
            } catch {
                out.append(Problem(source: source.id, path: path, designLine: source.fileLine, message: "\(path): \(error)"))
            }
        }
        if file.design.sources.contains(where: { $0.identifierType == .insz }) {
            do { _ = try file.pseudonymizerForSources() } catch {
                out.append(Problem(source: nil, path: nil, designLine: nil, message: "\(error)"))
            }
        }
        return out
    }

    /// - Throws: `WorkflowError.unusableInputs` with every problem, when there is one; `consequence` says
    ///   what the caller did not do because of them.
    public static func require(_ file: DesignFile, consequence: String? = nil) throws {
        let found = problems(file)
        if !found.isEmpty { throw WorkflowError.unusableInputs(design: file.path, problems: found, consequence: consequence) }
    }
}
