import TrialDesign
import TrialData

/// What the cohort's own columns give the panel: covariates read from a column (`Panel.derive`'s third
/// stage) and the take-up of the intervention (`analysis.take_up`, read after the surveys).
enum CohortStage {
    /// Fills the cells of the covariates with a `column`: a number (decimal point or comma) or a yes/no
    /// flag; an empty cell is `cohortMissing`; anything else is an error naming the unit.
    static func covariates(design: Design, units: [AssignedUnit], cells covariateCells: inout [PanelCell]) throws {
        let covariateCount = design.covariates.count
        for (c, covariate) in design.covariates.enumerated() {
            guard let column = covariate.column else { continue }
            for (u, unit) in units.enumerated() {
                let text = unit.attributes[column]?.trimmingSpaces ?? ""
                if text.isEmpty { covariateCells[u * covariateCount + c] = .missing(.cohortMissing); continue }
                guard let v = CohortValue.number(text) else {
                    throw PanelError.unreadableCovariate(unit: unit.id, column: column, value: text)
                }
                covariateCells[u * covariateCount + c] = .observed(v)
            }
        }
    }

    /// The take-up of each unit from the cohort column `analysis.take_up` (nil: no such column in the
    /// design, or an empty cell); a cell that is not a flag is an error naming the unit.
    static func takeUp(design: Design, units: [AssignedUnit]) throws -> [Double?] {
        var takeUpOf = [Double?](repeating: nil, count: units.count)
        if let column = design.analysis.takeUp?.column {
            for (u, unit) in units.enumerated() {
                let text = unit.attributes[column]?.trimmingSpaces ?? ""
                if text.isEmpty { continue }
                guard let v = CohortValue.flag(text) else {
                    throw PanelError.unreadableTakeUp(unit: unit.id, column: column, value: text)
                }
                takeUpOf[u] = v
            }
        }
        return takeUpOf
    }
}

/// How cohort text becomes numbers.
enum CohortValue {
    /// A number (decimal point or comma), or a yes/no flag read as 1/0.
    static func number(_ text: String) -> Double? {
        if let v = Double(text) { return v }
        if let v = Double(text.replacingComma) { return v }
        return flag(text)
    }

    /// 1/0, yes/no, true/false, ja/nee, y/n, j/n (any case).
    static func flag(_ text: String) -> Double? {
        switch text.lowercased() {
        case "1", "yes", "true", "ja", "y", "j": return 1
        case "0", "no", "false", "nee", "n": return 0
        default: return nil
        }
    }
}
