extension Catalogue {
    /// The report in French (`publication.language: fr`), in the words of a Belgian French-speaking
    /// administration: groupe d'intervention, groupe témoin, intervalle de confiance; numbers with a decimal
    /// comma. SD, SE, p and N stay as the tables' symbols (defined in the notes).
    public static let french = Catalogue(
        htmlLanguage: "fr",
        numbers: .comma,
        and: "et",

        effectsAfter: { "Effets après \($0), selon l’assignation (intention de traiter)." },
        summary: "Résumé",
        summaryIntro: "Les critères de jugement principaux, tels que le design les a fixés à l’avance ; les tableaux ci-dessous donnent tous les résultats.",
        prespecified: "Analyse fixée à l’avance",
        planChanges: "Modifications du plan fixé à l’avance",
        noAmendments: "Aucune modification du design après la première assignation.",
        amendmentsIntro: "Modifications (enregistrées avec rct amend, vérifiées par rct verify) :",
        noDeviations: "Aucun écart par rapport à l’analyse fixée à l’avance.",
        deviationsIntro: "Écarts :",
        participantFlow: "Parcours des participants (CONSORT)",
        baselineBalance: "Comparabilité des groupes au départ",
        familiesHeading: "Familles",
        clustersHeading: { "Grappes (\($0))" },
        clusterBalanceNote: { cluster, counts in
            "Chaque caractéristique est moyennée par \(cluster) sur ses familles ; les groupes sont comparés entre grappes\(counts), "
                + "comme elles ont été tirées au sort ; moyennes et SD des moyennes par grappe, non pondérées."
        },
        clusterCounts: { " (\($0) témoin, \($1) intervention)" },
        covariate: "Caractéristique au départ",
        standardizedDifference: "Différence standardisée",
        followUp: "Suivi et attrition",
        wave: "Vague",
        controlResponded: "Groupe témoin : répondants",
        interventionResponded: "Groupe d’intervention : répondants",
        differentialAttrition: "Attrition différentielle",
        leeBounds: "Bornes de Lee",
        countOf: { "\($0) sur \($1)" },
        effects: "Effets",
        forestPlot: "Vue d’ensemble des effets (forest plot)",
        subgroups: "Sous-groupes fixés à l’avance",
        sensitivity: "Analyses de sensibilité",
        reproducibility: "Reproductibilité",
        software: "Logiciel",
        design: "Design",
        data: "Données",
        generatedOn: "Produit le",
        suppressionRule: { "Les cellules de moins de \($0) familles sont masquées dans ce rapport (affichées « <\($0) » ou « masqué »)." },
        secondarySuppression: "De même pour les effectifs dont on pourrait les déduire par addition ou soustraction (affichés « non montré »).",
        consort: .french,
        methods: .french,

        outcome: "Résultat",
        better: "Mieux",
        higherIsBetter: "↑ plus haut",
        lowerIsBetter: "↓ plus bas",
        controlMean: "Groupe témoin : moyenne (SD)",
        interventionMean: "Groupe d’intervention : moyenne (SD)",
        differenceOfMeans: "Différence des moyennes",
        adjustedEffect: "Effet ajusté (SE)",
        confidenceInterval: { "IC \($0)" },
        p: "p",
        randomizationP: "p (RI)",
        adjustedColumn: { method in
            switch method {
            case "sharpened_q": return "q (affiné)"
            case "bh": return "q (BH)"
            case "by": return "q (BY)"
            case "holm": return "p de Holm"
            case "bonferroni": return "p de Bonferroni"
            case "westfall_young": return "p de Westfall–Young"
            default: return "p ajusté"
            }
        },
        relativeEffect: "Effet relatif",
        n: "N",
        clusters: "Grappes",
        treatmentReceivedRow: "intervention reçue (VI)",
        suppressed: "masqué",
        notShown: "non montré",
        estimatorName: { estimator in
            switch estimator {
            case "lin": return "la régression de Lin (2013) (caractéristiques centrées et croisées avec le groupe)"
            case "ols": return "les moindres carrés ordinaires"
            case "dim": return "la différence des moyennes"
            case "iv": return "les doubles moindres carrés"
            default: return nil
            }
        },
        effectNote: { estimator, covariates, strata, level in
            var text = "Effet ajusté : l’effet de l’assignation à l’intervention (intention de traiter)"
            if let estimator { text += ", estimé par \(estimator)" }
            if let covariates { text += ", ajusté pour \(covariates)" }
            if strata { text += ", avec les strates en effets fixes" }
            text += covariates != nil || strata
                ? ". L’ajustement rend l’estimation plus précise ; c’est pourquoi l’effet diffère de la différence des moyennes."
                : "."
            return text + " SE : son erreur standard ; IC \(level) : son intervalle de confiance ; p : valeur p bilatérale d’absence d’effet."
        },
        differenceNote: "Différence des moyennes : la moyenne du groupe d’intervention moins celle du groupe témoin, sans ajustement.",
        randomizationNote: "p (RI) : valeur p de l’effet par inférence de randomisation (assignations tirées à nouveau selon la procédure de l’essai).",
        adjustedNote: { method in
            switch method {
            case "sharpened_q":
                return "q (affiné) : valeur q affinée (Benjamini, Krieger & Yekutieli 2006 ; Anderson 2008), sur la grille de 0,001 d’Anderson ; "
                    + "elle contrôle le taux de fausses découvertes au sein de la famille : elle peut être plus petite que p."
            case "bh": return "q (BH) : valeur q de Benjamini–Hochberg ; elle contrôle le taux de fausses découvertes au sein de la famille et n’est jamais plus petite que p."
            case "by": return "q (BY) : valeur q de Benjamini–Yekutieli ; elle contrôle le taux de fausses découvertes au sein de la famille sous toute dépendance et n’est jamais plus petite que p."
            case "holm": return "p de Holm : valeur p ajustée pas à pas selon Holm ; elle contrôle le risque de toute fausse conclusion au sein de la famille et n’est jamais plus petite que p."
            case "bonferroni": return "p de Bonferroni : p fois le nombre de résultats de la famille (au plus 1) ; jamais plus petite que p."
            case "westfall_young":
                return "p de Westfall–Young : valeur p ajustée pas à pas à partir de la distribution de randomisation conjointe des résultats de la famille ; "
                    + "elle contrôle le risque de toute fausse conclusion au sein de la famille."
            default: return "p ajusté : \(method) au sein de la famille."
            }
        },
        relativeNote: "Effet relatif : l’effet ajusté en proportion de la moyenne du groupe témoin.",
        nNote: "N : familles dans la comparaison (les deux groupes).",
        betterNote: "Mieux : les valeurs favorables aux familles, selon le design (↑ plus haut, ↓ plus bas) ; avec ↓, un effet négatif est favorable à l’intervention.",
        clustersNote: "Grappes : le nombre de grappes sur lequel repose l’estimation ; les erreurs standard sont groupées par grappe.",
        primaryNote: "† critère de jugement principal.",
        takeUpNote: "Intervention reçue : doubles moindres carrés avec l’assignation comme instrument.",
        suppressedNote: { "masqué : un groupe compte moins de \($0) familles ; ses moyennes et effectifs ne sont pas publiés." },

        summaryMeans: { outcome, wave, intervention, control in
            "\(outcome) (\(wave)) : \(intervention) dans le groupe d’intervention, \(control) dans le groupe témoin."
        },
        summaryEffect: { effect, level, low, high, p in "Effet ajusté \(effect) (IC \(level) de \(low) à \(high) ; \(p))" },
        summaryFavoursIntervention: "L’estimation ponctuelle est favorable à l’intervention.",
        summaryFavoursControl: "L’estimation ponctuelle est favorable au groupe témoin.",
        summaryNoDirection: "Le design ne dit pas quel sens est favorable.",
        summaryIncludesZero: "L’intervalle contient 0 (aucun effet).",
        summaryExcludesZero: "L’intervalle exclut 0 (aucun effet).",
        summarySuppressed: "Les moyennes des groupes sont masquées (petites cellules).",

        forestTitle: { "Effet en SD du groupe témoin (IC \($0))" },
        forestAria: "Forest plot des effets standardisés",
        favoursIntervention: "Favorable à l’intervention",
        directionUnstated: "non précisé",
        lowerWithIntervention: "◀ plus bas avec l’intervention",
        higherWithIntervention: "plus haut avec l’intervention ▶",
        notStandardizable: "non standardisable",
        meansTitle: { "Moyennes par groupe avec intervalles de confiance à \($0)" },
        meansAria: { "Moyennes par groupe dans le temps : \($0)" },
        baselinePoint: "Avant",
        controlGroup: "Groupe témoin",
        interventionGroup: "Groupe d’intervention",

        subgroup: "Sous-groupe",
        level: "Niveau",
        nControl: "N témoin",
        nIntervention: "N intervention",
        effectSE: "Effet (SE)",
        interactionP: "p d’interaction",
        subgroupNote: "Effet au sein de chaque niveau du sous-groupe (MCO, strates en effets fixes) ; p d’interaction : l’effet diffère-t-il "
            + "entre les niveaux ? Les niveaux avec un groupe sous le seuil des petites cellules sont masqués.",
        sensitivityNote: "Effet de l’assignation, estimation (erreur standard) et valeur p, sous chaque spécification que le design "
            + "nomme ; l’analyse principale (avec inférence de randomisation et valeurs p ajustées) figure dans les tableaux des effets.",
        notEstimable: "non estimable")
}

