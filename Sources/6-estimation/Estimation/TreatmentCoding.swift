/// How a treatment column becomes regressors.
///
/// - `binary`: the values are 0 and 1 with control 0: one regressor, the term is the column name.
/// - `numeric`: any other numeric column without a control level, used as a number by `ols` (one slope,
///   term = the column name).
/// - `levels`: a categorical treatment: one 0/1 indicator per non-control level, term `COLUMN=LEVEL`
///   (R: a factor's dummies `COLUMNLEVEL`).
struct TreatmentCoding {
    enum Kind { case binary, numeric, levels }
    var column: String
    var kind: Kind
    /// The control level's label (nil for `numeric`).
    var control: String?
    /// The non-control levels, in order (numerically sorted when the levels are numbers).
    var arms: [String]
    /// Per row: the level label (for `levels`/`binary`), used to build indicators.
    var rowLevels: [String]
    /// Per row: the numeric value (for `numeric`/`binary`).
    var rowValues: [Double]

    var terms: [String] {
        switch kind {
        case .binary, .numeric: return [column]
        case .levels: return arms.map { "\(column)=\($0)" }
        }
    }

    /// The regressor columns, one per term.
    var regressors: [[Double]] {
        switch kind {
        case .numeric, .binary: return [rowValues]
        case .levels: return arms.map { arm in rowLevels.map { $0 == arm ? 1 : 0 } }
        }
    }

    /// Codes a treatment column over the rows used for one outcome.
    /// - Parameter levelsOnly: true for `dim` and `lin`, which compare arms and so never use a
    ///   non-0/1 numeric treatment as a number.
    static func make(column: String, labels: [String], control: String?, levelsOnly: Bool, outcome: String,
                     notes: inout [EstimationNote]) throws -> TreatmentCoding {
        let numbers = labels.map { Double($0) }
        let numeric = numbers.allSatisfy { $0 != nil }
        // Canonical level per row: numbers compare as numbers ("1" and "1.0" are one level).
        var canonical: [String] = labels
        var display: [String: String] = [:]
        if numeric {
            canonical = numbers.map { v in
                let x = v!
                return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
            }
        }
        for (c, l) in zip(canonical, labels) where display[c] == nil { display[c] = l }
        var levels = Array(Set(canonical))
        if numeric { levels.sort { Double($0)! < Double($1)! } } else { levels.sort() }
        guard levels.count >= 2 else {
            throw EstimationError.singleTreatmentLevel(column: column, outcome: outcome, level: levels.first.flatMap { display[$0] })
        }
        var controlLevel: String
        if let control {
            let key: String
            if numeric, let v = Double(control) {
                key = v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
            } else {
                key = control
            }
            guard levels.contains(key) else {
                throw EstimationError.unknownControlLevel(column: column, level: control, levels: levels.map { display[$0]! })
            }
            controlLevel = key
        } else if numeric && Set(levels) == ["0", "1"] {
            controlLevel = "0"
        } else if numeric && !levelsOnly {
            return TreatmentCoding(column: column, kind: .numeric, control: nil, arms: [], rowLevels: canonical,
                                   rowValues: numbers.map { $0! })
        } else {
            controlLevel = levels[0]
            notes.append(.controlLevelChosen(treatment: column, levels: levels.map { display[$0]! }, control: display[controlLevel]!))
        }
        if numeric && Set(levels) == ["0", "1"] && controlLevel == "0" {
            return TreatmentCoding(column: column, kind: .binary, control: "0", arms: ["1"], rowLevels: canonical,
                                   rowValues: numbers.map { $0! })
        }
        let arms = levels.filter { $0 != controlLevel }
        // Display labels in terms are the labels as first written in the data.
        let rowLevels = canonical.map { display[$0]! }
        return TreatmentCoding(column: column, kind: .levels, control: display[controlLevel]!,
                               arms: arms.map { display[$0]! }, rowLevels: rowLevels, rowValues: [])
    }
}
