import Basics
import Testing
import TestSupport
@testable import TrialDesign

@Suite struct ReferenceDesignTests {
    let design = try! Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))

    @Test func armsAndRandomisation() {
        #expect(design.trial.id == "mission-kortrijk")
        #expect(design.arms.map(\.id) == ["control", "intervention"])
        #expect(design.controlArm.id == "control")
        #expect(design.arms.map(\.ratio) == [1, 1])
        #expect(design.randomisation.method == .permutedBlocks)
        #expect(design.randomisation.blockSizes == [2, 4])
        #expect(design.capacity?.places == 80)
        #expect(design.capacity?.whenFull == .pause)
    }

    @Test func eligibilityIsTheDeprivationIndexRule() throws {
        #expect(design.eligibility.map(\.id) == ["birth_in_window", "deprived", "consent"])
        guard case let .countAtLeast(columns, value, atLeast) = design.eligibility[1].test else {
            Issue.record("the deprivation rule should be count_at_least"); return
        }
        #expect(columns.count == 6)
        #expect(value == "1")
        #expect(atLeast == 3)
        guard case let .dateWindow(_, from, to) = design.eligibility[0].test else {
            Issue.record("the birth rule should be a date window"); return
        }
        #expect(from == CalendarDate(year: 2017, month: 4, day: 1))
        #expect(to == CalendarDate(year: 2019, month: 4, day: 30))
    }

    @Test func wavesAreBaselineSixAndTwelveMonths() {
        #expect(design.waves.map(\.id) == ["baseline", "m6", "m12"])
        #expect(design.waves.map(\.offsetMonths) == [0, 6, 12])
    }

    @Test func everyOutcomeNamedInTheDomainIsDeclared() {
        let ids = Set(design.outcomes.map(\.id))
        for required in ["leefloon", "supplementary_aid", "supplementary_one_off", "supplementary_structural",
                         "supplementary_price_reduction", "employment_programme", "knows_rights", "services_fit",
                         "material_aid", "household_income", "social_housing", "regular_employment"] {
            #expect(ids.contains(required), "missing outcome \(required)")
        }
        #expect(design.outcomes.filter(\.primary).count == 4)
        let aid = design.outcomes.first { $0.id == "supplementary_aid" }!
        #expect(aid.windows["m6"]?.months == MonthWindow(fromMonth: 1, toMonth: 6))
        #expect(aid.windows["m12"]?.months == MonthWindow(fromMonth: 7, toMonth: 12))
        #expect(aid.filter?.simpleIn?.values.count == 3)
    }

    @Test func sourcesCarryTheirDialects() {
        let aid = design.sources.first { $0.id == "ocmw_aid" }!
        #expect(aid.dialect.separator == ";")
        #expect(aid.dialect.decimal == ",")
        #expect(aid.dialect.encoding == .windows1252)
        #expect(aid.dialect.dateFormat == .dmy)
        #expect(aid.identifierType == .insz)
        let statements = design.sources.first { $0.id == "statements" }!
        #expect(statements.dialect.format == .fixedWidth)
        #expect(statements.dialect.fields.count == 11)
        #expect(statements.dialect.header == false)
        #expect(design.sources.filter { $0.kind == .survey }.compactMap(\.wave) == ["baseline", "m6", "m12"])
    }

    @Test func analysisChoices() {
        #expect(design.analysis.estimator == .lin)
        #expect(design.analysis.variance == .hc2)
        #expect(design.analysis.takeUp?.column == "mandate")
        #expect(design.analysis.covariates == ["domains_weak", "single_parent", "leefloon_before"])
        #expect(design.publication.smallCellThreshold == 5)
        #expect(design.families.allSatisfy { $0.correction == .sharpenedQ })
    }
}

/// The `codes:` key of a source (raw code → canonical value, per field).
@Suite struct SourceCodesTests {
    @Test func theReferenceDesignMapsTheOCMWsDutchKinds() throws {
        let design = try Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
        let aid = try #require(design.sources.first { $0.id == "ocmw_aid" })
        #expect(aid.codes["kind"]?["AFS eenmalig"] == "supplementary_one_off")
        #expect(aid.codes["kind"]?["Art. 60§7"] == "art60")
        #expect(aid.codes["kind"]?.count == 12)
        #expect(design.sources.first { $0.id == "leefloon" }?.codes.isEmpty == true)
    }

    @Test func aCodesEntryMustMapRawCodesToValues() throws {
        let base = try Fixtures.contents("fixtures/designs/minimal.yaml")
        let good = base.replacingOccurrences(of: "    dialect: { format: delimited, separator: \";\" }",
                                             with: "    dialect: { format: delimited, separator: \";\" }\n    codes: { kind: { \"AFS eenmalig\": supplementary_one_off } }")
        #expect(try Design.parse(yaml: good).sources[0].codes == ["kind": ["AFS eenmalig": "supplementary_one_off"]])
        let bad = base.replacingOccurrences(of: "    dialect: { format: delimited, separator: \";\" }",
                                            with: "    dialect: { format: delimited, separator: \";\" }\n    codes: { kind: supplementary_one_off }")
        do {
            _ = try Design.parse(yaml: bad, file: "bad.yaml")
            Issue.record("a codes entry that is not a mapping should be refused")
        } catch let e as DesignError {
            #expect(e.issues.count == 1)
            #expect(e.issues[0].path == "sources[0].codes.kind")
            #expect(e.issues[0].line == 21)
        }
    }
}
