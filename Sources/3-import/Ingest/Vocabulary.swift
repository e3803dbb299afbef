import TrialDesign

/// The closed vocabularies of the coded fields of the source kinds (each kind's reader names its
/// canonical fields, under `Kinds/`). Raw codes in a file are first mapped through the design's
/// `codes:` (per source), then checked here.
public enum Vocabulary {
    /// `ocmw_aid` kinds.
    public static let aidKinds: Set<String> = [
        "supplementary_one_off", "supplementary_structural", "supplementary_price_reduction",
        "rental_deposit", "medical_card", "debt_mediation", "budget_guidance", "budget_management",
        "gpmi", "art60", "advance", "emergency_aid",
    ]
    /// Leefloon categories: 1 cohabiting, 2 single, 3 living with a dependent family.
    public static let leefloonCategories: Set<String> = ["1", "2", "3"]
    /// VDAB placement status (since 2017); an empty cell means `none`.
    public static let placements: Set<String> = ["none", "placement", "training", "trajectory", "not_deployable"]
    /// Federal statement amount types.
    public static let amountTypes: Set<String> = ["allocation", "arrears", "recovery", "regularisation"]
    /// The one-character amount-type codes of the federal layout, used when the design gives no
    /// `codes: { amount_type: … }`.
    public static let defaultAmountTypeCodes: [String: String] = [
        "1": "allocation", "2": "arrears", "3": "recovery", "4": "regularisation",
    ]
    /// KSZ datawarehouse socio-economic positions (one per person per quarter).
    public static let kszPositions: Set<String> = ["working", "job_seeker", "not_active", "unknown"]

    /// Reasons a family leaves a registry's scope (`scope_exit`): moved out of the municipality, died,
    /// or another reason the register gives. Dutch labels (`verhuisd`, `overleden`) map through `codes:`.
    public static let exitReasons: Set<String> = ["moved", "died", "other"]

    /// The fixed vocabulary of a coded field of a kind, nil where the kind's codes are open or declared
    /// by the design.
    public static func fixed(of kind: SourceKind, field: String) -> Set<String>? {
        switch (kind, field) {
        case (.ocmwLeefloon, "category"), (.federalStatements, "category"): return leefloonCategories
        case (.ocmwAid, "kind"): return aidKinds
        case (.federalStatements, "amount_type"): return amountTypes
        case (.vdabStatus, "placement"): return placements
        case (.kszPosition, "position"): return kszPositions
        case (.scopeExit, "reason"): return exitReasons
        default: return nil
        }
    }

    /// Years a registry or survey date may fall in; anything else is `out_of_range`.
    public static let plausibleYears = 1950...2100
    /// The largest absolute amount in euro accepted on one row.
    public static let largestAmount = 1_000_000.0
}
