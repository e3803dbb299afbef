import Estimation
import Foundation
import Yams

extension Design {
    /// Loads and validates a design file. Throws `DesignError` with every problem found (syntax,
    /// unknown or missing keys, wrong types, values out of range, references that do not resolve).
    public static func load(path: String, checks: [DesignCheck] = []) throws -> Design {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DesignError(file: path, issues: [DesignIssue(path: "", line: nil, column: nil,
                message: "cannot read the file; check the path (it is relative to the current folder)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DesignError(file: path, issues: [DesignIssue(path: "", line: nil, column: nil,
                message: "the file is not UTF-8 text; save it as UTF-8")])
        }
        return try parse(yaml: text, file: path, checks: checks)
    }

    /// Parses and validates design text; `file` is used in messages only. `checks` are further checks
    /// of the modules that read the design (e.g. the source kinds' fields, known to `Ingest`); their
    /// problems are reported with the line of the key they name, beside the design's own.
    public static func parse(yaml text: String, file: String = "<design>", checks: [DesignCheck] = []) throws -> Design {
        let privacy = DesignPrivacy.nationalNumberIssues(text)
        guard privacy.isEmpty else { throw DesignError(file: file, issues: privacy) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw DesignError(file: file, issues: [syntaxIssue(error)])
        }
        guard let root else {
            throw DesignError(file: file, issues: [DesignIssue(path: "", line: 1, column: 1,
                message: "the design is empty; start from designs/mission-kortrijk.yaml")])
        }
        let log = IssueLog()
        let design = DesignReader(log: log).read(root)
        if let design {
            DesignValidator(design: design, log: log).validate()
            if log.issues.isEmpty {
                for check in checks { for problem in check(design) { log.add(nil, problem.path, problem.message) } }
            }
        }
        let issues = log.issues.sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
        guard issues.isEmpty, let design else { throw DesignError(file: file, issues: issues) }
        return design
    }

    private static func syntaxIssue(_ error: YamlError) -> DesignIssue {
        switch error {
        case let .scanner(context, problem, mark, _):
            return DesignIssue(path: "", line: mark.line, column: mark.column,
                               message: "YAML syntax: \(problem)\(context.map { " \($0.text)" } ?? "")")
        case let .parser(context, problem, mark, _):
            return DesignIssue(path: "", line: mark.line, column: mark.column,
                               message: "YAML syntax: \(problem)\(context.map { " \($0.text)" } ?? "")")
        case let .composer(context, problem, mark, _):
            return DesignIssue(path: "", line: mark.line, column: mark.column,
                               message: "YAML syntax: \(problem)\(context.map { " \($0.text)" } ?? "")")
        default:
            return DesignIssue(path: "", line: nil, column: nil, message: "YAML syntax: \(error)")
        }
    }
}

/// Reads the YAML tree into a `Design`, logging every structural problem.
struct DesignReader {
    let log: IssueLog