extension ConsortLabels {
    /// The CONSORT diagram in French.
    public static let french: ConsortLabels = {
        var l = ConsortLabels()
        l.assessed = "Éligibilité évaluée"
        l.excluded = "Exclus"
        l.randomised = "Tirés au sort"
        l.allocatedTo = { "Assignés à \($0)" }
        l.clusters = { "dans \($0) grappe\($0 == 1 ? "" : "s") (\($1) unités)" }
        l.received = "Ont reçu l’intervention"
        l.interviewed = "Enquête : interrogés"
        l.notInterviewed = "Non interrogés"
        l.registries = "Registres : suivis"
        l.notInRegistries = "Non suivis"
        l.analysed = "Analysés"
        l.ariaLabel = "Diagramme de flux CONSORT"
        l.reason = { reason in
            switch reason {
            case "no interview": return "pas d’entretien"
            case "interview outside the window": return "entretien hors période"
            case "left the registries' scope": return "sortis du champ des registres"
            case "eligible, not randomised": return "éligibles, non tirés au sort"
            default: return reason
            }
        }
        l.count = ConsortLabels.counted(notShown: "n non montré")
        l.notShownFor = { "n non montré pour \($0) résultat\($0 == 1 ? "" : "s")" }
        return l
    }()
}

extension MethodTexts {
    /// The analysis's sentences in French. Names of methods and software (HC2, CR2, mt19937, OLS,
    /// Westfall–Young) stay as they are cited.
    public static let french = MethodTexts(
        estimator: { estimator, description in
            switch estimator {
            case "lin": return "la régression de Lin (2013) : caractéristiques centrées et croisées avec le groupe"
            case "ols": return "une régression MCO du résultat sur le groupe et les caractéristiques"
            case "dim": return "la différence des moyennes au sein des strates"
            case "iv": return "les MCO pour l’effet de l’assignation ; les doubles moindres carrés pour l’effet de l’intervention reçue"
            default: return description
            }
        },
        standardErrors: { "erreurs standard \($0)" },
        clusteredStandardErrors: { variance, cluster, bm in
            "erreurs standard \(variance) groupées par \(cluster)" + (bm ? " (degrés de liberté de Bell–McCaffrey)" : " (degrés de liberté : grappes − 1)")
        },
        itt: { "Effet de l’assignation (intention de traiter), estimé par \($0) ; \($1) ; intervalles de confiance à \($2)." },
        strataAsBlocks: { "Strates (\($0)) comme blocs de la différence des moyennes." },
        strataAbsorbed: { "Strates (\($0)) en effets fixes." },
        baselineCovariates: { "Caractéristiques au départ : \($0)." },
        treatmentReceived: { "Effet de l’intervention reçue (\($0)) par doubles moindres carrés, avec l’assignation comme instrument." },
        randomizationInference: { draws, clusters, limit, seed in
            let what = clusters.map { "assignations de grappes entières (\($0)), tirées à nouveau au sein des strates avec le même nombre de grappes d’intervention par strate" }
                ?? "assignations, tirées à nouveau au sein des strates"
            return "Valeurs p par inférence de randomisation sur \(draws) \(what) (toutes les assignations possibles s’il y en a au plus \(limit) ; "
                + "sinon mt19937, graine \(seed)) ; statistique : le coefficient MCO studentisé du groupe (t HC2) avec les strates et les caractéristiques."
        },
        correction: { c in
            switch c {
            case "none": return "aucun ajustement"
            case "holm": return "valeurs p ajustées selon Holm"
            case "bonferroni": return "valeurs p ajustées selon Bonferroni"
            case "bh": return "valeurs q de Benjamini–Hochberg"
            case "by": return "valeurs q de Benjamini–Yekutieli"
            case "sharpened_q": return "valeurs q affinées (Anderson 2008)"
            case "westfall_young": return "valeurs p ajustées pas à pas selon Westfall–Young"
            default: return c
            }
        },
        familyCorrection: { "\($0) : \($1) au sein de la famille, à chaque vague." },
        subgroups: { "Sous-groupes (critères principaux) : \($0) : l’effet au sein de chaque niveau et la valeur p de l’interaction groupe × sous-groupe (MCO, strates en effets fixes)." },
        sensitivity: { "Analyse de sensibilité « \($0) » : \($1)" },
        strataAsBlocksShort: "strates comme blocs",
        strataAbsorbedShort: "strates en effets fixes",
        noCovariates: "sans caractéristiques",
        adjustedFor: { "ajusté pour \($0)" },
        primaryOutcomes: { "Critères de jugement principaux : \($0)." },

        moreArms: { "Le design compte \($0) groupes ; ce rapport compare seulement \($1) à \($2)." },
        varianceIgnoresClusters: { variance, key, column in
            "analysis.variance : \(variance) ne tient pas compte des grappes (\(key) : \(column)) ; les erreurs standard ne sont pas groupées. "
                + "Omettez variance (CR2 est la valeur par défaut avec des grappes) pour suivre le tirage au sort."
        },
        attritionOverFamiliesClustered: "Attrition : les bornes de Lee (2009) sont calculées sur les familles, pas sur les grappes (il n’en existe pas de version groupée) ; "
            + "leurs intervalles traitent les familles comme indépendantes. Les tests d’attrition différentielle sont groupés.",
        attritionOverFamilies: "Attrition : les tests d’attrition différentielle et les bornes de Lee (2009) sont calculés sur les familles, pas sur les grappes "
            + "(il n’en existe pas ici de version groupée) ; lisez-les comme descriptifs.",
        treatmentReceivedNotClustered: { "L’effet de l’intervention reçue est estimé avec des erreurs standard \($0), non groupées." },
        takeUpUnknown: {
            "Le design déclare le recours à l’intervention (\($0)), mais il n’est connu pour aucune famille ; l’effet de l’intervention reçue "
                + "n’est pas rapporté. Déclarez une source take_up ou une colonne de la cohorte."
        },
        westfallYoungNeedsRandomization: {
            "\($0), \($1) : l’ajustement de Westfall–Young demande l’inférence de randomisation (analysis.permutations > 0) ; l’ajustement de Holm est rapporté à la place."
        },
        westfallYoungNeedsSameFamilies: {
            "\($0), \($1) : l’ajustement de Westfall–Young demande que tous les résultats de la famille soient observés sur les mêmes familles (ici ils diffèrent, "
                + "p. ex. répondants à l’enquête et résultats des registres) ; l’ajustement de Holm est rapporté à la place."
        },

        omnibusCovariates: { "Test F global du groupe sur les caractéristiques (n = \($0))" },
        omnibusClusterMeans: { "Test F global du groupe sur les moyennes par grappe (\($0) grappes)" },
        responseRate: { "taux de réponse, intervention − témoin : \($0) (test t\($1.map { ", \($0) groupé" } ?? ""))" },
        armByCovariates: { "groupe × caractéristiques (test F\($0.map { ", \($0) groupé" } ?? ""))" },

        randomisationSeed: { "tirage au sort : \($0), générateur mt19937, graine \($1)" },
        randomizationInferenceSeed: { draws, clusters, limit, seed in
            "inférence de randomisation : \(draws) \(clusters.map { "assignations de grappes entières (\($0))" } ?? "assignations") tirées à nouveau au sein des strates "
                + "(toutes les assignations s’il y en a au plus \(limit)), statistique studentisée (t HC2), générateur mt19937, graine \(seed)"
        },
        randomizationInferenceDone: { "inférence de randomisation effectuée : \($0)" },
        procedure: { wave, families, clusters, exact, draws, possible in
            "\(wave), \(families) familles" + (clusters.map { " dans \($0) grappes" } ?? "")
                + (exact ? " : les \(draws) assignations possibles (exact)" : " : \(draws) tirages parmi \(possible) assignations possibles")
        },

        amendment: { date, changes, reason, author, assignments, after in
            "\(date) : \(changes). Motif : \(reason) (par \(author) ; après \(assignments) assignation\(assignments == 1 ? "" : "s"), "
                + (after ? "après l’import de données de résultats" : "avant tout import de données de résultats") + ")"
        },
        amendmentWord: "Modification",
        deviationWord: "Écart")
}
