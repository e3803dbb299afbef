import TrialDesign

/// The design's source declarations checked against what each kind's reader reads: a mapped column, a
/// code mapping, a vocabulary, a kept column, a status or correction rule, a dialect setting that the
/// kind would not use is refused (a key without effect would let an evaluator believe the protocol is
/// applied when it is not), and so is a kind's declaration that is incomplete. Passed to `Design.load`
/// as a `DesignCheck`, so every problem is reported with its line beside the design's own.
public enum SourceSchema {
    public static let check: DesignCheck = { design in
        var problems: [(path: String, message: String)] = []
        for (i, s) in design.sources.enumerated() {
            problems += check(s, at: "sources[\(i)]")
        }
        for (i, o) in design.outcomes.enumerated() {
            guard let source = design.sources.first(where: { $0.id == o.source }) else { continue }
            problems += checkFields(filter: o.filter, value: o.rule == .sum ? o.value : nil, match: nil, in: source, at: "outcomes[\(i)]")
        }
        for (i, c) in design.covariates.enumerated() {
            guard let id = c.source, let source = design.sources.first(where: { $0.id == id }) else { continue }
            problems += checkFields(filter: c.filter, value: nil, match: nil, in: source, at: "covariates[\(i)]")
        }
        return problems
    }

    /// The fields a record of `source` carries, with the values its coded ones may take (nil: any): the
    /// kind's canonical fields, and the columns the source keeps (`attributes:`).
    static func recordFields(of source: Source) -> [String: Set<String>?]? {
        guard let reader = source.kind.registryReader else { return nil }
        let kind = type(of: reader)
        var out: [String: Set<String>?] = [:]
        for f in kind.fields where f.name != "sign" { out[f.name] = .some(nil) }
        for field in kind.codedFields {
            if let values = source.vocabularies[field] { out[field] = Set(values) }
            else if let fixed = Vocabulary.fixed(of: source.kind, field: field) { out[field] = fixed }
            else if let mapped = source.codes[field] { out[field] = Set(mapped.values) }
        }
        // Derived attributes the readers add beside the fields.
        if source.kind == .payments { out["payment_month"] = .some(nil) }
        if source.kind == .federalStatements { out["statement_month"] = .some(nil) }
        for c in source.keptColumns { out[c] = .some(nil) }
        return out
    }

    /// A filter's fields and values, and the summed field, against what the source's records carry.
    static func checkFields(filter: RecordFilter?, value: String?, match: [String]?, in source: Source,
                            at p: String) -> [(path: String, message: String)] {
        guard let fields = recordFields(of: source) else { return [] }
        var out: [(String, String)] = []
        let known = fields.keys.sorted().joined(separator: ", ")
        func visit(_ f: RecordFilter) {
            switch f {
            case let .isIn(field, values):
                checkValues(field, values)
            case let .equals(field, value):
                checkValues(field, [value])
            case let .between(field, _, _):
                if fields[field] == nil { unknown(field) }
            case let .allOf(parts), let .anyOf(parts): parts.forEach(visit)
            case let .not(part): visit(part)
            }
        }
        func unknown(_ field: String) {
            out.append(("\(p).filter", "\"\(field)\" is not a field of source \(source.id) (\(source.kind.rawValue)); its records carry \(known) "
                + "(keep another column of the file with attributes: [COLUMN])"))
        }
        func checkValues(_ field: String, _ values: [String]) {
            guard let allowed = fields[field] else { unknown(field); return }
            if let allowed, let bad = values.first(where: { !allowed.contains($0) }) {
                out.append(("\(p).filter", "\"\(bad)\" is not a value \(field) takes in source \(source.id); allowed: \(allowed.sorted().joined(separator: ", "))"))
            }
        }
        if let filter { visit(filter) }
        if let value, fields[value] == nil {
            out.append(("\(p).value", "\"\(value)\" is not a field of source \(source.id) (\(source.kind.rawValue)); its records carry \(known)"))
        }
        return out
    }

    /// The canonical fields of a kind, nil for the kinds that read columns named by the design itself
    /// (the cohort) or every column (a survey's answers).
    static func fields(of kind: SourceKind) -> [SourceField]? {
        switch kind {
        case .survey, .cohort: return nil
        case .assignment: return AssignmentListReader.fields
        case .takeUp: return []
        default: return kind.registryReader.map { type(of: $0).fields }
        }
    }

