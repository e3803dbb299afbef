import Basics
import TrialDesign

/// Why the panel could not be derived. Each message names the unit, column, item or wave and says
/// what to do.
public enum PanelError: Error, Equatable, CustomStringConvertible {
    case duplicateUnit(String)
    case duplicateLinkKey(String, units: [String])
    case unknownArm(unit: String, arm: String, known: [String])
    case unreadableCovariate(unit: String, column: String, value: String)
    case unreadableTakeUp(unit: String, column: String, value: String)
    case unsupportedCovariateRule(covariate: String, rule: String)
    case cannotStandardise(outcome: String, wave: String, item: String, why: String)
    case singularCovariance(outcome: String, wave: String, items: [String])
    case tooFewCompleteCases(outcome: String, wave: String, found: Int, needed: Int)
    case unknownExclusionReason(String, known: [String])
    case inconsistentScreening(String)
    case unknownSource(outcome: String, source: String)
    case recordEndsBeforeStart(source: String, line: Int, start: CalendarDate, end: CalendarDate)
    case surveyWaveMismatch(outcome: String, source: String, sourceWave: String, wave: String)
    case unknownOutcome(String, known: [String])
    case notMeasuredAtWave(outcome: String, wave: String, waves: [String])

    public var description: String {
        switch self {
        case let .duplicateUnit(id):
            return "unit \"\(id)\" appears twice among the assigned units; each unit is assigned once"
        case let .duplicateLinkKey(key, units):
            return "units \(units.joined(separator: ", ")) share the registry link key \(key); registry records "
                + "could not be told apart (check the link column of the cohort)"
        case let .unknownArm(unit, arm, known):
            return "unit \"\(unit)\" is in arm \"\(arm)\", which the design does not have; arms: \(known.joined(separator: ", "))"
        case let .unreadableCovariate(unit, column, value):
            return "covariate column \"\(column)\" of unit \"\(unit)\" holds \"\(value)\", which is not a number; "
                + "recode the column as numbers (yes/no, true/false and ja/nee are read as 1/0)"
        case let .unreadableTakeUp(unit, column, value):
            return "take-up column \"\(column)\" of unit \"\(unit)\" holds \"\(value)\"; allowed: 1/0, yes/no, "
                + "true/false, ja/nee, or empty when unknown"
        case let .unsupportedCovariateRule(covariate, rule):
            return "covariate \"\(covariate)\" uses rule \(rule), which needs a survey item; baseline survey answers "
                + "are not covariates yet: use a cohort column or a registry rule over a pre-assignment window"
        case let .cannotStandardise(outcome, wave, item, why):
            return "outcome \"\(outcome)\" at wave \(wave): item \"\(item)\" cannot be standardised by the control "
                + "group (\(why)); drop the item from the index or check the survey import"
        case let .singularCovariance(outcome, wave, items):
            return "outcome \"\(outcome)\" at wave \(wave): the covariance matrix of items \(items.joined(separator: ", ")) "
                + "is singular (an item is a linear combination of others); drop one of them or use index_mean"
        case let .tooFewCompleteCases(outcome, wave, found, needed):
            return "outcome \"\(outcome)\" at wave \(wave): the inverse-covariance index needs at least \(needed) "
                + "interviews with every item answered to estimate the covariance; found \(found); use index_mean"
        case let .unknownExclusionReason(reason, known):
            return "screening counts exclude for \"\(reason)\", which is not an eligibility rule of the design; "
                + "use a rule id (\(known.joined(separator: ", "))) or its reason text"
        case let .inconsistentScreening(why):
            return "screening counts: \(why)"
        case let .surveyWaveMismatch(outcome, source, sourceWave, wave):
            return "outcome \"\(outcome)\" is measured at wave \(wave) from survey source \"\(source)\", which holds wave "
                + "\(sourceWave); name the survey source of wave \(wave) or change the outcome's windows"
        case let .recordEndsBeforeStart(source, line, start, end):
            return "source \(source), line \(line): the record ends (\(end)) before it starts (\(start)); "
                + "fix the extract or its column mapping (start and end swapped?) and import it again"
        case let .unknownSource(outcome, source):
            return "\"\(outcome)\" reads source \"\(source)\", which the design does not declare"
        case let .unknownOutcome(id, known):
            return "there is no outcome \"\(id)\" in the design; its outcomes are \(known.joined(separator: ", "))"
        case let .notMeasuredAtWave(outcome, wave, waves):
            return "outcome \(outcome) is not measured at wave \(wave); it is measured at \(waves.joined(separator: ", "))"
        }
    }
}
