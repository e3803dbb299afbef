/// Every way an estimation can be refused. Each message names the column, block or cluster at fault and
/// says what to do; the command line prints it and exits non-zero.
public enum EstimationError: Error, Equatable, CustomStringConvertible {
    /// A column named in the specification is not in the data.
    case unknownColumn(String, available: [String])
    /// The data has two columns with the same name.
    case duplicateColumn(String)
    /// A column that must hold numbers (outcome, covariate, weight, …) holds text.
    case notNumeric(column: String, role: String, value: String, line: Int?)
    /// The specification itself is inconsistent (e.g. `iv` without instruments); the text says what to fix.
    case invalidSpecification(String)
    /// The treatment column has fewer than two levels among the complete rows of an outcome.
    case singleTreatmentLevel(column: String, outcome: String, level: String?)
    /// `control` names a level that does not occur in the treatment column.
    case unknownControlLevel(column: String, level: String, levels: [String])
    /// A block of a blocked difference in means lacks one of the two arms being compared.
    case blockWithOneArm(column: String, block: String, present: String, missing: String)
    /// A block of a (non matched-pair) difference in means has a single unit in one arm.
    case blockTooSmall(column: String, block: String, arm: String)
    /// A block has a single unit (or cluster) in total.
    case blockWithOneUnit(column: String, block: String)
    /// A cluster contains units with different treatments where the estimator assumes cluster assignment.
    case mixedTreatmentCluster(column: String, cluster: String, treatment: String)
    /// A block that does not contain all of the clusters it holds (clusters must nest in blocks).
    case clusterAcrossBlocks(cluster: String, clusterColumn: String, blockColumn: String)
    /// The design matrix is rank deficient: `column` is a linear combination of the columns before it.
    case singularDesign(outcome: String, column: String, others: [String])
    /// A regressor that is constant within every stratum of the absorbed fixed effects.
    case absorbedByFixedEffects(outcome: String, column: String, fixedEffects: String)
    /// Too few complete observations or clusters for the requested estimate.
    case tooFewObservations(outcome: String, detail: String)
    /// A weight that is negative, zero or not finite.
    case invalidWeight(column: String, value: Double, line: Int?)

    public var description: String {
        switch self {
        case let .unknownColumn(name, available):
            return "there is no column \"\(name)\"; the columns are: \(available.joined(separator: ", ")). Check the spelling (names are case-sensitive)."
        case let .duplicateColumn(name):
            return "the column name \"\(name)\" occurs twice in the header; rename one of them"
        case let .notNumeric(column, role, value, line):
            let at = line.map { "line \($0), " } ?? ""
            return "\(at)column \"\(column)\" (\(role)): \"\(value)\" is not a number; the \(role) must be numeric (leave a cell empty for a missing value)"
        case let .invalidSpecification(text):
            return text
        case let .singleTreatmentLevel(column, outcome, level):
            let only = level.map { " (only \"\($0)\")" } ?? ""
            return "treatment column \"\(column)\" has a single level\(only) among the complete rows for outcome \"\(outcome)\"; an effect needs both arms. Check the treatment column and missing values."
        case let .unknownControlLevel(column, level, levels):
            return "--control \"\(level)\" is not a level of treatment column \"\(column)\"; its levels are: \(levels.joined(separator: ", "))"
        case let .blockWithOneArm(column, block, present, missing):
            return "block \"\(block)\" of column \"\(column)\" has units only in arm \"\(present)\" and none in \"\(missing)\"; every block needs both arms. Merge the block with a neighbour or drop it."
        case let .blockTooSmall(column, block, arm):
            return "block \"\(block)\" of column \"\(column)\" has a single unit in arm \"\(arm)\", so its variance cannot be estimated; merge it with another block (or use matched pairs: blocks of exactly two units)"
        case let .blockWithOneUnit(column, block):
            return "block \"\(block)\" of column \"\(column)\" has a single unit (or cluster); every block needs units in both arms. Merge it with another block."
        case let .mixedTreatmentCluster(column, cluster, treatment):
            return "cluster \"\(cluster)\" of column \"\(column)\" contains units with different values of treatment \"\(treatment)\"; a clustered difference in means needs assignment by cluster. Check the cluster column, or use --estimator ols with --clusters for clustered standard errors."
        case let .clusterAcrossBlocks(cluster, clusterColumn, blockColumn):
            return "cluster \"\(cluster)\" of column \"\(clusterColumn)\" spans several blocks of column \"\(blockColumn)\"; clusters must nest within blocks. Check both columns."
        case let .singularDesign(outcome, column, others):
            let with = others.isEmpty ? "" : " of \(others.map { "\"\($0)\"" }.joined(separator: ", "))"
            return "outcome \"\(outcome)\": the design is singular: column \"\(column)\" is constant or a linear combination\(with) (collinear); remove it from the specification or check the data"
        case let .absorbedByFixedEffects(outcome, column, fixedEffects):
            return "outcome \"\(outcome)\": the design is singular: column \"\(column)\" is constant within every stratum of the fixed effects \"\(fixedEffects)\", so it is absorbed by them (collinear); remove it from the specification or drop --fixed-effects"
        case let .tooFewObservations(outcome, detail):
            return "outcome \"\(outcome)\": \(detail)"
        case let .invalidWeight(column, value, line):
            let at = line.map { "line \($0), " } ?? ""
            return "\(at)weights column \"\(column)\": weight \(value) is not positive and finite; weights must be > 0 (drop the row or fix the weight)"
        }
    }
}