    static func codedFields(of kind: SourceKind) -> [String]? {
        switch kind {
        case .survey: return nil
        case .cohort: return []
        case .assignment: return AssignmentListReader.codedFields
        case .takeUp: return nil
        default: return kind.registryReader.map { type(of: $0).codedFields } ?? []
        }
    }

    /// The kinds whose coded values the design declares (`vocabulary:`), with those fields.
    static func declaredVocabularyFields(of kind: SourceKind) -> [String] {
        switch kind {
        case .spells, .events: return ["type"]
        case .payments: return ["category"]
        default: return []
        }
    }

    static func check(_ s: Source, at p: String) -> [(path: String, message: String)] {
        var out: [(String, String)] = []
        func noEffect(_ key: String, _ why: String) { out.append(("\(p).\(key)", "\(key) has no effect on a \(s.kind.rawValue) source: \(why); remove it")) }
        let isRegistry = s.kind.registryReader != nil

        if let fields = fields(of: s.kind) {
            let names = fields.map(\.name) + (s.kind == .assignment ? ["probability_*"] : [])
            for key in s.columns.keys.sorted() where !names.contains(key) && !(s.kind == .assignment && key.hasPrefix("probability_")) {
                out.append(("\(p).columns.\(key)", "\"\(key)\" is not a field of a \(s.kind.rawValue) source; its fields are "
                    + (names.isEmpty ? "(none: it reads the identifier and the design's columns)" : names.joined(separator: ", "))))
            }
        }
        if let coded = codedFields(of: s.kind) {
            for key in s.codes.keys.sorted() where !coded.contains(key) {
                out.append(("\(p).codes.\(key)", coded.isEmpty
                    ? "codes has no effect on a \(s.kind.rawValue) source (it maps no coded field); remove it"
                    : "\"\(key)\" is not a coded field of a \(s.kind.rawValue) source; codes apply to \(coded.joined(separator: ", "))"))
            }
        }
        if !s.missingCodes.isEmpty && s.kind != .survey {
            noEffect("missing_codes", "missing codes mark a survey's missing answers")
        }
        let declarable = declaredVocabularyFields(of: s.kind)
        for key in s.vocabularies.keys.sorted() where !declarable.contains(key) {
            out.append(("\(p).vocabulary.\(key)", declarable.isEmpty
                ? "vocabulary has no effect on a \(s.kind.rawValue) source (its codes have a fixed vocabulary); remove it"
                : "\"\(key)\" has no declared vocabulary in a \(s.kind.rawValue) source; declare \(declarable.joined(separator: ", "))"))
        }
        if !s.keptColumns.isEmpty && !isRegistry {
            noEffect("attributes", "only registry records keep further columns")
        }
        if s.kind == .spells && s.extractDate == nil {
            out.append(("\(p).extract_date", "a spell without an end was still running when the extract was made: declare the "
                + "extract's date, e.g. extract_date: 2020-06-30"))
        }
        if s.extractDate != nil && s.kind != .spells { noEffect("extract_date", "only spells run to the extract date") }
        if s.dataThrough != nil && !isRegistry { noEffect("data_through", "only registry windows end where an extract ends") }
        if let status = s.status {
            if !isRegistry { noEffect("status", "only registry records are voided or corrected by a status") }
            let corrects = status.values.filter { $0.value == .corrects }.map(\.key).sorted()
            let builtIn = s.kind.registryReader?.correction != nil
            if let first = corrects.first, s.correctsBy == nil && !builtIn {
                out.append(("\(p).status.values.\(first)", "a status that corrects an earlier record needs corrects_by (id and "
                    + "replaces, or match: [fields]) to find the record it corrects"))
            }
        }
        if let by = s.correctsBy {
            if !isRegistry { noEffect("corrects_by", "only registry records are corrected") }
            if case let .byFields(match) = by, let fields = fields(of: s.kind) {
                let allowed = fields.map(\.name) + s.keptColumns
                for f in match where !allowed.contains(f) {
                    out.append(("\(p).corrects_by.match", "\"\(f)\" is not a field of a \(s.kind.rawValue) source; match on "
                        + allowed.joined(separator: ", ")))
                }
            }
        }
        if s.dialect.cents && s.kind != .payments {
            noEffect("dialect.cents", s.kind == .federalStatements ? "federal statements always give euro cents" : "it reads no signed amounts")
        }
        return out
    }
}
