import Assignment
import Basics
import Foundation
import Ingest
import NumericCore
import Tabular
import TrialDesign

/// Writes a complete, realistic raw data set for a design like `designs/mission-kortrijk.yaml`, in
/// exactly the files and dialects its `sources` declare, with planted effects and planted extract
/// errors (see `docs/import.md`, section "Simulator"). The same design, seed and family count give
/// byte-identical files (generator mt19937, `NumericCore.RandomGenerator`).
public enum Simulator {
    /// Screened families by default: with the eligibility rates below, about 112 are eligible.
    public static let defaultFamilies = 160
    /// Supplementary-aid share (any supplementary decision starting in the window), control arm.
    static let supplementaryControl = 0.30
    /// The MISSION effects, as planted.
    static let supplementaryIntervention: [Int: Double] = [1: 0.60, 7: 0.40, 13: 0.32, 19: 0.32]
    static let programmeControl = 0.20
    static let programmeIntervention: [Int: Double] = [1: 0.20, 7: 0.40, 13: 0.24, 19: 0.22]
    static let knowledgeShift: [Int: Double] = [0: 0, 6: 0.6, 12: 0.3]
    static let response: [Int: (control: Double, intervention: Double)] = [0: (0.93, 0.93), 6: (0.78, 0.84), 12: (0.75, 0.81)]
    /// Cluster-randomised designs: caseworkers per site, and the SD of a caseworker's shift of the
    /// supplementary-aid probability and of the knowledge score (the planted clustering).
    static let caseworkersPerSite = 6
    static let caseworkerAidSD = 0.10
    static let caseworkerKnowledgeSD = 0.35

    /// Simulates and writes every file into `outputDirectory` (created when missing). Returns the truth
    /// that is also written to `truth.json`.
    @discardableResult
    public static func run(design: Design, seed: UInt64, families: Int = defaultFamilies, outputDirectory: String) throws -> Truth {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        var world = World(design: design, seed: seed, screened: families)
        return try world.write(to: outputDirectory)
    }
}

/// One screened family and, when randomised, its arm and latent traits.
struct Family {
    var id: String
    var insz: String
    var birth: CalendarDate
    var enrolled: CalendarDate
    var weak: [Bool]
    var consent: Bool
    var singleParent: Bool
    var eligible: Bool
    var arm: String?
    var treated = false
    var mandate = false
    /// Cluster-randomised designs: the family's site (the stratum) and caseworker (the cluster), and the
    /// caseworker's own shift of the family's outcomes (the clustering); empty and 0 otherwise.
    var site = ""
    var cluster = ""
    var clusterShift = 0.0
    var band: String { weak.filter { $0 }.count == 3 ? "3" : "4-6" }
}

struct World {
    let design: Design
    let rng: RandomGenerator
    let screened: Int
    var families: [Family] = []
    var used: Set<String> = []
    var errors: [PlantedError] = []
    var rows: [String: Int] = [:]
    var corrections: [String: Int] = [:]
    var window: (from: CalendarDate, to: CalendarDate)

    init(design: Design, seed: UInt64, screened: Int) {
        self.design = design
        rng = RandomGenerator(seed: seed)
        self.screened = screened
        window = (CalendarDate(year: 2017, month: 4, day: 1)!, CalendarDate(year: 2019, month: 4, day: 30)!)
        for rule in design.eligibility {
            if case let .dateWindow(_, from, to) = rule.test { window = (from, to) }
        }
    }

    // MARK: - Draws