    func read(_ root: Node) -> Design? {
        guard var r = MappingReader(root, path: "", log: log) else { return nil }
        let trial = r.mapping("trial").flatMap { m -> TrialInfo? in
            var m = m
            defer { m.finish() }
            let id = m.string("id"), title = m.string("title"), registration = m.optionalString("registration")
            let unit = m.optionalString("unit") ?? "household"
            let idColumn = m.optionalString("id_column") ?? "family_id"
            let idType = m.choice("id_type", IdentifierType.self, default: .code) ?? .code
            let linkColumn = m.optionalString("link_column")
            let enrolmentDateColumn = m.optionalString("enrolment_date_column") ?? "enrolled_on"
            let siteColumn = m.optionalString("site_column") ?? "site"
            guard let id, let title else { return nil }
            return TrialInfo(id: id, title: title, registration: registration, unit: unit,
                             idColumn: idColumn, idType: idType, linkColumn: linkColumn,
                             enrolmentDateColumn: enrolmentDateColumn, siteColumn: siteColumn)
        }
        let arms = r.list("arms") { m -> Arm? in
            let id = m.string("id"), label = m.optionalString("label")
            let ratio = m.int("ratio", default: 1, range: 1...100) ?? 1
            let control = m.bool("control", default: false)
            guard let id else { return nil }
            return Arm(id: id, label: label ?? id, ratio: ratio, isControl: control)
        }
        let eligibility = r.list("eligibility", required: false) { m in readEligibility(&m) }
        var strata = r.list("strata", required: false) { m -> Stratum? in
            let column = m.string("column"), levels = m.stringList("levels")
            guard let column else { return nil }
            return Stratum(column: column, levels: levels)
        }
        let randomisation = r.mapping("randomisation").flatMap { m -> Randomisation? in
            var m = m
            defer { m.finish() }
            let method = m.choice("method", RandomisationMethod.self)
            let seed = m.int("seed", range: 0...Int(UInt32.max))
            let blockSizes = m.value("block_sizes").map { v in
                m.stringListValue(v, m.childPath("block_sizes")).compactMap { s -> Int? in
                    guard let i = Int(s), i > 0 else {
                        log.add(v, m.childPath("block_sizes"), "block sizes are positive whole numbers, found \"\(s)\"")
                        return nil
                    }
                    return i
                }
            } ?? []
            let cluster = m.optionalString("cluster_column")
            let factors = m.stringList("minimisation_factors")
            let follow = m.optionalDouble("follow_probability", range: 0.5...1)
            let bySite = m.bool("stratify_by_site", default: true)
            guard let method, let seed else { return nil }
            return Randomisation(method: method, seed: UInt64(seed), blockSizes: blockSizes, clusterColumn: cluster,
                                 minimisationFactors: factors, followProbability: follow, stratifyBySite: bySite)
        }
        let capacity = r.mapping("capacity", required: false).flatMap { m -> Capacity? in
            var m = m
            defer { m.finish() }
            let arm = m.string("arm")
            let managers = m.int("case_managers", range: 1...10_000)
            let caseload = m.int("caseload", range: 1...10_000)
            let whenFull = m.choice("when_full", WhenFull.self, default: .pause) ?? .pause
            guard let arm, let managers, let caseload else { return nil }
            return Capacity(arm: arm, caseManagers: managers, caseload: caseload, whenFull: whenFull)
        }
        let waves = r.list("waves") { m -> Wave? in
            let id = m.string("id"), label = m.optionalString("label")
            let offset = m.int("offset_months", range: 0...240)
            let before = m.int("days_before", default: 30, range: 0...3650) ?? 30
            let after = m.int("days_after", default: 60, range: 0...3650) ?? 60
            var fixedDays: ClosedRange<Int>?
            if let v = m.value("days_after_assignment") {
                if case let .sequence(seq) = v, seq.count == 2, let a = seq[0].int, let b = seq[1].int, a >= 0, a <= b {
                    fixedDays = a...b
                } else {
                    log.add(v, m.childPath("days_after_assignment"), "give two day numbers [from, to], 0 or more, e.g. [121, 274]")
                }
                for key in ["days_before", "days_after"] where m.has(key) {
                    log.add(m.mark(key), m.childPath(key), "\(key) has no effect with days_after_assignment (the interview window is fixed in days); remove it")
                }
            }
            let outside = m.choice("outside_window", OutsideWindow.self, default: .missing) ?? .missing
            guard let id else { return nil }
            return Wave(id: id, label: label ?? id, offsetMonths: offset ?? 0,
                        daysBefore: before, daysAfter: after, daysAfterAssignment: fixedDays, outsideWindow: outside)
        }
        let pseudonymisation = r.mapping("pseudonymisation", required: false).map { m -> Pseudonymisation in
            var m = m
            defer { m.finish() }
            let p = Pseudonymisation(keyEnvironment: m.optionalString("key_env"), keyFile: m.optionalString("key_file"))
            if p.keyEnvironment == nil && p.keyFile == nil {
                log.add(m.node, m.path, "say where the secret key is: key_env (an environment variable) or key_file")
            }
            return p
        }
        let sources = r.list("sources", required: false) { m in readSource(&m) }
        let families = r.list("families", required: false) { m -> HypothesisFamily? in
            let id = m.string("id"), label = m.optionalString("label")
            let correction = m.choice("correction", Correction.self, default: .holm) ?? .holm
            guard let id else { return nil }
            return HypothesisFamily(id: id, label: label ?? id, correction: correction)
        }
        let outcomes = r.list("outcomes") { m in readOutcome(&m) }
        let covariates = r.list("covariates", required: false) { m -> Covariate? in
            let id = m.string("id"), label = m.optionalString("label")
            let column = m.optionalString("column"), source = m.optionalString("source")
            let rule = m.has("rule") ? m.choice("rule", DerivationRule.self) : nil
            let filter = readFilter(&m)
            let window = m.value("window").flatMap { readWindow($0, m.childPath("window"), allowNegative: true) }
            let anchor = m.choice("from", WindowAnchor.self, default: .assignmentDay) ?? .assignmentDay
            let date = m.has("date") ? m.choice("date", RecordDate.self) : nil
            guard let id else { return nil }
            var c = Covariate(id: id, label: label ?? id, column: column, source: source, rule: rule,
                              filter: filter, window: window)
            c.anchor = anchor
            c.date = date
            if (c.column == nil) == (c.source == nil) {
                log.add(m.node, m.path, "a covariate takes either column (from the cohort) or source with rule and window")
            }
            if c.source != nil && (c.rule == nil || c.window == nil) {
                log.add(m.node, m.path, "a covariate derived from a source needs rule and window (e.g. window: [-12, -1])")
            }
            return c
        }
        let subgroups = r.list("subgroups", required: false) { m -> Subgroup? in
            let id = m.string("id"), column = m.string("column"), label = m.optionalString("label")
            let levels = readSubgroupLevels(&m)
            guard let id, let column else { return nil }
            return Subgroup(id: id, label: label ?? id, column: column, levels: levels)
        }
        let clusterRandomised = randomisation.map { [.clustered, .blockedClustered].contains($0.method) && $0.clusterColumn != nil } ?? false
        let analysis = readAnalysis(r.mapping("analysis", required: false), clustered: clusterRandomised)
        let publication = r.mapping("publication", required: false).map { m -> Publication in
            var m = m
            defer { m.finish() }
            return Publication(smallCellThreshold: m.int("small_cell_threshold", default: 5, range: 0...1000) ?? 5,
                               language: m.choice("language", PublicationLanguage.self, default: .en) ?? .en)
        } ?? Publication(smallCellThreshold: 5)
        let sites = r.list("sites", required: false) { m -> Site? in
            let id = m.string("id"), label = m.optionalString("label")
            guard let id else { return nil }
            return Site(id: id, label: label ?? id)
        }
        r.finish()
        guard let trial, let randomisation else { return nil }
        // The site is a stratum unless the design says otherwise (or lists its column among the strata).
        if !sites.isEmpty, randomisation.stratifyBySite, !strata.contains(where: { $0.column == trial.siteColumn }) {
            strata.append(Stratum(column: trial.siteColumn, levels: sites.map(\.id)))
        }
        return Design(trial: trial, arms: arms, eligibility: eligibility, strata: strata,
                      randomisation: randomisation, capacity: capacity, waves: waves,
                      pseudonymisation: pseudonymisation, sources: sources, families: families,
                      outcomes: outcomes, covariates: covariates, subgroups: subgroups,
                      analysis: analysis, publication: publication, sites: sites)
    }

