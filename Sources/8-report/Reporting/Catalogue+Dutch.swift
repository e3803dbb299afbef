extension Catalogue {
    /// The report in Dutch (`publication.language: nl`), in the words of a Flemish administration:
    /// interventiegroep, controlegroep, betrouwbaarheidsinterval; numbers with a decimal comma.
    public static let dutch = Catalogue(
        htmlLanguage: "nl",
        numbers: .comma,
        and: "en",

        effectsAfter: { "Effecten na \($0), op basis van de toewijzing (intention-to-treat)." },
        summary: "Samenvatting",
        summaryIntro: "De primaire uitkomsten, zoals vooraf vastgelegd in het design; de tabellen hieronder geven alle uitkomsten.",
        prespecified: "Vooraf vastgelegde analyse",
        planChanges: "Wijzigingen aan het vooraf vastgelegde plan",
        noAmendments: "Geen wijzigingen aan het design na de eerste toewijzing.",
        amendmentsIntro: "Wijzigingen (vastgelegd met rct amend, gecontroleerd met rct verify):",
        noDeviations: "Geen afwijkingen van de vooraf vastgelegde analyse.",
        deviationsIntro: "Afwijkingen:",
        participantFlow: "Verloop van de deelnemers (CONSORT)",
        baselineBalance: "Vergelijkbaarheid van de groepen bij de start",
        familiesHeading: "Gezinnen",
        clustersHeading: { "Clusters (\($0))" },
        clusterBalanceNote: { cluster, counts in
            "Elk kenmerk gemiddeld per \(cluster) over de gezinnen ervan; de groepen vergeleken over de clusters\(counts), zoals "
                + "ze geloot werden; gemiddelden en SD’s van de clustergemiddelden, ongewogen."
        },
        clusterCounts: { " (\($0) controle, \($1) interventie)" },
        covariate: "Kenmerk bij de start",
        standardizedDifference: "Gestandaardiseerd verschil",
        followUp: "Opvolging en uitval",
        wave: "Meetmoment",
        controlResponded: "Controlegroep bereikt",
        interventionResponded: "Interventiegroep bereikt",
        differentialAttrition: "Verschil in uitval",
        leeBounds: "Lee-grenzen",
        countOf: { "\($0) van \($1)" },
        effects: "Effecten",
        forestPlot: "Overzicht van de effecten (forest plot)",
        subgroups: "Vooraf vastgelegde subgroepen",
        sensitivity: "Gevoeligheidsanalyses",
        reproducibility: "Reproduceerbaarheid",
        software: "Software",
        design: "Design",
        data: "Gegevens",
        generatedOn: "Aangemaakt op",
        suppressionRule: { "Cellen met minder dan \($0) gezinnen zijn in dit rapport afgeschermd (weergegeven als “<\($0)” of “afgeschermd”)." },
        secondarySuppression: "Dat geldt ook voor de aantallen waaruit men ze door optellen of aftrekken zou kunnen afleiden (weergegeven als “niet getoond”).",
        consort: .dutch,
        methods: .dutch,

        outcome: "Uitkomst",
        better: "Beter",
        higherIsBetter: "↑ hoger",
        lowerIsBetter: "↓ lager",
        controlMean: "Controlegroep: gemiddelde (SD)",
        interventionMean: "Interventiegroep: gemiddelde (SD)",
        differenceOfMeans: "Verschil van de gemiddelden",
        adjustedEffect: "Effect, aangepast (SE)",
        confidenceInterval: { "\($0)-betrouwbaarheidsinterval" },
        p: "p",
        randomizationP: "RI-p",
        adjustedColumn: { method in
            switch method {
            case "sharpened_q": return "q (aangescherpt)"
            case "bh": return "q (BH)"
            case "by": return "q (BY)"
            case "holm": return "Holm-p"
            case "bonferroni": return "Bonferroni-p"
            case "westfall_young": return "Westfall–Young-p"
            default: return "Aangepaste p"
            }
        },
        relativeEffect: "Relatief effect",
        n: "N",
        clusters: "Clusters",
        treatmentReceivedRow: "interventie ontvangen (IV)",
        suppressed: "afgeschermd",
        notShown: "niet getoond",
        estimatorName: { estimator in
            switch estimator {
            case "lin": return "de regressie van Lin (2013) (kenmerken gecentreerd en gekruist met de groep)"
            case "ols": return "de kleinstekwadratenmethode (OLS)"
            case "dim": return "het verschil van de gemiddelden"
            case "iv": return "tweetrapskleinstekwadraten (2SLS)"
            default: return nil
            }
        },
        effectNote: { estimator, covariates, strata, level in
            var text = "Effect, aangepast: het effect van de toewijzing aan de interventie (intention-to-treat)"
            if let estimator { text += ", geschat met \(estimator)" }
            if let covariates { text += ", aangepast voor \(covariates)" }
            if strata { text += ", met de strata als vaste effecten" }
            text += covariates != nil || strata
                ? ". De aanpassing maakt de schatting nauwkeuriger; daarom verschilt het effect van het verschil van de gemiddelden."
                : "."
            return text + " SE: de standaardfout; \(level)-betrouwbaarheidsinterval; p: tweezijdige p-waarde voor ‘geen effect’."
        },
        differenceNote: "Verschil van de gemiddelden: het gemiddelde van de interventiegroep min dat van de controlegroep, zonder aanpassing.",
        randomizationNote: "RI-p: p-waarde uit randomisatie-inferentie (de toewijzing opnieuw geloot volgens de procedure van de studie).",
        adjustedNote: { method in
            switch method {
            case "sharpened_q":
                return "q (aangescherpt): aangescherpte q-waarde (Benjamini, Krieger & Yekutieli 2006; Anderson 2008), op Andersons "
                    + "raster van 0,001; ze beperkt het aandeel valse ontdekkingen (false discovery rate) binnen de familie van "
                    + "uitkomsten en kan daardoor kleiner zijn dan p."
            case "bh": return "q (BH): q-waarde volgens Benjamini–Hochberg; ze beperkt het aandeel valse ontdekkingen binnen de familie en is nooit kleiner dan p."
            case "by": return "q (BY): q-waarde volgens Benjamini–Yekutieli; ze beperkt het aandeel valse ontdekkingen binnen de familie, ook bij afhankelijke uitkomsten, en is nooit kleiner dan p."
            case "holm": return "Holm-p: p-waarde aangepast volgens Holm; ze beperkt de kans op één of meer valse vaststellingen binnen de familie en is nooit kleiner dan p."
            case "bonferroni": return "Bonferroni-p: p maal het aantal uitkomsten van de familie (hoogstens 1); nooit kleiner dan p."
            case "westfall_young":
                return "Westfall–Young-p: stapsgewijs aangepaste p-waarde uit de gezamenlijke randomisatieverdeling van de uitkomsten "
                    + "van de familie; ze beperkt de kans op één of meer valse vaststellingen binnen de familie."
            default: return "Aangepaste p: \(method) binnen de familie."
            }
        },
        relativeNote: "Relatief effect: het aangepaste effect als deel van het gemiddelde van de controlegroep.",
        nNote: "N: gezinnen in de vergelijking (beide groepen samen).",
        betterNote: "Beter: welke waarden gunstig zijn voor de gezinnen, zoals het design het vastlegt (↑ hoger, ↓ lager); "
            + "bij ↓ is een negatief effect gunstig voor de interventie.",
        clustersNote: "Clusters: het aantal clusters waarop de schatting steunt; de standaardfouten houden rekening met die clusters.",
        primaryNote: "† primaire uitkomst.",
        takeUpNote: "Interventie ontvangen: tweetrapskleinstekwadraten met de toewijzing als instrument.",
        suppressedNote: { "afgeschermd: een groep telt minder dan \($0) gezinnen; gemiddelden en aantallen worden niet gepubliceerd." },

        summaryMeans: { outcome, wave, intervention, control in
            "\(outcome) (\(wave)): \(intervention) in de interventiegroep, \(control) in de controlegroep."
        },
        summaryEffect: { effect, level, low, high, p in "Effect, aangepast: \(effect) (\(level)-betrouwbaarheidsinterval \(low) tot \(high); \(p))" },
        summaryFavoursIntervention: "De puntschatting is gunstig voor de interventie.",
        summaryFavoursControl: "De puntschatting is gunstig voor de controlegroep.",
        summaryNoDirection: "Het design legt niet vast welke richting beter is.",
        summaryIncludesZero: "Het interval omvat 0 (geen effect).",
        summaryExcludesZero: "Het interval sluit 0 (geen effect) uit.",
        summarySuppressed: "De groepsgemiddelden zijn afgeschermd (kleine cellen).",

        forestTitle: { "Effect in standaarddeviaties van de controlegroep (\($0)-betrouwbaarheidsinterval)" },
        forestAria: "Overzicht van de gestandaardiseerde effecten",
        favoursIntervention: "Gunstig voor interventie",
        directionUnstated: "niet vastgelegd",
        lowerWithIntervention: "◀ lager met de interventie",
        higherWithIntervention: "hoger met de interventie ▶",
        notStandardizable: "niet te standaardiseren",
        meansTitle: { "Gemiddelden per groep met \($0)-betrouwbaarheidsintervallen" },
        meansAria: { "Gemiddelden per groep in de tijd: \($0)" },
        baselinePoint: "Vooraf",
        controlGroup: "Controlegroep",
        interventionGroup: "Interventiegroep",

        subgroup: "Subgroep",
        level: "Categorie",
        nControl: "N controle",
        nIntervention: "N interventie",
        effectSE: "Effect (SE)",
        interactionP: "p interactie",
        subgroupNote: "Effect binnen elke categorie van de subgroep (OLS, strata als vaste effecten); p interactie: verschilt het effect "
            + "tussen de categorieën? Categorieën met een groep onder de drempel voor kleine cellen zijn afgeschermd.",
        sensitivityNote: "Effect van de toewijzing, schatting (standaardfout) en p-waarde, volgens elke specificatie die het design "
            + "noemt; de primaire analyse (met randomisatie-inferentie en aangepaste p-waarden) staat in de effecttabellen.",
        notEstimable: "niet te schatten")
}

