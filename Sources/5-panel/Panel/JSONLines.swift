import Basics
import Foundation
import TrialDesign
import TrialData

/// Reads the panel's inputs from JSON-lines files (one JSON object per line, UTF-8, blank lines
/// skipped), so the panel can be driven from files before the trial store and the importers are wired
/// in. Keys are snake_case; dates are `YYYY-MM-DD` text.
///
/// ```
/// units:     {"id": "F001", "link_key": "P…", "arm": "control", "assigned_on": "2018-03-05", "stratum": "3",
///             "block": "b1", "cluster": null, "probability": 0.5, "attributes": {"mandate": "yes"}}
/// records:   {"source": "ocmw_aid", "participant": "P…", "line": 12, "start": "2018-04-01", "end": "2018-04-30",
///             "attributes": {"kind": "medical_card"}, "numbers": {"amount": 120.5}}
/// responses: {"source": "survey_m6", "wave": "m6", "participant": "F001", "line": 3, "interview_date": "2018-09-10",
///             "answers": {"services_fit": 4}}
/// exits:     {"participant": "F001", "date": "2018-11-30", "reason": "moved"}
/// ```
/// Every problem is reported as `FILE:LINE: what is wrong`.
public enum JSONLines {
    public struct ReadError: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    public static func units(path: String) throws -> [AssignedUnit] {
        try read(path) { (u: UnitLine, at: (String) -> ReadError) in
            AssignedUnit(id: u.id, linkKey: u.link_key, arm: u.arm, assignedOn: try date(u.assigned_on, "assigned_on", at),
                         stratum: u.stratum, block: u.block, cluster: u.cluster, probability: u.probability,
                         attributes: u.attributes ?? [:])
        }
    }

    public static func records(path: String) throws -> [RegistryRecord] {
        try read(path) { (r: RecordLine, at: (String) -> ReadError) in
            RegistryRecord(source: r.source, participant: r.participant, line: r.line ?? 0,
                           start: try date(r.start, "start", at), end: try r.end.map { try date($0, "end", at) },
                           attributes: r.attributes ?? [:], numbers: r.numbers ?? [:])
        }
    }

    public static func responses(path: String) throws -> [SurveyResponse] {
        try read(path) { (r: ResponseLine, at: (String) -> ReadError) in
            SurveyResponse(source: r.source, wave: r.wave, participant: r.participant, line: r.line ?? 0,
                           interviewDate: try r.interview_date.map { try date($0, "interview_date", at) },
                           answers: r.answers ?? [:])
        }
    }

    public static func exits(path: String) throws -> [ScopeExit] {
        try read(path) { (e: ExitLine, at: (String) -> ReadError) in
            ScopeExit(participant: e.participant, date: try date(e.date, "date", at), reason: e.reason)
        }
    }

    /// Screening counts: one JSON object `{"screened": 240, "excluded": {"deprived": 80, …}}`.
    public static func screening(path: String) throws -> Screening {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(file: path, line: 0, message: "cannot read the file; check the path")
        }
        do {
            return try JSONDecoder().decode(Screening.self, from: data)
        } catch {
            throw ReadError(file: path, line: 1, message: "expected {\"screened\": N, \"excluded\": {\"rule id\": N, …}}: \(describe(error))")
        }
    }

    // MARK: - Lines

    struct UnitLine: Decodable {
        var id: String
        var link_key: String?
        var arm: String
        var assigned_on: String
        var stratum: String?
        var block: String?
        var cluster: String?
        var probability: Double
        var attributes: [String: String]?
    }

    struct RecordLine: Decodable {
        var source: String
        var participant: String
        var line: Int?
        var start: String
        var end: String?
        var attributes: [String: String]?
        var numbers: [String: Double]?
    }

    struct ResponseLine: Decodable {
        var source: String
        var wave: String
        var participant: String
        var line: Int?
        var interview_date: String?
        var answers: [String: Double]?
    }

    struct ExitLine: Decodable {
        var participant: String
        var date: String
        var reason: String
    }

    static func date(_ text: String, _ key: String, _ at: (String) -> ReadError) throws -> CalendarDate {
        guard let d = CalendarDate(iso: text) else { throw at("\(key) \"\(text)\" is not a date; write YYYY-MM-DD") }
        return d
    }

    static func read<Line: Decodable, Value>(_ path: String, _ make: (Line, (String) -> ReadError) throws -> Value) throws -> [Value] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(file: path, line: 0, message: "cannot read the file; check the path")
        }
        let decoder = JSONDecoder()
        var out: [Value] = []
        var number = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let lineData = Data(raw)
            if lineData.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let n = number
            let at = { (message: String) in ReadError(file: path, line: n, message: message) }
            let line: Line
            do {
                line = try decoder.decode(Line.self, from: lineData)
            } catch {
                throw at(describe(error))
            }
            out.append(try make(line, at))
        }
        return out
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _):
            return "key \"\(key.stringValue)\" is missing"
        case let DecodingError.typeMismatch(type, context):
            return "\(path(context)) should be \(type)"
        case let DecodingError.valueNotFound(type, context):
            return "\(path(context)) is null; expected \(type)"
        case DecodingError.dataCorrupted:
            return "not a JSON object (one object per line)"
        default:
            return "\(error)"
        }
    }

    static func path(_ context: DecodingError.Context) -> String {
        let p = context.codingPath.map(\.stringValue).joined(separator: ".")
        return p.isEmpty ? "the line" : "key \"\(p)\""
    }
}