    private func readEligibility(_ m: inout MappingReader) -> EligibilityRule? {
        let id = m.string("id")
        let reason = m.optionalString("reason")
        var tests: [EligibilityTest] = []
        if var w = m.mapping("date_window", required: false) {
            if let column = w.string("column"), let from = w.date("from"), let to = w.date("to") {
                if to < from { log.add(w.node, w.path, "the window ends (\(to)) before it starts (\(from))") }
                tests.append(.dateWindow(column: column, from: from, to: to))
            }
            w.finish()
        }
        if var c = m.mapping("count_at_least", required: false) {
            let columns = c.stringList("columns", required: true)
            let value = c.optionalString("value") ?? "1"
            if let atLeast = c.int("at_least", range: 1...1000) {
                if atLeast > columns.count {
                    log.add(c.node, c.path, "at_least is \(atLeast) but only \(columns.count) columns are listed")
                }
                tests.append(.countAtLeast(columns: columns, value: value, atLeast: atLeast))
            }
            c.finish()
        }
        if var o = m.mapping("one_of", required: false) {
            if let column = o.string("column") {
                let values = o.stringList("values", required: true)
                if values.isEmpty { log.add(o.node, o.path, "list at least one allowed value") }
                tests.append(.oneOf(column: column, values: values))
            }
            o.finish()
        }
        guard tests.count == 1 else {
            log.add(m.node, m.path, tests.isEmpty
                ? "an eligibility rule needs one test: date_window, count_at_least or one_of"
                : "an eligibility rule has exactly one test (date_window, count_at_least or one_of); split it into several rules")
            return nil
        }
        guard let id else { return nil }
        return EligibilityRule(id: id, reason: reason ?? "fails \(id)", test: tests[0])
    }

