import Foundation
import Testing
import TestSupport
import TrialDesign
import Workflow

/// `DesignFile` is the one place that resolves a design's paths: relative to the design's folder, written
/// as short as possible without touching the file system.
@Suite struct DesignFileTests {
    static let design = try! Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))

    func file(_ path: String) -> DesignFile { DesignFile(path: path, design: Self.design, data: Data()) }

    @Test(arguments: [
        ("designs/mission-kortrijk.yaml", "../fixtures/mission/cohort.csv", "fixtures/mission/cohort.csv"),
        ("designs/mission-kortrijk.yaml", "./cohort.csv", "designs/cohort.csv"),
        ("designs/mission-kortrijk.yaml", "/data/cohort.csv", "/data/cohort.csv"),
        ("mission-kortrijk.yaml", "fixtures/cohort.csv", "fixtures/cohort.csv"),
        ("mission-kortrijk.yaml", "../cohort.csv", "../cohort.csv"),
        ("/srv/trial/designs/d.yaml", "../extracts/a/../b.csv", "/srv/trial/extracts/b.csv"),
        ("a/b/d.yaml", "../../../x.csv", "../x.csv"),
    ])
    func pathsAreResolvedAgainstTheDesignsFolder(design: String, file relative: String, expected: String) {
        #expect(file(design).resolve(relative) == expected)
    }

    @Test func storeAndOutputDefaultsSitBesideTheDesignAndInOut() {
        let f = file("designs/mission-kortrijk.yaml")
        #expect(f.defaultStorePath == "designs/mission-kortrijk.sqlite")
        #expect(f.defaultOutput == "out/mission-kortrijk")
        #expect(f.directory == "designs")
        #expect(file("d.yaml").directory == ".")
    }

    @Test func theKeyFileIsFoundBesideTheDesign() throws {
        let loaded = try DesignFile.load(Fixtures.path("designs/mission-kortrijk.yaml"))
        // The bundled design names fixtures/mission/pseudonym.key relative to its folder.
        let key = try loaded.pseudonymizer()
        #expect(key.keyFingerprint.count == 8)
    }
}
