import Estimation
import Panel
import TrialDesign

/// The rows of one wave (units of the two compared arms, in panel order) as the estimators read them.
///
/// The estimation data hold exactly the text cells of the panel's wide file (`PanelCSV.wide`: the same
/// column names and the same number formatting), plus `treated` (1 for the intervention arm, 0 for
/// control; the instrument of the 2SLS fit). So `rct estimate` run on `panel_wide.csv` restricted to the
/// wave, with the options `EffectEstimation` derives from the design, gives the same numbers.
struct WaveData {
    let wave: String
    let rows: [PanelRow]
    let data: EstimationData
    /// Outcome id → value per row (nil missing).
    let outcomes: [String: [Double?]]
    /// Covariate id → value per row.
    let covariates: [String: [Double?]]
    let treated: [Bool]
    let strata: [String?]
    /// The cluster of each row (`Design.analysisClusters`); nil when the design is unclustered.
    let clusters: [String?]?
    let takeUp: [Double?]

    static func all(design: Design, panel: PanelData, arms: ArmPair) throws -> [WaveData] {
        try design.waves.map { w in
            let rows = panel.rows.filter { $0.wave == w.id && ($0.arm == arms.control || $0.arm == arms.intervention) }
            return try WaveData(wave: w.id, rows: rows, panel: panel, arms: arms, clusters: design.analysisClusters)
        }
    }

    /// The cluster column of the estimation data, when the design is clustered.
    static let clusterColumn = "cluster"

    init(wave: String, rows: [PanelRow], panel: PanelData, arms: ArmPair, clusters: AnalysisClusters? = nil) throws {
        self.wave = wave
        self.rows = rows
        func text(_ v: Double?) -> String? { v.map(PanelCSV.formatNumber) }
        var outcomes: [String: [Double?]] = [:], covariates: [String: [Double?]] = [:]
        var columns: [(name: String, values: [String?])] = [
            ("arm", rows.map(\.arm)),
            ("stratum", rows.map { $0.stratum.flatMap { $0.isEmpty ? nil : $0 } }),
            ("treated", rows.map { $0.arm == arms.intervention ? "1" : "0" }),
        ]
        if let clusters {
            // The randomisation's cluster is the assignment's (the panel's `cluster` column); a clustering
            // for the analysis only is the cohort column it names.
            let labels = rows.map { row -> String? in
                let c = clusters.randomised ? row.cluster : row.cohort[clusters.column]
                return c.flatMap { $0.isEmpty ? nil : $0 }
            }
            self.clusters = labels
            columns.append((Self.clusterColumn, labels))
        } else {
            self.clusters = nil
        }
        if panel.takeUpColumn != nil { columns.append(("take_up", rows.map { text($0.takeUp) })) }
        for (c, id) in panel.covariateIDs.enumerated() {
            let values = rows.map { $0.covariates[c].value }
            covariates[id] = values
            columns.append((id, values.map(text)))
        }
        for (o, id) in panel.outcomeIDs.enumerated() {
            let values = rows.map { $0.outcomes[o].value }
            outcomes[id] = values
            // A covariate and an outcome with the same id: the wide file prefixes neither, the outcome wins here.
            if covariates[id] == nil { columns.append((id, values.map(text))) }
        }
        self.outcomes = outcomes
        self.covariates = covariates
        treated = rows.map { $0.arm == arms.intervention }
        strata = rows.map(\.stratum)
        takeUp = rows.map(\.takeUp)
        // Column names are unique by construction (design ids are unique and distinct from the fixed names).
        data = try EstimationData(columns: columns, source: "panel, wave \(wave)")
    }

    /// Whether the outcome has a value for at least one row of this wave.
    func measures(_ outcome: String) -> Bool { outcomes[outcome]?.contains { $0 != nil } ?? false }
}
