/// Every way an estimation can be refused. Each case carries what is at fault (the column, block,
/// cluster or argument) as data; `describe(_:)` words it in the caller's terms (the command line's
/// options, the design's keys; see `SpecificationWording`), and `description` in neutral terms. Every
/// message names what is at fault and says what to do.
public enum EstimationError: Error, Equatable, CustomStringConvertible {
    /// A column named in the specification is not in the data.
    case unknownColumn(String, available: [String])
    /// The data has two columns with the same name.
    case duplicateColumn(String)
    /// A column that must hold numbers (outcome, covariate, weight, …) holds text.
    case notNumeric(column: String, role: String, value: String, line: Int?)
    /// The specification itself is inconsistent (e.g. `iv` without instruments).
    case invalidSpecification(SpecificationProblem)
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

    /// In neutral terms: no command-line flags, no design keys.
    public var description: String { describe(.neutral) }

    /// In the caller's terms.
    public func describe(_ w: SpecificationWording) -> String {
        switch self {
        case let .unknownColumn(name, available):
            return "there is no column \"\(name)\"; the columns are: \(available.joined(separator: ", ")). Check the spelling (names are case-sensitive)."
        case let .duplicateColumn(name):
            return "the column name \"\(name)\" occurs twice in the header; rename one of them"
        case let .notNumeric(column, role, value, line):
            let at = line.map { "line \($0), " } ?? ""
            return "\(at)column \"\(column)\" (\(role)): \"\(value)\" is not a number; the \(role) must be numeric (leave a cell empty for a missing value)"
        case let .invalidSpecification(problem):
            return problem.describe(w)
        case let .singleTreatmentLevel(column, outcome, level):
            let only = level.map { " (only \"\($0)\")" } ?? ""
            return "treatment column \"\(column)\" has a single level\(only) among the complete rows for outcome \"\(outcome)\"; an effect needs both arms. Check the treatment column and missing values."
        case let .unknownControlLevel(column, level, levels):
            return "\(w.setting(.control, "\"\(level)\"")) is not a level of treatment column \"\(column)\"; its levels are: \(levels.joined(separator: ", "))"
        case let .blockWithOneArm(column, block, present, missing):
            return "block \"\(block)\" of column \"\(column)\" has units only in arm \"\(present)\" and none in \"\(missing)\"; every block needs both arms. Merge the block with a neighbour or drop it."
        case let .blockTooSmall(column, block, arm):
            return "block \"\(block)\" of column \"\(column)\" has a single unit in arm \"\(arm)\", so its variance cannot be estimated; merge it with another block (or use matched pairs: blocks of exactly two units)"
        case let .blockWithOneUnit(column, block):
            return "block \"\(block)\" of column \"\(column)\" has a single unit (or cluster); every block needs units in both arms. Merge it with another block."
        case let .mixedTreatmentCluster(column, cluster, treatment):
            return "cluster \"\(cluster)\" of column \"\(column)\" contains units with different values of treatment \"\(treatment)\"; a clustered difference in means needs assignment by cluster. Check the cluster column, or use \(w.setting(.estimator, "ols")) with \(w.name(.clusters)) for clustered standard errors."
        case let .clusterAcrossBlocks(cluster, clusterColumn, blockColumn):
            return "cluster \"\(cluster)\" of column \"\(clusterColumn)\" spans several blocks of column \"\(blockColumn)\"; clusters must nest within blocks. Check both columns."
        case let .singularDesign(outcome, column, others):
            let with = others.isEmpty ? "" : " of \(others.map { "\"\($0)\"" }.joined(separator: ", "))"
            return "outcome \"\(outcome)\": the design is singular: column \"\(column)\" is constant or a linear combination\(with) (collinear); remove it from the specification or check the data"
        case let .absorbedByFixedEffects(outcome, column, fixedEffects):
            return "outcome \"\(outcome)\": the design is singular: column \"\(column)\" is constant within every stratum of the fixed effects \"\(fixedEffects)\", so it is absorbed by them (collinear); remove it from the specification or drop \(w.name(.fixedEffects))"
        case let .tooFewObservations(outcome, detail):
            return "outcome \"\(outcome)\": \(detail)"
        case let .invalidWeight(column, value, line):
            let at = line.map { "line \($0), " } ?? ""
            return "\(at)weights column \"\(column)\": weight \(value) is not positive and finite; weights must be > 0 (drop the row or fix the weight)"
        }
    }
}