    private func readSource(_ m: inout MappingReader) -> Source? {
        let id = m.string("id")
        let kind = m.choice("kind", SourceKind.self)
        let file = m.string("file")
        var identifierColumn: String?
        var identifierType = IdentifierType.pseudonym
        if var i = m.mapping("identifier") {
            identifierColumn = i.string("column")
            identifierType = i.choice("type", IdentifierType.self) ?? .pseudonym
            i.finish()
        }
        let dialectLine = m.mark("dialect")?.mark?.line
        let fileLine = m.mark("file")?.mark?.line
        let dialect = readDialect(m.mapping("dialect"))
        var columns: [String: String] = [:]
        if let c = m.mapping("columns", required: false), case let .mapping(map) = c.node {
            for (k, v) in map {
                guard let key = k.string, case .scalar = v, let value = v.string else {
                    log.add(v, c.path, "columns maps a field name to a column name, e.g. amount: bedrag")
                    continue
                }
                columns[key] = value
            }
        }
        let missing = m.stringList("missing_codes")
        let wave = m.optionalString("wave")
        let codes = readCodes(m.mapping("codes", required: false))
        let vocabularies = readVocabularies(m.mapping("vocabulary", required: false))
        let kept = m.stringList("attributes")
        let extractDate = m.has("extract_date") ? m.date("extract_date") : nil
        let dataThrough = m.has("data_through") ? m.date("data_through") : nil
        let status = readStatus(m.mapping("status", required: false))
        let correctsBy = readCorrectsBy(m.mapping("corrects_by", required: false))
        let level = m.has("level") ? m.choice("level", AssignmentLevel.self) : nil
        guard let id, let kind, let file, let identifierColumn, let dialect else { return nil }
        var source = Source(id: id, kind: kind, file: file, identifierColumn: identifierColumn,
                            identifierType: identifierType, dialect: dialect, columns: columns,
                            missingCodes: missing, wave: wave, codes: codes)
        source.vocabularies = vocabularies
        source.keptColumns = kept
        source.extractDate = extractDate
        source.dataThrough = dataThrough
        source.status = status
        source.correctsBy = correctsBy
        source.dialectLine = dialectLine
        source.fileLine = fileLine
        source.level = level ?? .unit
        return source
    }

    /// `vocabulary: { field: [value, …], … }`: the canonical values of coded fields.
    private func readVocabularies(_ reader: MappingReader?) -> [String: [String]] {
        guard var v = reader, case let .mapping(map) = v.node else { return [:] }
        var out: [String: [String]] = [:]
        for (k, _) in map {
            guard let field = k.string else { continue }
            let values = v.stringList(field, required: true)
            if values.isEmpty { log.add(k, v.childPath(field), "list the values \(field) may take, e.g. \(field): [work, training]") }
            out[field] = values
        }
        v.finish()
        return out
    }

    /// `status: { column: C, values: { raw: counts | void | corrects, … } }`.
    private func readStatus(_ reader: MappingReader?) -> RecordStatus? {
        guard var st = reader else { return nil }
        defer { st.finish() }
        let column = st.string("column")
        var values: [String: RecordStatus.Meaning] = [:]
        if let v = st.mapping("values"), case let .mapping(map) = v.node {
            let allowed = RecordStatus.Meaning.allCases.map(\.rawValue)
            for (k, node) in map {
                guard let raw = k.string else { continue }
                log.record(v.childPath(raw), k)
                guard let text = node.string, let meaning = RecordStatus.Meaning(rawValue: text) else {
                    log.add(node, v.childPath(raw), "found \"\(node.string ?? node.kindDescription)\"; allowed: \(allowed.joined(separator: ", "))")
                    continue
                }
                values[raw] = meaning
            }
            if map.count == 0 { log.add(v.node, v.path, "map each status value to counts, void or corrects") }
        }
        guard let column else { return nil }
        return RecordStatus(column: column, values: values)
    }

