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
        return problems
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
