import Basics
import TrialDesign

/// The fields an enrolment needs, generated from the design, for the service's form and its JSON API:
/// the family's identifier and national number (the link column; pseudonymised at once, never stored),
/// the columns the eligibility rules, strata and minimisation factors read (with their allowed values),
/// and the design's cohort covariates (optional, for the balance table). The site and the enrolment date
/// are set by the service, never by the form.
public struct EnrolmentForm: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Free text (a study code, a level not declared in advance).
        case text
        /// A national number (INSZ): checked (check digits) and pseudonymised at once; never echoed.
        case nationalNumber
        /// A date, `YYYY-MM-DD`.
        case date
        /// One of the given values, nothing else (a stratum's levels).
        case choice([String])
        /// One of the given values or any other (an eligibility rule's values: another value screens the
        /// family out, with the rule's reason).
        case open([String])
        /// A yes/no item of a count rule: the rule's value when it holds, `off` otherwise.
        case flag(on: String, off: String)
        /// A number (a covariate).
        case number
    }

    public struct Field: Sendable, Equatable {
        public var column: String
        public var kind: Kind
        public var required: Bool
        /// Why the design needs it: `identifier`, `national number`, `eligibility: RULE`, `stratum`, …
        public var purpose: String
    }

    public var fields: [Field]
    /// The column that identifies a family (`trial.id_column`).
    public var idColumn: String
    /// The column the service fills with the enrolling site, when the design declares sites.
    public var siteColumn: String?
    /// The column the service fills with the day of enrolment.
    public var dateColumn: String

    public init(design d: Design) {
        var fields: [Field] = []
        var seen: Set<String> = [d.trial.enrolmentDateColumn]
        if let s = d.siteColumn { seen.insert(s) }
        func add(_ column: String, _ kind: Kind, required: Bool = true, _ purpose: String) {
            guard seen.insert(column).inserted else { return }
            fields.append(Field(column: column, kind: kind, required: required, purpose: purpose))
        }
        add(d.trial.idColumn, d.trial.idType == .insz ? .nationalNumber : .text, "identifier")
        if let link = d.trial.linkColumn { add(link, .nationalNumber, "national number (pseudonymised at once)") }
        for rule in d.eligibility {
            switch rule.test {
            case let .dateWindow(column, _, _): add(column, .date, "eligibility: \(rule.id)")
            case let .countAtLeast(columns, value, _):
                for c in columns { add(c, .flag(on: value, off: value == "1" ? "0" : "no"), "eligibility: \(rule.id)") }
            case let .oneOf(column, values): add(column, .open(values), "eligibility: \(rule.id)")
            }
        }
        for s in d.strata { add(s.column, s.levels.isEmpty ? .text : .choice(s.levels), "stratum") }
        for f in d.randomisation.minimisationFactors { add(f, .text, "minimisation factor") }
        if let c = d.randomisation.clusterColumn { add(c, .text, "cluster") }
        for c in d.covariates { if let column = c.column { add(column, .number, required: false, "covariate: \(c.id)") } }
        self.fields = fields
        idColumn = d.trial.idColumn
        siteColumn = d.siteColumn
        dateColumn = d.trial.enrolmentDateColumn
    }

    /// A field that cannot be used, and why (the value itself is never repeated for a national number).
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var field: String
        public var message: String
        public var description: String { "\(field): \(message)" }

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// The longest value a field takes.
    public static let maximumLength = 200

    /// Checks the fields given (besides the identifier, site and date, which the caller adds): every
    /// required one present, no unknown one, each of its kind. Returns the cleaned values.
    public func check(_ given: [String: String]) throws -> [String: String] {
        var out: [String: String] = [:]
        let known = Dictionary(fields.map { ($0.column, $0) }, uniquingKeysWith: { a, _ in a })
        for key in given.keys.sorted() where known[key] == nil {
            let shown = key.count > 40 ? String(key.prefix(40)) + "…" : key
            if key == dateColumn || key == siteColumn {
                throw Problem(field: shown, message: "is set by the service, not by the form")
            }
            throw Problem(field: shown, message: "is not a field of this trial's enrolment; the fields are: "
                + fields.map(\.column).joined(separator: ", "))
        }
        for f in fields {
            let value = (given[f.column] ?? "").trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                if f.required { throw Problem(field: f.column, message: "is missing (\(f.purpose))") }
                continue
            }
            guard value.count <= Self.maximumLength, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw Problem(field: f.column, message: "is too long or holds a control character such as a line break (at most \(Self.maximumLength) characters)")
            }
            switch f.kind {
            case .text, .open: break
            case .nationalNumber:
                do { _ = try NationalNumber(value) } catch {
                    throw Problem(field: f.column, message: "is not a valid national number (11 digits with valid check digits; the value is not repeated)")
                }
            case .date:
                guard CalendarDate(iso: value) != nil else { throw Problem(field: f.column, message: "is not a date YYYY-MM-DD") }
            case let .choice(levels):
                guard levels.contains(value) else {
                    throw Problem(field: f.column, message: "must be one of: " + levels.joined(separator: ", "))
                }
            case let .flag(on, off):
                guard value == on || value == off else { throw Problem(field: f.column, message: "must be \(on) or \(off)") }
            case .number:
                guard Double(value) != nil else { throw Problem(field: f.column, message: "is not a number") }
            }
            out[f.column] = value
        }
        return out
    }
}