    /// `corrects_by: { id: C, replaces: R }` or `corrects_by: { match: [field, …] }`.
    private func readCorrectsBy(_ reader: MappingReader?) -> CorrectionMatch? {
        guard var c = reader else { return nil }
        defer { c.finish() }
        if c.has("match") {
            let fields = c.stringList("match", required: true)
            if c.has("id") || c.has("replaces") {
                log.add(c.node, c.path, "corrects_by takes either match: [fields] or id and replaces (two columns), not both")
            }
            if fields.isEmpty { log.add(c.node, c.childPath("match"), "list the fields that make two records the same decision, e.g. [kind, start]") }
            return .byFields(fields)
        }
        guard let id = c.string("id"), let replaces = c.string("replaces") else { return nil }
        return .byIdentifier(idColumn: id, replacesColumn: replaces)
    }

    /// `codes: { field: { raw: canonical, … }, … }`: value mappings per canonical field.
    private func readCodes(_ reader: MappingReader?) -> [String: [String: String]] {
        guard let c = reader, case let .mapping(map) = c.node else { return [:] }
        var out: [String: [String: String]] = [:]
        for (k, v) in map {
            guard let field = k.string else { continue }
            log.record(c.childPath(field), k)
            guard case let .mapping(values) = v else {
                log.add(v, c.childPath(field), "codes maps a field to a mapping of raw codes to canonical values, e.g. kind: { \"AFS eenmalig\": supplementary_one_off }")
                continue
            }
            var inner: [String: String] = [:]
            for (rk, rv) in values {
                guard let raw = rk.string, case .scalar = rv, let canonical = rv.string else {
                    log.add(rv, c.childPath(field), "each raw code maps to one canonical value (text)")
                    continue
                }
                if inner[raw] != nil { log.add(rk, c.childPath(field), "the code \"\(raw)\" appears twice; keep one") }
                inner[raw] = canonical
            }
            out[field] = inner
        }
        return out
    }

    private func readDialect(_ reader: MappingReader?) -> Dialect? {
        guard var d = reader else { return nil }
        defer { d.finish() }
        let format = d.choice("format", FileFormat.self, default: .delimited) ?? .delimited
        let separator = d.optionalString("separator") ?? (format == .delimited ? "," : "")
        if format == .delimited, !["," , ";", "|", "\t", "tab"].contains(separator) {
            log.add(d.mark("separator"), d.childPath("separator"), "found \"\(separator)\"; allowed: \",\", \";\", \"|\", tab")
        }
        let decimal = d.optionalString("decimal") ?? "."
        if ![".", ","].contains(decimal) {
            log.add(d.mark("decimal"), d.childPath("decimal"), "found \"\(decimal)\"; allowed: \".\" or \",\"")
        }
        let fields = d.list("fields", required: format == .fixedWidth) { f -> FixedWidthField? in
            let name = f.string("name"), start = f.int("start", range: 1...100_000)
            let length = f.int("length", range: 1...100_000)
            guard let name, let start, let length else { return nil }
            return FixedWidthField(name: name, start: start, length: length)
        }
        if format == .delimited, !fields.isEmpty {
            log.add(d.mark("fields"), d.childPath("fields"), "fields (column positions) belong to format: fixed_width")
        }
        if format.isStatFile {
            // ReadStat reads the columns, numbers and text encoding from the file itself.
            for key in ["separator", "decimal", "thousands", "encoding", "quote", "header", "fields"] where d.has(key) {
                log.add(d.mark(key), d.childPath(key), "\(key) has no effect on a format: \(format.rawValue) file (its columns, numbers "
                    + "and text encoding are the file's own); remove it")
            }
        }
        var dialect = Dialect(format: format, separator: separator == "tab" ? "\t" : separator, decimal: decimal,
                       thousands: d.optionalString("thousands"),
                       encoding: d.choice("encoding", TextEncoding.self, default: .utf8) ?? .utf8,
                       header: d.bool("header", default: format == .delimited),
                       quote: d.optionalString("quote") ?? "\"",
                       dateFormat: d.choice("date_format", DateFormat.self, default: .iso) ?? .iso,
                       monthFormat: d.has("month_format") ? d.choice("month_format", DateFormat.self) : nil,
                       cents: d.bool("cents", default: false), fields: fields)
        dialect.formatDeclared = d.has("format")
        return dialect
    }

    /// `filter:` — the short form `{ field: F, in: [a, b] }`, or an expression: `in: { field, values }`,
    /// `equals: { field, value }`, `between: { field, min, max }`, `all_of: [..]`, `any_of: [..]`,
    /// `not: {..}`.
    private func readFilter(_ m: inout MappingReader) -> RecordFilter? {
        guard let node = m.value("filter") else { return nil }
        return readFilterNode(node, m.childPath("filter"))
    }