extension MethodTexts {
    /// The analysis's sentences in Dutch. Names of methods and software (HC2, CR2, mt19937, OLS,
    /// Westfall–Young) stay as they are cited.
    public static let dutch = MethodTexts(
        estimator: { estimator, description in
            switch estimator {
            case "lin": return "de regressie van Lin (2013): kenmerken gecentreerd en gekruist met de groep"
            case "ols": return "een OLS-regressie van de uitkomst op de groep en de kenmerken"
            case "dim": return "het verschil van de gemiddelden binnen de strata"
            case "iv": return "OLS voor het effect van de toewijzing; tweetrapskleinstekwadraten voor het effect van de ontvangen interventie"
            default: return description
            }
        },
        standardErrors: { "\($0)-standaardfouten" },
        clusteredStandardErrors: { variance, cluster, bm in
            "\(variance)-standaardfouten geclusterd per \(cluster)" + (bm ? " (vrijheidsgraden volgens Bell–McCaffrey)" : " (vrijheidsgraden: clusters − 1)")
        },
        itt: { "Effect van de toewijzing (intention-to-treat), geschat met \($0); \($1); \($2)-betrouwbaarheidsintervallen." },
        strataAsBlocks: { "Strata (\($0)) als blokken van het verschil van de gemiddelden." },
        strataAbsorbed: { "Strata (\($0)) als vaste effecten in het model." },
        baselineCovariates: { "Kenmerken bij de start: \($0)." },
        treatmentReceived: { "Effect van de ontvangen interventie (\($0)) met tweetrapskleinstekwadraten, met de toewijzing als instrument." },
        randomizationInference: { draws, clusters, limit, seed in
            let what = clusters.map { "toewijzingen van hele clusters (\($0)), opnieuw geloot binnen de strata met hetzelfde aantal interventieclusters per stratum" }
                ?? "toewijzingen, opnieuw geloot binnen de strata"
            return "p-waarden uit randomisatie-inferentie op \(draws) \(what) (alle mogelijke toewijzingen als dat er hoogstens \(limit) zijn; "
                + "anders mt19937, seed \(seed)); toetsgrootheid: de gestudentiseerde OLS-coëfficiënt van de groep (HC2-t) met de strata en de kenmerken."
        },
        correction: { c in
            switch c {
            case "none": return "geen correctie"
            case "holm": return "p-waarden gecorrigeerd volgens Holm"
            case "bonferroni": return "p-waarden gecorrigeerd volgens Bonferroni"
            case "bh": return "q-waarden volgens Benjamini–Hochberg"
            case "by": return "q-waarden volgens Benjamini–Yekutieli"
            case "sharpened_q": return "aangescherpte q-waarden (Anderson 2008)"
            case "westfall_young": return "stapsgewijs gecorrigeerde p-waarden volgens Westfall–Young"
            default: return c
            }
        },
        familyCorrection: { "\($0): \($1) binnen de groep van uitkomsten, per meetmoment." },
        subgroups: { "Subgroepen (primaire uitkomsten): \($0): het effect binnen elk niveau en de p-waarde van de interactie groep × subgroep (OLS, strata als vaste effecten)." },
        sensitivity: { "Gevoeligheidsanalyse “\($0)”: \($1)" },
        strataAsBlocksShort: "strata als blokken",
        strataAbsorbedShort: "strata als vaste effecten",
        noCovariates: "zonder kenmerken",
        adjustedFor: { "aangepast voor \($0)" },
        primaryOutcomes: { "Primaire uitkomsten: \($0)." },

        moreArms: { "Het design heeft \($0) groepen; dit rapport vergelijkt enkel \($1) met \($2)." },
        varianceIgnoresClusters: { variance, key, column in
            "analysis.variance: \(variance) houdt geen rekening met de clusters (\(key): \(column)); de standaardfouten zijn niet geclusterd. "
                + "Laat variance weg (met clusters is CR2 de standaard) om de loting te volgen."
        },
        attritionOverFamiliesClustered: "Uitval: de Lee-grenzen (2009) zijn berekend over gezinnen, niet over clusters (er bestaat geen geclusterde versie); "
            + "hun intervallen behandelen de gezinnen als onafhankelijk. De toetsen op verschil in uitval zijn geclusterd.",
        attritionOverFamilies: "Uitval: de toetsen op verschil in uitval en de Lee-grenzen (2009) zijn berekend over gezinnen, niet over clusters "
            + "(er bestaat hier geen geclusterde versie); lees ze als beschrijvend.",
        treatmentReceivedNotClustered: { "Het effect van de ontvangen interventie is geschat met \($0)-standaardfouten, niet geclusterd." },
        takeUpUnknown: {
            "Het design vermeldt het gebruik van de interventie (\($0)), maar dat is voor geen enkel gezin gekend; het effect van de ontvangen "
                + "interventie wordt niet gerapporteerd. Geef een take_up-bron of een kolom van het cohort op."
        },
        westfallYoungNeedsRandomization: {
            "\($0), \($1): de correctie van Westfall–Young vraagt randomisatie-inferentie (analysis.permutations > 0); in de plaats staat de correctie volgens Holm."
        },
        westfallYoungNeedsSameFamilies: {
            "\($0), \($1): de correctie van Westfall–Young vraagt dat alle uitkomsten van de groep bij dezelfde gezinnen gemeten zijn (hier verschillen ze, "
                + "bv. bevraagde gezinnen en uitkomsten uit registers); in de plaats staat de correctie volgens Holm."
        },

        omnibusCovariates: { "Globale F-toets van de groep op de kenmerken (n = \($0))" },
        omnibusClusterMeans: { "Globale F-toets van de groep op de clustergemiddelden (\($0) clusters)" },
        responseRate: { "bereik, interventie − controle: \($0) (t-toets\($1.map { ", \($0) geclusterd" } ?? ""))" },
        armByCovariates: { "groep × kenmerken (F-toets\($0.map { ", \($0) geclusterd" } ?? ""))" },

        randomisationSeed: { "loting: \($0), generator mt19937, seed \($1)" },
        randomizationInferenceSeed: { draws, clusters, limit, seed in
            "randomisatie-inferentie: \(draws) opnieuw gelote \(clusters.map { "toewijzingen van hele clusters (\($0))" } ?? "toewijzingen") binnen de strata "
                + "(alle toewijzingen als dat er hoogstens \(limit) zijn), gestudentiseerde toetsgrootheid (HC2-t), generator mt19937, seed \(seed)"
        },
        randomizationInferenceDone: { "uitgevoerde randomisatie-inferentie: \($0)" },
        procedure: { wave, families, clusters, exact, draws, possible in
            "\(wave), \(families) gezinnen" + (clusters.map { " in \($0) clusters" } ?? "")
                + (exact ? ": alle \(draws) mogelijke toewijzingen (exact)" : ": \(draws) trekkingen uit \(possible) mogelijke toewijzingen")
        },

        amendment: { date, changes, reason, author, assignments, after in
            "\(date): \(changes). Reden: \(reason) (door \(author); na \(assignments) toewijzing\(assignments == 1 ? "" : "en"), "
                + (after ? "nadat uitkomstgegevens ingelezen waren" : "voor er uitkomstgegevens ingelezen waren") + ")"
        },
        amendmentWord: "Wijziging",
        deviationWord: "Afwijking")
}
