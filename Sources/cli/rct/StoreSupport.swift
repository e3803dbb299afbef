import ArgumentParser
import Assignment
import Foundation
import Basics
import Tabular
import TrialDesign
import TrialStore

/// Shared steps of the commands that use a design, a cohort and a trial store.
enum StoreSupport {
    /// The command that assigns a design's families: `rct import-assignment` when the design declares an
    /// assignment list made elsewhere, `rct assign` (or `rct enrol`) otherwise.
    static func howToAssign(design: Design, designPath: String, storePath: String) -> String {
        if design.sources.contains(where: { $0.kind == .assignment }) {
            return "`rct import-assignment \(designPath) --store \(storePath)` (the design declares an assignment list)"
        }
        return "`rct assign --design \(designPath) --cohort COHORT --store \(storePath)` (or `rct enrol`)"
    }

    /// Loads and validates a design, returning it with the file's bytes (for the fingerprint).
    static func loadDesign(_ path: String) throws -> (Design, Data) {
        let design = try Design.load(path: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("\(path): cannot read the design file")
        }
        return (design, data)
    }

    /// Beside the design: `designs/NAME.yaml` → `designs/NAME.sqlite`.
    static func defaultStorePath(design path: String) -> String {
        (path as NSString).deletingPathExtension + ".sqlite"
    }

    /// The pseudonymisation key named by the design: the environment variable when it is set, otherwise
    /// the key file (relative to the design's folder).
    static func pseudonymizer(design: Design, designPath: String) throws -> Pseudonymizer {
        guard let p = design.pseudonymisation else {
            throw CommandFailure("\(designPath): the cohort holds national numbers but the design has no pseudonymisation "
                + "section (key_env or key_file)")
        }
        if let name = p.keyEnvironment, let value = ProcessInfo.processInfo.environment[name], !value.isEmpty {
            return try Pseudonymizer(environmentVariable: name)
        }
        if let file = p.keyFile {
            let folder = URL(fileURLWithPath: designPath).deletingLastPathComponent()
            let path = file.hasPrefix("/") ? file : folder.appendingPathComponent(file).standardizedFileURL.path
            return try Pseudonymizer(keyFile: path)
        }
        throw Pseudonymizer.KeyError.missingEnvironment(p.keyEnvironment ?? "?")
    }