    func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + rng.integer(below: r.count) }
    func pick<T>(_ items: [T]) -> T { items[rng.integer(below: items.count)] }
    func pick<T>(_ items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var u = rng.uniform() * total
        for (v, w) in items { if u < w { return v }; u -= w }
        return items.last!.0
    }
    func day(between a: CalendarDate, _ b: CalendarDate) -> CalendarDate { a.adding(days: int(0...(b.dayNumber - a.dayNumber))) }

    /// A national number no other person of the world has: a parent born 1975–2001 with sequence 000 or
    /// 999. That space holds about 19,600 numbers; once eight draws in a row collide (a large world), the
    /// draw widens to births 1930–2005 and bis numbers (month + 20 or + 40), about 164,000 numbers, all
    /// still never issued. Small worlds never widen, so their data stay as they were.
    mutating func freshINSZ() -> String {
        for _ in 0..<8 {
            let birth = day(between: CalendarDate(year: 1975, month: 1, day: 1)!, CalendarDate(year: 2001, month: 12, day: 31)!)
            let n = SyntheticINSZ.make(birth: birth, sequence: rng.bernoulli(0.5) ? 0 : 999)
            if used.insert(n).inserted { return n }
        }
        while true {
            let birth = day(between: CalendarDate(year: 1930, month: 1, day: 1)!, CalendarDate(year: 2005, month: 12, day: 31)!)
            let n = SyntheticINSZ.make(birth: birth, sequence: rng.bernoulli(0.5) ? 0 : 999, bisOffset: 20 * int(0...2))
            if used.insert(n).inserted { return n }
        }
    }

    // MARK: - Cohort and assignment

    mutating func screen() {
        let weakP = [0.75, 0.70, 0.55, 0.75, 0.60, 0.55]
        for i in 1...screened {
            let birth = day(between: window.from.adding(days: -60), window.to.adding(days: 45))
            var enrolled = birth.adding(days: int(10...45))
            if birth <= window.to && enrolled > window.to { enrolled = max(birth.adding(days: 1), window.to) }
            let weak = weakP.map { rng.bernoulli($0) }
            let consent = rng.bernoulli(0.92)
            let single = rng.bernoulli(0.35)
            let eligible = birth >= window.from && birth <= window.to && weak.filter { $0 }.count >= 3 && consent
            families.append(Family(id: "F" + SyntheticINSZ.pad(i, 4), insz: freshINSZ(), birth: birth, enrolled: enrolled,
                                   weak: weak, consent: consent, singleParent: single, eligible: eligible))
        }
        if design.randomisation.clusterColumn != nil { placeInClusters() }
    }

    /// The sites of a cluster-randomised design: the levels of its first stratum (three sites when it
    /// declares none).
    var sites: [String] {
        if let s = design.strata.first, !s.levels.isEmpty { return s.levels }
        return ["site1", "site2", "site3"]
    }

    /// Cluster-randomised designs: every family is taken in by one caseworker (`caseworkersPerSite` per
    /// site, uniformly), and every caseworker shifts the outcomes of their families (normal, SDs above).
    /// Drawn from a generator stream of its own (`clusterSeed`), so the other draws do not change.
    mutating func placeInClusters() {
        let g = RandomGenerator(seed: Self.clusterSeed(rng.seed))
        var shifts: [String: Double] = [:]
        for site in sites {
            for k in 1...Simulator.caseworkersPerSite { shifts["\(site)-cw\(k)"] = g.normal(mean: 0, sd: 1) }
        }
        for i in families.indices {
            let site = sites[g.integer(below: sites.count)]
            let cluster = "\(site)-cw\(1 + g.integer(below: Simulator.caseworkersPerSite))"
            families[i].site = site
            families[i].cluster = cluster
            families[i].clusterShift = shifts[cluster]!
        }
    }

    static func clusterSeed(_ seed: UInt64) -> UInt64 { seed ^ 0xC105_7E2E_D000_0001 }

    /// Draws the arms with the project's own assignment procedure, exactly as `rct assign --design` does
    /// on the cohort file: the cohort as written is read back, taken in through `CohortIntake` (national
    /// numbers pseudonymised with the design's key), screened with the design's eligibility rules and
    /// assigned by `TrialAssigner` with the design's method, strata, block sizes, capacity and seed (in
    /// enrolment order for rolling methods). So the planted arms are the arms the trial store will hold,
    /// and the planted effects appear in `rct run`. Take-up (the mandate) is then drawn here: 85% of the
    /// intervention families, none of the control families.
    mutating func assign(cohortPath: String, keyPath: String?) throws {
        let cohort = try CohortReader.read(path: cohortPath, dialect: design.sources.first { $0.kind == .cohort }?.dialect ?? .standard,
                                            dateColumns: design.cohortDateColumns)
        let header = cohort.header, rows = cohort.rows
        var intake = CohortIntake(design: design, pseudonymizer: nil, source: cohortPath)
        if intake.needsKey, let keyPath { intake.pseudonymizer = try Pseudonymizer(keyFile: keyPath) }
        try intake.checkHeader(header)
        var plan = AssignmentPlan(design: design)
        // Capacity does not change the draws, only whether enrolment pauses: a large simulated cohort
        // keeps being randomised past the places (the MISSION cohort never fills them, so its arms are
        // exactly those of rct assign).
        if var capacity = plan.capacity, capacity.whenFull == .pause {
            capacity.whenFull = .keepRandomising
            plan.capacity = capacity
        }
        try plan.checkHeader(header, source: cohortPath)
        let run = try TrialAssigner(plan: plan, source: cohortPath).run(try intake.units(rows))
        let index = Dictionary(uniqueKeysWithValues: families.indices.map { (families[$0].id, $0) })
        let control = design.controlArm.id
        for a in run.assignments {
            guard let i = index[a.unitID] else { continue }
            families[i].arm = a.arm
            families[i].treated = a.arm != control
            families[i].mandate = families[i].treated && rng.bernoulli(0.85)
        }
    }

    var randomised: [Family] { families.filter { $0.arm != nil } }

    // MARK: - Writing

    mutating func write(to dir: String) throws -> Truth {
        // The simulator writes text in the sources' dialects; an SPSS or Stata source is made by its own program.
        if let s = design.sources.first(where: { $0.dialect.format.isStatFile }) {
            throw SimulationError.unsupportedDesign("source \(s.id): the simulator writes text files, not \(s.dialect.format.rawValue) files; "
                + "simulate the design with format: delimited for it (and convert the file yourself if you need one)")
        }
        screen()
        func out(_ file: String) -> String { (dir as NSString).appendingPathComponent((file as NSString).lastPathComponent) }
        let keyPath = design.pseudonymisation?.keyFile.map { out($0) }
        if let keyPath {
            try Data("simulated-test-key-\(rng.seed)-not-a-secret\n".utf8).write(to: URL(fileURLWithPath: keyPath))
        }

        // Cohort (the design's cohort source, or a UTF-8 comma file).
        let cohortSource = design.sources.first { $0.kind == .cohort }
        let cohortWriter = cohortSource.map { DialectWriter(dialect: $0.dialect) } ?? DialectWriter(plain: ())
        let cohortFile = cohortSource?.file ?? "cohort.csv"
        let link = design.trial.linkColumn ?? "insz"
        var header = [design.trial.idColumn, link, "birth_date", "enrolled_on", "weak_income", "weak_education",
                      "weak_stimulation", "weak_employment", "weak_housing", "weak_health", "consent",
                      "deprivation_band", "domains_weak", "single_parent"]
        // Cluster-randomised: the site (the design's first stratum column) and the caseworker (the cluster column).
        let clusterColumn = design.randomisation.clusterColumn
        let siteColumn = design.strata.first?.column ?? "site"
        if let clusterColumn { header += [siteColumn, clusterColumn] }
        let cohortRows: [[Cell]] = families.map { f in
            [.text(f.id), .text(f.insz), .date(f.birth), .date(f.enrolled)] + f.weak.map { .text($0 ? "1" : "0") }
                + [.text(f.consent ? "yes" : "no"), .text(f.band), .integer(f.weak.filter { $0 }.count), .text(f.singleParent ? "1" : "0")]
                + (clusterColumn == nil ? [] : [.text(f.site), .text(f.cluster)])
        }
        _ = try cohortWriter.writeDelimited(path: out(cohortFile), header: header, rows: cohortRows)
        rows[(cohortFile as NSString).lastPathComponent] = cohortRows.count
        try assign(cohortPath: out(cohortFile), keyPath: keyPath)

        let assignment = randomised.map { f -> [Cell] in
            [.text(f.id), .text(f.arm!), .date(f.enrolled), .text(f.mandate ? "1" : "0")]
        }
        _ = try DialectWriter(plain: ()).writeDelimited(path: out("assignment_planted.csv"),
                                                             header: [design.trial.idColumn, "arm", "assigned_on", "mandate"], rows: assignment)
        rows["assignment_planted.csv"] = assignment.count

        var leefloonMonths: [(family: Int, month: CalendarDate, amount: Double, category: String)] = []
        for source in design.sources {
            switch source.kind {
            case .ocmwLeefloon: leefloonMonths = try writeLeefloon(source, out(source.file))
            case .ocmwAid: try writeAid(source, out(source.file))
            case .vdabStatus: try writeVDAB(source, out(source.file))
            case .survey: try writeSurvey(source, out(source.file))
            case .kszPosition: try writeKSZ(source, out(source.file))
            case .takeUp: try writeTakeUp(source, out(source.file))
            case .cohort, .assignment, .federalStatements, .scopeExit: break
            case .spells, .payments, .events:
                throw SimulationError.unsupportedDesign("source \(source.id): the simulator does not write \(source.kind.rawValue) files yet; "
                    + "simulate a design without it, or give the file yourself")
            }
        }
        for source in design.sources where source.kind == .federalStatements {
            try writeStatements(source, out(source.file), leefloon: leefloonMonths)
        }
        // Last, from a generator stream of their own, so that declaring a scope_exit source leaves every
        // other file byte-identical.
        for source in design.sources where source.kind == .scopeExit {
            try writeScopeExits(source, out(source.file))
        }

        var perArm: [String: Int] = [:]
        for f in randomised { perArm[f.arm!, default: 0] += 1 }
        let truth = Truth(
            generator: rng.name, seed: rng.seed, design: design.trial.id, familiesScreened: screened,
            eligible: families.filter(\.eligible).count, randomised: perArm, effects: plantedEffects(),
            plantedErrors: errors, rows: rows, corrections: corrections,
            note: "Simulated data: national numbers use the never-issued sequence numbers 000 and 999. Windows are months after assignment.")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try (encoder.encode(truth) + Data("\n".utf8)).write(to: URL(fileURLWithPath: out("truth.json")))
        return truth
    }

    func plantedEffects() -> [PlantedEffect] {
        var e: [PlantedEffect] = []
        for (from, p) in Simulator.supplementaryIntervention.sorted(by: { $0.key < $1.key }) {
            e.append(PlantedEffect(outcome: "supplementary_aid", measure: "share", window: "months \(from)-\(from + 5)",
                                   control: Simulator.supplementaryControl, intervention: p,
                                   note: "probability that at least one supplementary decision starts in the window; the share with any decision overlapping the window is higher, since structural top-ups and price reductions run on for months"))
        }
        for (from, p) in Simulator.programmeIntervention.sorted(by: { $0.key < $1.key }) {
            e.append(PlantedEffect(outcome: "employment_programme", measure: "share", window: "months \(from)-\(from + 5)",
                                   control: Simulator.programmeControl, intervention: p,
                                   note: "probability of a training or trajectory spell (2-5 months, kept inside the window) among families with a VDAB file (90%); months counted as calendar months after the assignment month"))
        }
        e.append(PlantedEffect(outcome: "leefloon", measure: "difference", window: "every month", control: 0, intervention: 0,
                               note: "no effect: both arms follow the same monthly chain (45% on the leefloon at the start, stay 94%, enter 3% a month)"))
        for (wave, shift) in Simulator.knowledgeShift.sorted(by: { $0.key < $1.key }) {
            e.append(PlantedEffect(outcome: "knows_rights", measure: "mean shift per item (1-5)", window: "wave at month \(wave)",
                                   control: 0, intervention: shift))
        }
        e.append(PlantedEffect(outcome: "material_aid", measure: "share", window: "wave at month 6", control: 0.30, intervention: 0.45))
        e.append(PlantedEffect(outcome: "services_fit", measure: "mean shift (1-5)", window: "wave at month 6", control: 0, intervention: 0.5))
        if design.randomisation.clusterColumn != nil {
            e.append(PlantedEffect(outcome: "clustering", measure: "caseworker shift (SD)", window: "every window",
                                   control: 0, intervention: 0,
                                   note: "each caseworker (\(Simulator.caseworkersPerSite) per site) shifts the supplementary-aid probability by \(Simulator.caseworkerAidSD) and the knowledge items by \(Simulator.caseworkerKnowledgeSD) times a standard normal draw of their own, in both arms"))
        }
        for (wave, r) in Simulator.response.sorted(by: { $0.key < $1.key }) {
            e.append(PlantedEffect(outcome: "survey_response", measure: "response", window: "wave at month \(wave)",
                                   control: r.control, intervention: r.intervention))
        }
        return e
    }

    /// Calendar month k months after the assignment month.
    func calendarMonth(_ f: Family, _ k: Int) -> CalendarDate {
        let m = f.enrolled.adding(months: k)
        return CalendarDate(year: m.year, month: m.month, day: 1)!
    }

    func names(_ source: Source, _ fields: [String]) -> [String] {
        [source.identifierColumn] + fields.map { source.columns[$0] ?? $0 }
    }

    /// The raw code the file uses for a canonical value (reverse of the design's `codes:`).
    func raw(_ source: Source, _ field: String, _ canonical: String, defaults: [String: String] = [:]) -> String {
        if let m = source.codes[field], let k = m.filter({ $0.value == canonical }).keys.sorted().first { return k }
        if let k = defaults.filter({ $0.value == canonical }).keys.sorted().first { return k }
        return canonical
    }

    /// Inserts `row` at a random position at or after `after` and returns its index.
    mutating func insert<T>(_ row: T, into list: inout [T], after: Int = 0) -> Int {
        let i = int(min(after, list.count)...list.count)
        list.insert(row, at: i)
        return i
    }

    /// 31 February of `year` in the day form of `f` (a day that does not exist).
    func invalidDay(_ f: DateFormat, year: Int) -> String {
        let sep = f.dayForm.separator.map { String(UnicodeScalar($0)) } ?? ""
        return f.dayForm.order == .dayMonthYear ? "31\(sep)02\(sep)\(year)" : "\(year)\(sep)02\(sep)31"
    }

    // MARK: - Sources

    /// The seed of the scope-exit stream: the main seed mixed with a constant, so that the exits are
    /// drawn independently of (and after) every other file.
    static func scopeExitSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x5C0F_E0E1_7000_0001 }

    /// `scope_exit`: a handful of families leave the municipality (or, rarely, a parent dies) during
    /// follow-up. Each randomised family leaves with probability 5%, whatever its arm, on a day drawn
    /// uniformly over months 1–18 after assignment; 1 in 10 exits is a death. Drawn from a separate
    /// mt19937 stream (`scopeExitSeed`), so the other files do not change. Written in the source's
    /// dialect with the raw labels of its `codes:` (e.g. `verhuisd`, `overleden`).
    mutating func writeScopeExits(_ source: Source, _ path: String) throws {
        let g = RandomGenerator(seed: Self.scopeExitSeed(rng.seed))
        var list: [[Cell]] = []
        for f in randomised {
            guard g.bernoulli(0.05) else { continue }
            let from = f.enrolled.adding(months: 1), to = f.enrolled.adding(months: 18)
            let day = from.adding(days: g.integer(below: to.dayNumber - from.dayNumber + 1))
            let reason = g.bernoulli(0.1) ? "died" : "moved"
            list.append([.text(source.identifierType == .insz ? f.insz : f.id), .date(day), .text(raw(source, "reason", reason))])
        }
        _ = try DialectWriter(dialect: source.dialect).writeDelimited(path: path, header: names(source, ["date", "reason"]), rows: list)
        rows[(path as NSString).lastPathComponent] = list.count
    }

    mutating func writeLeefloon(_ source: Source, _ path: String) throws -> [(family: Int, month: CalendarDate, amount: Double, category: String)] {
        var list: [[Cell]] = []
        var months: [(family: Int, month: CalendarDate, amount: Double, category: String)] = []
        let fams = randomised
        for (i, f) in fams.enumerated() {
            var on = rng.bernoulli(0.45)
            let category = f.singleParent || rng.bernoulli(0.8) ? "3" : "1"
            for k in -12...24 {
                on = on ? rng.bernoulli(0.94) : rng.bernoulli(0.03)
                guard on else { continue }
                let m = calendarMonth(f, k)
                let base = category == "3" ? 1_190.27 : 595.13
                var amount = (base * pow(1.02, Double(m.year - 2017) + Double(m.month - 1) / 12) * 100).rounded() / 100
                if rng.bernoulli(0.05) { amount = (amount * Double(int(20...90)) / 100 * 100).rounded() / 100 }
                months.append((i, m, amount, category))
                list.append([.text(f.insz), .month(m), .amount(amount), .text(raw(source, "category", category))])
            }
        }
        // Planted: a mistyped national number, and a record of someone who is not a participant.
        var bad = list[int(0...(list.count - 1))]
        if case let .text(n) = bad[0] { bad[0] = .text(SyntheticINSZ.corrupt(n)) }
        let badIndex = insert(bad, into: &list)
        var stranger = list[int(0...(list.count - 1))]
        stranger[0] = .text(freshINSZ())
        var strangerIndex = insert(stranger, into: &list)
        let badAt = strangerIndex <= badIndex ? badIndex + 1 : badIndex
        if strangerIndex > list.count { strangerIndex = list.count - 1 }
        let lines = try DialectWriter(dialect: source.dialect).writeDelimited(
            path: path, header: names(source, ["month", "amount", "category"]), rows: list)
        let file = (path as NSString).lastPathComponent
        errors.append(PlantedError(file: file, line: lines[badAt], reason: "invalid_national_number", needsKnownParticipants: false))
        errors.append(PlantedError(file: file, line: lines[strangerIndex], reason: "unknown_participant", needsKnownParticipants: true))
        rows[file] = list.count
        return months
    }

    mutating func writeAid(_ source: Source, _ path: String) throws {
        struct Decision { var family: Int; var kind: String; var decided: CalendarDate; var start: CalendarDate; var end: CalendarDate?; var amount: Double?; var text: String }
        let texts: [String: [String]] = [
            "supplementary_one_off": ["Tussenkomst ziekenhuisfactuur", "Eénmalige steun energiefactuur", "Huurwaarborg; aanvulling via OCMW"],
            "supplementary_structural": ["Crèche: bijdrage € 2/dag", "Aanvulling leefloon (coëfficiënt)", "Toelage kinderopvang"],
            "supplementary_price_reduction": ["Maaltijden sociaal restaurant", "Vrijetijdspas – korting 80%", "Zwembad & sportkamp"],
            "rental_deposit": ["Huurwaarborg renteloze lening"],
            "medical_card": ["Medische kaart\nhuisarts & apotheek", "Medische kaart – tandarts"],
            "debt_mediation": ["Collectieve schuldenregeling (bemiddeling)"],
            "budget_guidance": ["Budgetbegeleiding, opvolging maandelijks"],
            "budget_management": ["Budgetbeheer: beheer inkomsten"],
            "gpmi": ["GPMI – geïndividualiseerd project"],
            "art60": ["Tewerkstelling art. 60§7 (tijdelijke werkervaring)"],
            "advance": ["Voorschot op kinderbijslag"],
            "emergency_aid": ["Dringende hulp: voedselpakket"],
        ]
        let supplementary = ["supplementary_one_off", "supplementary_structural", "supplementary_price_reduction"]
        let monthly: [(String, Double)] = [("medical_card", 0.03), ("rental_deposit", 0.005), ("debt_mediation", 0.006),
                                           ("budget_guidance", 0.008), ("budget_management", 0.005), ("gpmi", 0.008),
                                           ("art60", 0.004), ("advance", 0.008), ("emergency_aid", 0.008)]
        var decisions: [Decision] = []
        var keys: Set<String> = []
        let fams = randomised
        func add(_ d: Decision) {
            let key = "\(d.family)|\(d.kind)|\(d.start)"
            if keys.insert(key).inserted { decisions.append(d) }
        }
        for (i, f) in fams.enumerated() {
            func dayIn(_ k: Int) -> CalendarDate {
                // Month k ≥ 1 after assignment: the days after k−1 months up to k months; k ≤ 0: the calendar month.
                if k >= 1 { return day(between: f.enrolled.adding(months: k - 1).adding(days: 1), f.enrolled.adding(months: k)) }
                let m = calendarMonth(f, k)
                return day(between: m, m.endOfMonth)
            }
            func decision(_ kind: String, _ k: Int) -> Decision {
                let start = dayIn(k)
                var end: CalendarDate?
                var amount: Double?
                switch kind {
                case "supplementary_one_off": amount = Double(int(5_000...60_000)) / 100; end = start
                case "supplementary_structural": amount = Double(int(4_000...25_000)) / 100; end = start.adding(months: int(3...12)).adding(days: -1)
                case "supplementary_price_reduction": amount = Double(int(2_000...15_000)) / 100; end = start.adding(months: int(1...6)).adding(days: -1)
                case "rental_deposit": amount = Double(int(80_000...200_000)) / 100; end = start
                case "medical_card": end = start.adding(months: 3).adding(days: -1)
                case "advance", "emergency_aid": amount = Double(int(5_000...40_000)) / 100; end = start
                case "art60": end = start.adding(months: int(12...24)).adding(days: -1)
                default: end = rng.bernoulli(0.5) ? nil : start.adding(months: 12).adding(days: -1)
                }
                return Decision(family: i, kind: kind, decided: start.adding(days: -int(0...20)), start: start, end: end,
                                amount: amount, text: pick(texts[kind]!))
            }
            for blockStart in [-12, -6, 1, 7, 13, 19] {
                let blockEnd = blockStart == -6 ? 0 : blockStart + 5
                var p = f.treated && blockStart >= 1 ? Simulator.supplementaryIntervention[blockStart]! : Simulator.supplementaryControl
                if f.clusterShift != 0 { p = min(0.95, max(0.02, p + Simulator.caseworkerAidSD * f.clusterShift)) }
                guard rng.bernoulli(p) else { continue }
                for _ in 0..<(1 + rng.poisson(mean: 0.5)) {
                    add(decision(pick([(supplementary[0], 0.4), (supplementary[1], 0.35), (supplementary[2], 0.25)]), int(blockStart...blockEnd)))
                }
            }
            for k in -12...24 {
                for (kind, p) in monthly where rng.bernoulli(p) { add(decision(kind, k)) }
            }
        }
        decisions.sort { ($0.family, $0.decided, $0.kind) < ($1.family, $1.decided, $1.kind) }
        // Corrections: a later decision with the same participant, kind and start date.
        var all: [Decision] = []
        var corrections = 0
        for d in decisions {
            all.append(d)
            if rng.bernoulli(0.04) {
                var c = d
                c.decided = d.decided.adding(days: int(5...30))
                if let a = d.amount { c.amount = (a * 1.1 * 100).rounded() / 100 } else { c.end = (d.end ?? d.start).adding(months: 1) }
                all.append(c)
                corrections += 1
            }
        }
        let fields = ["decision_date", "kind", "description", "start", "end", "amount"]
        var list: [[Cell]] = all.map { d in
            [.text(fams[d.family].insz), .date(d.decided), .text(raw(source, "kind", d.kind)), .text(d.text), .date(d.start),
             d.end.map { .date($0) } ?? .empty, d.amount.map { .amount($0) } ?? .empty]
        }
        var bad = list[int(0...(list.count - 1))]
        bad[1] = .text(invalidDay(source.dialect.dateFormat, year: 2018))
        let badIndex = insert(bad, into: &list)
        var header = names(source, fields)
        header[3] = "omschrijving"
        let lines = try DialectWriter(dialect: source.dialect).writeDelimited(path: path, header: header, rows: list)
        let file = (path as NSString).lastPathComponent
        errors.append(PlantedError(file: file, line: lines[badIndex], reason: "unparseable_date", needsKnownParticipants: false))
        rows[file] = list.count
        self.corrections[file] = corrections
    }

    mutating func writeVDAB(_ source: Source, _ path: String) throws {
        var list: [[Cell]] = []
        for f in randomised where rng.bernoulli(0.9) {
            var category = pick([("00", 0.40), ("02", 0.08), ("04", 0.10), ("05", 0.07), ("10", 0.03), ("80", 0.10),
                                 ("82", 0.08), ("11", 0.04), ("30", 0.10)])
            var programme: Set<Int> = []
            for blockStart in [-12, -6, 1, 7, 13, 19] {
                let blockEnd = blockStart == -6 ? 0 : blockStart + 5
                let p = f.treated && blockStart >= 1 ? Simulator.programmeIntervention[blockStart]! : Simulator.programmeControl
                guard rng.bernoulli(p) else { continue }
                let first = int(blockStart...blockEnd), length = int(2...5)
                for k in first..<(first + length) where k <= blockEnd { programme.insert(k) }
            }
            let kind = pick(["training", "trajectory"])
            for k in -12...24 {
                if rng.bernoulli(0.08) {
                    category = pick([("00", 0.40), ("02", 0.05), ("04", 0.10), ("05", 0.07), ("80", 0.15), ("82", 0.10), ("30", 0.13)])
                }
                let placement = programme.contains(k) ? kind : (rng.bernoulli(0.06) ? "placement" : (rng.bernoulli(0.02) ? "not_deployable" : "none"))
                list.append([.text(f.insz), .month(calendarMonth(f, k)), .text(category), .text(raw(source, "placement", placement))])
            }
        }
        let original = int(0...(list.count - 1))
        let dupIndex = insert(list[original], into: &list, after: original + 1)
        let lines = try DialectWriter(dialect: source.dialect).writeDelimited(
            path: path, header: names(source, ["month", "category", "placement"]), rows: list)
        let file = (path as NSString).lastPathComponent
        errors.append(PlantedError(file: file, line: lines[dupIndex], reason: "duplicate_row", needsKnownParticipants: false))
        rows[file] = list.count
    }

    mutating func writeStatements(_ source: Source, _ path: String,
                                  leefloon: [(family: Int, month: CalendarDate, amount: Double, category: String)]) throws {
        let fams = randomised
        func field(_ canonical: String) -> String { source.columns[canonical] ?? canonical }
        var list: [[String: String]] = []
        for (n, l) in leefloon.enumerated() {
            func line(type: String, sign: String, amount: Double) -> [String: String] {
                [field("legislation"): "1", field("municipality"): "34022",
                 field("statement_month"): DialectWriter.formatMonth(l.month, .compactYearMonth),
                 "file_number": SyntheticINSZ.pad(2_017_000_000 + l.family * 7 + 1, 10),
                 source.identifierColumn: fams[l.family].insz,
                 field("amount_type"): raw(source, "amount_type", type, defaults: [:].merging(["1": "allocation", "2": "arrears", "3": "recovery", "4": "regularisation"]) { a, _ in a }),
                 field("period_start"): DialectWriter.formatDate(l.month, .compact),
                 field("period_end"): DialectWriter.formatDate(l.month.endOfMonth, .compact),
                 field("sign"): sign,
                 field("amount_cents"): SyntheticINSZ.pad(Int((amount * 100).rounded()), 8),
                 field("category"): l.category]
            }
            list.append(line(type: "allocation", sign: "+", amount: l.amount))
            if n % 37 == 5 { list.append(line(type: "recovery", sign: "-", amount: Double(int(500...9_000)) / 100)) }
        }
        _ = try DialectWriter(dialect: source.dialect).writeFixedWidth(path: path, rows: list)
        rows[(path as NSString).lastPathComponent] = list.count
    }

    /// KSZ datawarehouse: one socio-economic position per person per quarter, 4 quarters before to 8
    /// after the assignment quarter; no planted effect.
    mutating func writeKSZ(_ source: Source, _ path: String) throws {
        var list: [[Cell]] = []
        for f in randomised {
            var position = pick([("job_seeker", 0.45), ("working", 0.25), ("not_active", 0.25), ("unknown", 0.05)])
            let q0 = f.enrolled.year * 4 + (f.enrolled.month - 1) / 3
            for q in (q0 - 4)...(q0 + 8) {
                if rng.bernoulli(0.1) { position = pick([("job_seeker", 0.45), ("working", 0.3), ("not_active", 0.2), ("unknown", 0.05)]) }
                list.append([.text(f.insz), .text("\(q / 4)Q\(q % 4 + 1)"), .text(raw(source, "position", position))])
            }
        }
        _ = try DialectWriter(dialect: source.dialect).writeDelimited(
            path: path, header: names(source, ["quarter", "position"]), rows: list)
        rows[(path as NSString).lastPathComponent] = list.count
    }

    /// The case managers' register of mandates (a `take_up` source): one row per randomised family with
    /// the take-up column (`analysis.take_up.column`, default `mandate`) as 1 or 0.
    mutating func writeTakeUp(_ source: Source, _ path: String) throws {
        let column = design.analysis.takeUp?.column ?? "mandate"
        let list: [[Cell]] = randomised.map { [.text($0.id), .text($0.mandate ? "1" : "0")] }
        _ = try DialectWriter(dialect: source.dialect).writeDelimited(path: path, header: [source.identifierColumn, column], rows: list)
        rows[(path as NSString).lastPathComponent] = list.count
    }

    mutating func writeSurvey(_ source: Source, _ path: String) throws {
        let wave = design.waves.first { $0.id == source.wave }
        let offset = wave?.offsetMonths ?? 0
        let items = ["rights_leefloon", "rights_childcare", "rights_energy", "rights_health", "services_fit",
                     "material_aid", "household_income", "social_housing", "regular_employment"]
        let missing = source.missingCodes.isEmpty ? ["-9"] : source.missingCodes
        var list: [[Cell]] = []
        for f in randomised {
            let r = Simulator.response[offset] ?? (0.8, 0.8)
            // The family's latent knowledge is drawn for every wave in the same order, so answers vary by wave.
            let knowledge = rng.normal(mean: 2.8, sd: 0.8) + Simulator.caseworkerKnowledgeSD * f.clusterShift
            guard rng.bernoulli(f.treated ? r.intervention : r.control) else { continue }
            let target = f.enrolled.adding(months: offset)
            let date: CalendarDate
            if offset == 0 { date = target.adding(days: int(-20...25)) }
            else if rng.bernoulli(0.06) { date = target.adding(days: int(65...100)) }
            else { date = target.adding(days: int(-10...40)) }
            let shift = f.treated ? (Simulator.knowledgeShift[offset] ?? 0) : 0
            func likert(_ mean: Double) -> Double { min(5, max(1, (mean + rng.normal(sd: 0.6)).rounded())) }
            var answers: [Double] = []
            for _ in 0..<4 { answers.append(likert(knowledge + shift)) }
            answers.append(likert(3.0 + (f.treated && offset == 6 ? 0.5 : 0)))
            answers.append(rng.bernoulli(f.treated && offset == 6 ? 0.45 : 0.30) ? 1 : 0)
            answers.append(max(600, (rng.normal(mean: 1_700, sd: 400) / 10).rounded() * 10))
            answers.append(rng.bernoulli(0.30) ? 1 : 0)
            answers.append(rng.bernoulli(0.25) ? 1 : 0)
            var row: [Cell] = [.text(f.id), .date(date)]
            for a in answers {
                row.append(rng.bernoulli(0.04) ? .text(pick(missing)) : .integer(Int(a)))
            }
            list.append(row)
        }
        let header = [source.identifierColumn, source.columns["interview_date"] ?? "interview_date"] + items
        _ = try DialectWriter(dialect: source.dialect).writeDelimited(path: path, header: header, rows: list)
        rows[(path as NSString).lastPathComponent] = list.count
    }
}
