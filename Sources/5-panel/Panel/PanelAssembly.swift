import TrialDesign
import TrialData

/// The last stage of `Panel.derive`: the rows (unit × wave) from the stages' cells, the cohort columns
/// carried into them (the take-up column, then the subgroup columns), attrition and the CONSORT counts.
enum PanelAssembly {
    static func assemble(design: Design, units: [AssignedUnit], registry: RegistryStage.Cells, survey: SurveyStage.Cells,
                         takeUp takeUpOf: [Double?], options: PanelOptions, diagnostics: PanelDiagnostics) throws -> PanelData {
        let waveIDs = design.waves.map(\.id)
        let waveCount = design.waves.count, covariateCount = design.covariates.count
        let covariateCells = registry.covariateCells, outcomeCells = registry.outcomeCells, exitOf = registry.exitOf
        let interviewOf = survey.interviewOf, interviewDateOf = survey.interviewDateOf, indices = survey.indices
        let takeUpColumn = design.analysis.takeUp?.column
        var cohortColumns: [String] = takeUpColumn.map { [$0] } ?? []
        for s in design.subgroups where !cohortColumns.contains(s.column) { cohortColumns.append(s.column) }
        // A clustering declared for the analysis only (analysis.clusters) is a cohort column the rows carry.
        if let c = design.analysisClusters, !c.randomised, !cohortColumns.contains(c.column) { cohortColumns.append(c.column) }

        // Rows.
        var rows: [PanelRow] = []
        rows.reserveCapacity(units.count * waveCount)
        for (u, unit) in units.enumerated() {
            var cohort: [String: String] = [:]
            for c in cohortColumns { if let v = unit.attributes[c] { cohort[c] = v } }
            let covariates = Array(covariateCells[(u * covariateCount)..<((u + 1) * covariateCount)])
            for (w, wave) in design.waves.enumerated() {
                rows.append(PanelRow(unitID: unit.id, arm: unit.arm, assignedOn: unit.assignedOn, stratum: unit.stratum,
                                     block: unit.block, cluster: unit.cluster, probability: unit.probability, wave: wave.id,
                                     waveTarget: unit.assignedOn.adding(months: wave.offsetMonths),
                                     interview: interviewOf[u * waveCount + w], interviewDate: interviewDateOf[u * waveCount + w],
                                     takeUp: takeUpOf[u], cohort: cohort, covariates: covariates,
                                     outcomes: outcomeCells.rows[u * waveCount + w]))
            }
        }

        var exitReason: [String: String] = [:]
        for (u, e) in exitOf.enumerated() { if let e { exitReason[units[u].id] = e.reason } }
        let attrition = Attrition.count(design: design, rows: rows, exitReason: exitReason)
        let consort = try Attrition.consort(design: design, units: units, rows: rows, outcomeIDs: OutcomeColumns.ids(design),
                                            takeUp: takeUpOf, screening: options.screening)
        return PanelData(trialID: design.trial.id, idColumn: design.trial.idColumn, waves: waveIDs,
                         outcomeIDs: OutcomeColumns.ids(design), covariateIDs: design.covariates.map(\.id),
                         cohortColumns: cohortColumns, takeUpColumn: takeUpColumn, rows: rows,
                         attrition: attrition, consort: consort, indices: indices, diagnostics: diagnostics)
    }
}