    /// Reads a comma-separated cohort file (UTF-8, header line) into rows with their line numbers.
    static func readCohort(_ path: String) throws -> (header: [String], rows: [CohortRow]) {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("\(path): no such cohort file") }
        let table: Table
        do { table = try DelimitedReader(separator: ",").read(path: path) } catch let error as TableError {
            throw CommandFailure("\(path): \(error)")
        }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        if let duplicate = header.enumerated().first(where: { i, h in header[..<i].contains(h) }) {
            throw CommandFailure("\(path):1: the column \"\(duplicate.element)\" appears twice in the header")
        }
        let rows = zip(table.rows, table.lines).map { cells, line in
            CohortRow(line: line, fields: Dictionary(uniqueKeysWithValues: zip(header, cells)))
        }
        return (header, rows)
    }

    /// Earlier assignments of the store, in record order, for rolling replay.
    static func prior(_ records: [AssignmentRecord]) -> [PriorAssignment] {
        records.map {
            PriorAssignment(unitID: $0.entry.unitID, arm: $0.entry.arm, attributes: $0.attributes,
                            capacityStatus: CapacityStatus(rawValue: $0.entry.capacityStatus) ?? .notLimited,
                            caseManager: $0.entry.caseManager)
        }
    }

    static func screeningEntries(_ run: AssignmentRun) -> [ScreeningEntry] { screeningEntries(run.screened) }

    static func screeningEntries(_ screened: [ScreenedUnit]) -> [ScreeningEntry] {
        screened.map { s in
            switch s.outcome {
            case .eligible:
                return ScreeningEntry(unitID: s.unit.id, linkKey: s.unit.linkKey, line: s.unit.line,
                                      attributes: s.unit.attributes, eligible: true)
            case let .excluded(rule, reason):
                return ScreeningEntry(unitID: s.unit.id, linkKey: s.unit.linkKey, line: s.unit.line,
                                      attributes: s.unit.attributes, eligible: false, rule: rule, reason: reason)
            }
        }
    }

    static func assignmentEntries(_ run: AssignmentRun) throws -> [AssignmentEntry] {
        try run.assignments.map { a in
            guard let date = a.assignedOn else { throw CommandFailure("family \(a.unitID) has no enrolment date") }
            return AssignmentEntry(unitID: a.unitID, linkKey: a.linkKey, line: a.line, arm: a.arm, assignedOn: date,
                                   stratum: a.stratum, block: a.block, blockSize: a.blockSize, cluster: a.cluster,
                                   probability: a.probability, procedure: a.procedure, seed: a.seed, generator: a.generator,
                                   caseManager: a.caseManager, capacityStatus: a.capacityStatus.rawValue)
        }
    }

    /// The assignment file: one row per assigned family; identifiers are study codes or pseudonyms.
    static func assignmentCSV(_ assignments: [UnitAssignment]) -> String {
        var lines = ["unit_id,link_key,arm,probability,assigned_on,stratum,block,block_size,cluster,procedure,seed,generator,case_manager,capacity_status"]
        for a in assignments {
            let cells: [String?] = [a.unitID, a.linkKey, a.arm, String(describing: a.probability), a.assignedOn?.description,
                                    a.stratum, a.block, a.blockSize.map(String.init), a.cluster, a.procedure, String(a.seed),
                                    a.generator, a.caseManager, a.capacityStatus.rawValue]
            lines.append(cells.map { csvField($0 ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func write(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CommandFailure("\(path): cannot write the file (\(error.localizedDescription))")
        }
    }

    /// Refuses a family that already has an arm, naming it and its record.
    static func refuseAssigned(_ units: [CohortUnit], _ records: [AssignmentRecord]) throws {
        let assigned = Dictionary(records.map { ($0.entry.unitID, $0) }, uniquingKeysWith: { a, _ in a })
        if let unit = units.first(where: { assigned[$0.id] != nil }), let r = assigned[unit.id] {
            throw StoreError.alreadyAssigned(unit: unit.id, line: unit.line, arm: r.entry.arm,
                                             assignedOn: r.entry.assignedOn.description, record: r.seq)
        }
    }

    /// Refuses to draw here in a store that holds an assignment made elsewhere (`rct import-assignment`):
    /// nothing of the imported assignment can be replayed from the design's seed.
    static func refuseAfterImport(_ records: [AssignmentRecord]) throws {
        if let first = records.first(where: { $0.entry.isImported }) {
            throw CommandFailure("the store holds an assignment made elsewhere (\(records.filter(\.entry.isImported).count) imported "
                + "records, the first is record \(first.seq)); families are not drawn here after an imported assignment. Import the "
                + "further families' assignment too, or start a new store")
        }
    }

    /// "56 control, 56 intervention" in design order.
    static func countsByArm(_ arms: [String], _ assigned: [String]) -> String {
        arms.map { arm in "\(assigned.filter { $0 == arm }.count) \(arm)" }.joined(separator: ", ")
    }

    /// Runs a command body, turning known errors into one clear line on standard error and exit status 1.
    static func reporting(_ body: () throws -> Void) throws {
        do { try body() } catch let error as DesignError {
            printError(error.description)
            printError("\(error.file): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") found; the design is not valid")
            throw ExitCode(1)
        } catch let error as AssignmentError {
            printError("error: \(error.description)"); throw ExitCode(1)
        } catch let error as StoreError {
            printError("error: \(error.description)"); throw ExitCode(1)
        } catch let error as CommandFailure {
            printError("error: \(error.message)"); throw ExitCode(1)
        } catch let error as Pseudonymizer.KeyError {
            printError("error: \(error.description)"); throw ExitCode(1)
        }
    }
}

/// A failure with a message for the user.
struct CommandFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
