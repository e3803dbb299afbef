import Basics
import TrialDesign
import TrialData

/// The survey part of the panel (`Panel.derive`'s fourth stage): the interview that counts per unit, wave
/// and survey source (`InterviewSelection`), the interview status and date of every row, and the survey
/// outcomes: single items and indices (`SurveyIndex`, standardised on the control arm).
enum SurveyStage {
    /// The stage's result, per row (`unit × waveCount + wave`), and the index computations.
    struct Cells {
        var interviewOf: [InterviewStatus]
        var interviewDateOf: [CalendarDate?]
        var indices: [IndexComputation]
    }

    static func derive(design: Design, units: [AssignedUnit], unitIndex: [String: Int], responses: [SurveyResponse],
                       outcomeCells: inout CellRows, diagnostics: inout PanelDiagnostics) throws -> Cells {
        let controlArm = design.controlArm.id
        let waveIDs = design.waves.map(\.id)
        let outcomeCount = outcomeCells.width, waveCount = design.waves.count
        let selected = InterviewSelection.select(design: design, units: units, unitIndex: unitIndex,
                                                 responses: responses, diagnostics: &diagnostics)
        var surveySourcesOfWave = [[String]](repeating: [], count: waveCount)
        for source in design.sources where source.kind == .survey {
            if let w = source.wave.flatMap({ waveIDs.firstIndex(of: $0) }) { surveySourcesOfWave[w].append(source.id) }
        }
        for key in selected.keys where !surveySourcesOfWave[key.wave].contains(key.source) {
            surveySourcesOfWave[key.wave].append(key.source)
        }
        var interviewOf = [InterviewStatus](repeating: .noSurvey, count: units.count * waveCount)
        var interviewDateOf = [CalendarDate?](repeating: nil, count: units.count * waveCount)
        for u in 0..<units.count {
            for w in 0..<waveCount where !surveySourcesOfWave[w].isEmpty {
                let chosen = surveySourcesOfWave[w].compactMap { selected[SurveyKey(wave: w, source: $0, unit: u)] }
                let status = InterviewSelection.combined(chosen.map(\.status))
                interviewOf[u * waveCount + w] = chosen.isEmpty ? .noResponse : status
                interviewDateOf[u * waveCount + w] = chosen.first { $0.status == status }?.date
            }
        }

        // Survey outcomes.
        for outcome in design.outcomes where outcome.rule.isSurveyRule {
            guard let source = design.sources.first(where: { $0.id == outcome.source }) else {
                throw PanelError.unknownSource(outcome: outcome.id, source: outcome.source)
            }
            if let sourceWave = source.wave, let other = outcome.windows.keys.sorted().first(where: { $0 != sourceWave }) {
                throw PanelError.surveyWaveMismatch(outcome: outcome.id, source: source.id, sourceWave: sourceWave, wave: other)
            }
        }
        let isControl = units.map { $0.arm == controlArm }
        var indices: [IndexComputation] = []
        for (o, outcome) in design.outcomes.enumerated() where outcome.rule.isSurveyRule {
            for (w, wave) in waveIDs.enumerated() where outcome.windows[wave] != nil {
                // Items of every unit whose answers are used; cells for the others.
                let items = outcome.rule == .surveyItem ? [outcome.value ?? outcome.id] : outcome.items
                var used: [Int] = [], values: [[Double?]] = []
                for u in 0..<units.count {
                    let slot = (u * waveCount + w) * outcomeCount + o
                    guard let pick = selected[SurveyKey(wave: w, source: outcome.source, unit: u)] else {
                        outcomeCells[slot] = .missing(.noInterview); continue
                    }
                    guard pick.status.answersUsed else {
                        outcomeCells[slot] = .missing(.outsideWindow, pick.date.map { "interviewed \($0)" } ?? "interview date missing")
                        continue
                    }
                    let answers = responses[pick.response].answers
                    used.append(u)
                    values.append(items.map { answers[$0] })
                }
                switch outcome.rule {
                case .surveyItem:
                    for (i, u) in used.enumerated() {
                        outcomeCells[(u * waveCount + w) * outcomeCount + o] = values[i][0].map { .observed($0) }
                            ?? .missing(.itemMissing, "\(items[0]) not answered")
                    }
                case .scale:
                    let scale = outcome.scale ?? ScaleScoring(score: .mean)
                    let scored = SurveyScale.score(values: values, items: items, scale: scale)
                    var finalScores = scored.scores
                    var means: [Double] = [], sds: [Double] = []
                    if scale.score == .standardised {
                        let controlScores = zip(used, scored.scores).compactMap { isControl[$0.0] ? $0.1 : nil }
                        let (m, sd) = SurveyIndex.meanAndSD(controlScores)
                        guard controlScores.count >= 2, sd > 0 else {
                            throw PanelError.cannotStandardise(outcome: outcome.id, wave: wave, item: "(the scale)",
                                                               why: "\(controlScores.count) control scores with spread \(sd)")
                        }
                        finalScores = scored.scores.map { $0.map { ($0 - m) / sd } }
                        means = [m]
                        sds = [sd]
                    }
                    for (i, u) in used.enumerated() {
                        outcomeCells[(u * waveCount + w) * outcomeCount + o] = finalScores[i].map { .observed($0) }
                            ?? .missing(.tooFewItems, "\(scored.valid[i]) of \(items.count) items valid, \(scored.needed) needed")
                    }
                    if scale.score == .standardised {
                        indices.append(IndexComputation(outcome: outcome.id, wave: wave, rule: outcome.rule.rawValue, items: items,
                                                        controlMeans: [], controlSDs: [], weights: [], rescaleMean: means.first,
                                                        rescaleSD: sds.first))
                    }
                case .indexMean where outcome.impute == Imputation.none:
                    if used.isEmpty { continue }
                    let control = used.map { isControl[$0] }
                    let (z, means, sds) = try SurveyIndex.standardise(values: values, isControl: control, items: items,
                                                                      outcome: outcome.id, wave: wave)
                    let scored = SurveyScale.score(values: z, items: items,
                                                   scale: ScaleScoring(score: .mean, minValid: outcome.scale?.minValid ?? 1))
                    for (i, u) in used.enumerated() {
                        outcomeCells[(u * waveCount + w) * outcomeCount + o] = scored.scores[i].map { .observed($0) }
                            ?? .missing(scored.valid[i] == 0 ? .itemMissing : .tooFewItems,
                                        "\(scored.valid[i]) of \(items.count) items answered, \(scored.needed) needed")
                    }
                    indices.append(IndexComputation(outcome: outcome.id, wave: wave, rule: outcome.rule.rawValue, items: items,
                                                    controlMeans: means, controlSDs: sds,
                                                    weights: [Double](repeating: 1 / Double(items.count), count: items.count),
                                                    rescaleMean: nil, rescaleSD: nil))
                case .indexMean, .indexInverseCovariance:
                    // No interview used at this wave yet (e.g. the wave is still in the field): every cell
                    // already says why; there is nothing to standardise.
                    if used.isEmpty { continue }
                    let control = used.map { isControl[$0] }
                    let result = outcome.rule == .indexMean
                        ? try SurveyIndex.mean(values: values, arm: used.map { units[$0].arm }, isControl: control,
                                               items: items, outcome: outcome.id, wave: wave)
                        : try SurveyIndex.inverseCovariance(values: values, isControl: control, items: items,
                                                            outcome: outcome.id, wave: wave)
                    for (i, u) in used.enumerated() {
                        outcomeCells[(u * waveCount + w) * outcomeCount + o] = result.index[i].map { .observed($0) }
                            ?? .missing(.itemMissing, "no item of the index answered")
                    }
                    indices.append(IndexComputation(outcome: outcome.id, wave: wave, rule: outcome.rule.rawValue, items: items,
                                                    controlMeans: result.means, controlSDs: result.sds, weights: result.weights,
                                                    rescaleMean: result.rescaleMean, rescaleSD: result.rescaleSD))
                default:
                    break
                }
            }
        }
        return Cells(interviewOf: interviewOf, interviewDateOf: interviewDateOf, indices: indices)
    }
}