    private func readFilterNode(_ node: Node, _ path: String) -> RecordFilter? {
        guard var f = MappingReader(node, path: path, log: log) else { return nil }
        defer { f.finish() }
        let forms = ["field", "in", "equals", "between", "all_of", "any_of", "not"].filter { f.has($0) }
        // The short form: field and in side by side.
        if f.has("field") {
            let field = f.string("field"), values = f.stringList("in", required: true)
            guard let field else { return nil }
            if values.isEmpty { log.add(node, path, "list the values the field may take: in: [a, b]") }
            return .isIn(field: field, values: values)
        }
        guard forms.count == 1, let form = forms.first else {
            log.add(node, path, forms.isEmpty
                ? "a filter is one of: { field: F, in: [..] }, in, equals, between, all_of, any_of, not"
                : "a filter has one form; found \(forms.joined(separator: ", ")): combine them with all_of or any_of")
            return nil
        }
        let childPath = f.childPath(form)
        switch form {
        case "in":
            guard var i = f.mapping("in") else { return nil }
            defer { i.finish() }
            let field = i.string("field"), values = i.stringList("values", required: true)
            guard let field else { return nil }
            return .isIn(field: field, values: values)
        case "equals":
            guard var e = f.mapping("equals") else { return nil }
            defer { e.finish() }
            guard let field = e.string("field"), let value = e.string("value") else { return nil }
            return .equals(field: field, value: value)
        case "between":
            guard var b = f.mapping("between") else { return nil }
            defer { b.finish() }
            let field = b.string("field"), low = b.optionalDouble("min"), high = b.optionalDouble("max")
            if low == nil && high == nil { log.add(b.node, b.path, "give min, max or both") }
            if let low, let high, low > high { log.add(b.node, b.path, "min (\(low)) is above max (\(high))") }
            guard let field else { return nil }
            return .between(field: field, min: low, max: high)
        case "all_of", "any_of":
            guard let v = f.value(form), case let .sequence(items) = v, !items.isEmpty else {
                log.add(f.mark(form), childPath, "\(form) takes a list of filters")
                return nil
            }
            let parts = items.enumerated().compactMap { i, n in readFilterNode(n, "\(childPath)[\(i)]") }
            guard parts.count == items.count else { return nil }
            return form == "all_of" ? .allOf(parts) : .anyOf(parts)
        default:
            guard let v = f.value("not"), let part = readFilterNode(v, childPath) else { return nil }
            return .not(part)
        }
    }

    private func readWindow(_ v: Node, _ path: String, allowNegative: Bool) -> MonthWindow? {
        guard case let .sequence(seq) = v, seq.count == 2, let a = seq[0].int, let b = seq[1].int else {
            log.add(v, path, "a window is two month numbers [from, to], e.g. [1, 6]; found \(v.kindDescription)")
            return nil
        }
        guard a <= b else { log.add(v, path, "the window [\(a), \(b)] ends before it starts"); return nil }
        if !allowNegative && a < 0 {
            log.add(v, path, "an outcome window lies after assignment (months 1 and later, or 0 for the assignment month); found [\(a), \(b)]")
            return nil
        }
        if allowNegative && b > 0 {
            log.add(v, path, "a baseline covariate's window lies before assignment (e.g. [-12, -1]); found [\(a), \(b)]")
            return nil
        }
        return MonthWindow(fromMonth: a, toMonth: b)
    }