/// What makes a specification inconsistent, with the offending arguments. The sentences are templates
/// over a `SpecificationWording`; with the command line's wording they read as `rct estimate`'s
/// messages always have ("--se cr2 is a cluster-robust variance: pass --clusters COLUMN, or use --se hc2").
public enum SpecificationProblem: Sendable, Equatable, CustomStringConvertible {
    /// No outcome.
    case noOutcome
    /// A confidence level outside (0, 1).
    case levelOutOfRange(Double)
    /// `iv` given a treatment (it takes endogenous regressors and instruments).
    case treatmentWithIV
    /// `iv` without endogenous regressors or instruments.
    case ivWithoutInstruments
    /// `iv` with fewer instruments than endogenous regressors.
    case tooFewInstruments(instruments: Int, endogenous: Int)
    /// An estimator of the assignment's effect without a treatment.
    case noTreatment
    /// Endogenous regressors or instruments given to an estimator other than `iv`.
    case instrumentsWithoutIV
    /// `dim` given covariates or fixed effects.
    case dimWithCovariates
    /// Blocks given to an estimator other than `dim` (which absorbs them as fixed effects instead).
    case blocksWithoutDim(EstimationSpec.Estimator, blocks: String)
    /// A cluster-robust variance without clusters.
    case clusteredVarianceWithoutClusters(VarianceType)
    /// Clusters with a variance that ignores them.
    case clustersIgnored(VarianceType, clusters: String)
    /// `lin` without covariates.
    case linWithoutCovariates
    /// Weights with a matched-pairs difference in means (every block of `blocks` has two units).
    case weightsWithMatchedPairs(blocks: String)
    /// A column with `count` values where the outcome (or, when nil, the first column) has `expected`.
    case columnLength(column: String, count: Int, expected: Int, outcome: String?)
    /// Fixed effects with `count` values where the outcome has `expected`.
    case fixedEffectsLength(name: String, count: Int, expected: Int, outcome: String)
    /// A cluster-robust variance asked of `LinearModel.fit`, which takes no clusters.
    case clusteredVarianceInLinearModel(VarianceType)
    /// A model with absorbed fixed effects and no regressor.
    case noRegressorWithFixedEffects(outcome: String)

    public var description: String { describe(.neutral) }

    public func describe(_ w: SpecificationWording) -> String {
        let estimator = { (e: EstimationSpec.Estimator) in w.setting(.estimator, e.rawValue) }
        switch self {
        case .noOutcome:
            return "no outcome given: \(w.give) \(w.setting(.outcomes, "COLUMN")) (several separated by commas)"
        case let .levelOutOfRange(level):
            return "\(w.name(.level)) must be strictly between 0 and 1 (e.g. 0.95), got \(level)"
        case .treatmentWithIV:
            return "with \(estimator(.iv)), \(w.give) \(w.setting(.endogenous, "D")) \(w.setting(.instruments, "Z")) instead of \(w.name(.treatment)) (for the intention-to-treat effect of the assignment, use \(estimator(.ols)))"
        case .ivWithoutInstruments:
            return "\(estimator(.iv)) needs \(w.setting(.endogenous, "COLUMN[,COLUMN]")) and \(w.setting(.instruments, "COLUMN[,COLUMN]"))"
        case let .tooFewInstruments(instruments, endogenous):
            return "\(estimator(.iv)) needs at least as many instruments as endogenous regressors: \(instruments) instrument(s) for \(endogenous) endogenous regressor(s)"
        case .noTreatment:
            return "no treatment given: \(w.give) \(w.setting(.treatment, "COLUMN"))"
        case .instrumentsWithoutIV:
            return "\(w.name(.endogenous)) and \(w.name(.instruments)) are only used by \(estimator(.iv))"
        case .dimWithCovariates:
            return "\(estimator(.dim)) takes no \(w.name(.covariates)) or \(w.name(.fixedEffects)); use \(w.name(.blocks)) for the randomisation blocks, or \(estimator(.lin)) / ols for covariate adjustment"
        case let .blocksWithoutDim(chosen, blocks):
            return "\(w.name(.blocks)) is used by \(estimator(.dim)); with \(estimator(chosen)) \(w.give) the blocks as \(w.setting(.fixedEffects, blocks))"
        case let .clusteredVarianceWithoutClusters(variance):
            return "\(w.setting(.variance, variance.rawValue)) is a cluster-robust variance: \(w.give) \(w.setting(.clusters, "COLUMN")), or use \(w.setting(.variance, VarianceType.hc2.rawValue))"
        case let .clustersIgnored(variance, clusters):
            return "\(w.setting(.variance, variance.rawValue)) ignores the clusters given by \(w.setting(.clusters, clusters)); use \(w.setting(.variance, VarianceType.cr2.rawValue)) (the default with clusters), cr1 (stata) or cr0"
        case .linWithoutCovariates:
            return "\(estimator(.lin)) needs covariates to centre and interact: \(w.give) \(w.setting(.covariates, "A,B")) (or use \(estimator(.ols)))"
        case let .weightsWithMatchedPairs(blocks):
            return "weights cannot be used with a matched-pairs design (every block of \"\(blocks)\" has two units); drop \(w.name(.weights)) or merge pairs into larger blocks"
        case let .columnLength(column, count, expected, outcome):
            return "column \"\(column)\" has \(count) values where \(outcome.map { "the outcome \"\($0)\"" } ?? "the first column") has \(expected)"
        case let .fixedEffectsLength(name, count, expected, outcome):
            return "the fixed effects \"\(name)\" have \(count) values where the outcome \"\(outcome)\" has \(expected)"
        case let .clusteredVarianceInLinearModel(variance):
            return variance.isClustered
                ? "\(variance.rawValue) is a cluster-robust variance: give the clusters, or choose classical or hc0–hc3"
                : "clusters were given with \(variance.rawValue), which ignores them: choose cr0, cr1 or cr2"
        case let .noRegressorWithFixedEffects(outcome):
            return "outcome \"\(outcome)\": a model with absorbed fixed effects needs at least one regressor"
        }
    }
}
