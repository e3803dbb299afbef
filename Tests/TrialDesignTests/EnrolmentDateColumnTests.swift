import Foundation
import Testing
import TestSupport
@testable import TrialDesign

/// `trial.enrolment_date_column`: the cohort column with each unit's enrolment (assignment) date.
@Suite struct EnrolmentDateColumnTests {
    @Test func defaultsToEnrolledOn() throws {
        let design = try Design.load(path: Fixtures.path("fixtures/designs/minimal.yaml"))
        #expect(design.trial.enrolmentDateColumn == "enrolled_on")
        let mission = try Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
        #expect(mission.trial.enrolmentDateColumn == "enrolled_on")
    }

    @Test func isReadWhenGiven() throws {
        let text = try Fixtures.contents("fixtures/designs/minimal.yaml")
            .replacingOccurrences(of: "  title: Minimal two-arm trial\n",
                                  with: "  title: Minimal two-arm trial\n  enrolment_date_column: randomised_on\n")
        let design = try Design.parse(yaml: text)
        #expect(design.trial.enrolmentDateColumn == "randomised_on")
    }

    @Test func aMisspeltKeyIsStillAnError() throws {
        let text = try Fixtures.contents("fixtures/designs/minimal.yaml")
            .replacingOccurrences(of: "  title: Minimal two-arm trial\n",
                                  with: "  title: Minimal two-arm trial\n  enrolment_date_colum: randomised_on\n")
        #expect(throws: DesignError.self) { try Design.parse(yaml: text) }
        do { _ = try Design.parse(yaml: text) } catch let error as DesignError {
            #expect(error.issues.first?.path == "trial.enrolment_date_colum")
            #expect(error.issues.first?.message.contains("did you mean \"enrolment_date_column\"") == true)
        }
    }
}