    /// One wave's window of an outcome: `[from, to]`, or `{ months: [from, to], from: ANCHOR }`, or
    /// `{ on: end_of_month K | day K, from: ANCHOR }`; `anchor` is the outcome's `from:`.
    private func readOutcomeWindow(_ v: Node, _ path: String, anchor: WindowAnchor) -> OutcomeWindow? {
        if case .sequence = v {
            guard let months = readWindow(v, path, allowNegative: false) else { return nil }
            return OutcomeWindow(months: months, anchor: anchor)
        }
        guard var w = MappingReader(v, path: path, log: log) else { return nil }
        defer { w.finish() }
        let own = w.has("from") ? (w.choice("from", WindowAnchor.self) ?? anchor) : anchor
        if w.has("on") {
            if w.has("months") { log.add(w.mark("months"), w.childPath("months"), "a window is months or one day (on:), not both") }
            guard let text = w.string("on") else { return nil }
            let parts = text.split(separator: " ").map(String.init)
            guard parts.count == 2, let k = Int(parts[1]), ["end_of_month", "day"].contains(parts[0]) else {
                log.add(w.mark("on"), w.childPath("on"), "found \"\(text)\"; write end_of_month K (the last day of month K) or day K (K days after assignment)")
                return nil
            }
            if parts[0] == "end_of_month" {
                guard k >= 1 || (k == 0 && own == .assignmentMonth) else {
                    log.add(w.mark("on"), w.childPath("on"), "end_of_month \(k): the month lies after assignment (1 or later)")
                    return nil
                }
                return OutcomeWindow(months: MonthWindow(fromMonth: k, toMonth: k), anchor: own, on: .endOfMonth(k))
            }
            guard k >= 0 else { log.add(w.mark("on"), w.childPath("on"), "day \(k): the day lies after assignment (0 or later)"); return nil }
            return OutcomeWindow(months: MonthWindow(fromMonth: 1, toMonth: 1), anchor: own, on: .day(k))
        }
        guard let mv = w.required("months"),
              let months = readWindow(mv, w.childPath("months"), allowNegative: false) else { return nil }
        return OutcomeWindow(months: months, anchor: own)
    }

    private func readOutcome(_ m: inout MappingReader) -> Outcome? {
        let id = m.string("id")
        let label = m.optionalString("label")
        let family = m.string("family")
        let type = m.choice("type", OutcomeType.self)
        let source = m.string("source")
        let rule = m.choice("rule", DerivationRule.self)
        let filter = readFilter(&m)
        let value = m.optionalString("value")
        let items = m.stringList("items")
        let anchor = m.choice("from", WindowAnchor.self, default: .assignmentDay) ?? .assignmentDay
        let date = m.has("date") ? m.choice("date", RecordDate.self) : nil
        var prorate = false
        if let p = m.optionalString("prorate") {
            if p == "days" { prorate = true } else { log.add(m.mark("prorate"), m.childPath("prorate"), "found \"\(p)\"; allowed: days") }
        }
        let scale = readScale(m.mapping("scale", required: false))
        let impute = m.has("impute") ? m.choice("impute", Imputation.self) : nil
        var windows: [String: OutcomeWindow] = [:]
        if m.has("wave") {
            // A survey outcome names its wave; its answers are those of that wave's interview.
            if let wave = m.string("wave") { windows[wave] = OutcomeWindow(months: MonthWindow(fromMonth: 0, toMonth: 0)) }
            if m.has("windows") { log.add(m.mark("windows"), m.childPath("windows"), "give wave (a survey outcome) or windows (a registry outcome), not both") }
        } else if let w = m.mapping("windows") {
            if case let .mapping(map) = w.node, map.count == 0 {
                log.add(w.node, w.path, "say for which waves the outcome is measured, e.g. windows: { m6: [1, 6], m12: [7, 12] }")
            }
            if case let .mapping(map) = w.node {
                for (k, v) in map {
                    guard let wave = k.string else { continue }
                    log.record(w.childPath(wave), k)
                    if let window = readOutcomeWindow(v, w.childPath(wave), anchor: anchor) { windows[wave] = window }
                }
            }
        }
        let primary = m.bool("primary", default: false)
        let better = m.has("better") ? m.choice("better", OutcomeDirection.self) : nil
        let baseline = m.optionalString("baseline")
        guard let id, let family, let type, let source, let rule else { return nil }
        var o = Outcome(id: id, label: label ?? id, family: family, type: type, source: source, rule: rule,
                        filter: filter, value: value, items: items, windows: windows, primary: primary)
        o.date = date
        o.prorate = prorate
        o.scale = scale
        o.impute = impute
        o.better = better
        o.baseline = baseline
        return o
    }

    /// A subgroup's `levels:`, a mapping of the column's codes to labels, in the design's order.
    private func readSubgroupLevels(_ m: inout MappingReader) -> [SubgroupLevel] {
        guard let node = m.value("levels") else { return [] }
        let path = m.childPath("levels")
        guard case let .mapping(map) = node, map.count > 0 else {
            log.add(node, path, "give each code of the column with its label, e.g. levels: { \"0\": Two-parent families, \"1\": Single-parent families }")
            return []
        }
        var out: [SubgroupLevel] = []
        for (k, v) in map {
            guard let code = k.string else { continue }
            log.record("\(path).\(code)", k)
            guard case let .scalar(s) = v, !s.string.trimmingCharacters(in: .whitespaces).isEmpty else {
                log.add(v, "\(path).\(code)", "give the label of code \"\(code)\" as text, e.g. \"\(code)\": Single-parent families")
                continue
            }
            out.append(SubgroupLevel(code: code, label: s.string))
        }
        return out
    }

    /// `scale: { score: mean | sum | standardised, reverse: [items], range: [low, high], min_valid: K }`.
    private func readScale(_ reader: MappingReader?) -> ScaleScoring? {
        guard var sc = reader else { return nil }
        defer { sc.finish() }
        let score = sc.choice("score", ScaleScoring.Score.self, default: .mean) ?? .mean
        let reverse = sc.stringList("reverse")
        var range: ClosedRange<Double>?
        if let v = sc.value("range") {
            if case let .sequence(seq) = v, seq.count == 2, let a = Double(seq[0].string ?? ""), let b = Double(seq[1].string ?? ""), a < b {
                range = a...b
            } else {
                log.add(v, sc.childPath("range"), "give the scale's lowest and highest answer, e.g. range: [1, 5]")
            }
        }
        let minValid = sc.optionalInt("min_valid", range: 1...1000)
        if !reverse.isEmpty && range == nil {
            log.add(sc.mark("reverse"), sc.childPath("reverse"), "reversing items needs the scale's range, e.g. range: [1, 5]")
        }
        return ScaleScoring(score: score, reverse: reverse, range: range, minValid: minValid)
    }

    /// The `analysis` section. The default variance is CR2 (Bell–McCaffrey degrees of freedom, estimatr's
    /// default with clusters) when the design is clustered (`clustered` randomisation, or
    /// `analysis.clusters`), HC2 otherwise.
    private func readAnalysis(_ reader: MappingReader?, clustered: Bool) -> AnalysisPlan {
        let defaultVariance: VarianceType = clustered || (reader?.has("clusters") ?? false) ? .cr2 : .hc2
        var a = AnalysisPlan(primary: AnalysisSpecification(id: AnalysisSpecification.primaryID, label: "Primary analysis",
                                                            estimator: .lin, variance: defaultVariance, fixedEffects: true, covariates: []),
                             level: 0.95, permutations: 10_000, seed: 1)
        guard var m = reader else { return a }
        defer { m.finish() }
        a.varianceGiven = m.has("variance")
        a.clusters = m.optionalString("clusters")
        a.primary = readSpecification(&m, inheriting: a.primary)
        a.level = m.double("level", default: 0.95, range: 0.5...0.999) ?? 0.95
        a.fixedEffectsGiven = m.has("strata_fixed_effects")
        if var t = m.mapping("take_up", required: false) {
            if let column = t.string("column") { a.takeUp = TakeUp(column: column) }
            t.finish()
        }
        a.permutations = m.int("permutations", default: 10_000, range: 0...10_000_000) ?? 10_000
        a.seed = UInt64(m.int("seed", default: 1, range: 0...Int(UInt32.max)) ?? 1)
        let primary = a.primary
        a.sensitivity = m.list("sensitivity", required: false) { s -> AnalysisSpecification? in
            let id = s.string("id"), label = s.optionalString("label")
            var spec = readSpecification(&s, inheriting: primary)
            guard let id else { return nil }
            spec.id = id
            spec.label = label ?? id
            if spec == AnalysisSpecification(id: id, label: spec.label, estimator: primary.estimator, variance: primary.variance,
                                             fixedEffects: primary.fixedEffects, covariates: primary.covariates) {
                log.add(s.node, s.path, "the sensitivity analysis \"\(id)\" states nothing that differs from the primary analysis; "
                        + "give it an estimator, variance, covariates or strata_fixed_effects of its own, or remove it")
            }
            return spec
        }
        return a
    }

    /// The keys of one specification; what is not stated is `base`'s.
    private func readSpecification(_ m: inout MappingReader, inheriting base: AnalysisSpecification) -> AnalysisSpecification {
        var spec = base
        spec.estimator = m.choice("estimator", EstimationSpec.Estimator.self, default: base.estimator) ?? base.estimator
        spec.variance = m.choice("variance", VarianceType.self, default: base.variance) ?? base.variance
        spec.fixedEffects = m.bool("strata_fixed_effects", default: base.fixedEffects)
        if m.has("covariates") { spec.covariates = m.stringList("covariates") }
        return spec
    }
}
