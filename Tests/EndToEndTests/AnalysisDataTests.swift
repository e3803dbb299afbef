import Foundation
import Testing
import TestSupport

/// The analysis commands read the files evaluators have: the panel's wide file with several waves and
/// arm ids, another separator, decimal commas (issue 21, item 6).
@Suite struct AnalysisDataTests {
    /// Two waves of six families; at m6 the intervention's mean is 4 and the control's 5/3.
    static let wide = """
        family_id,arm,wave,y,x
        A,intervention,m6,3,1.5
        B,intervention,m6,5,2.25
        C,control,m6,1,0.5
        D,control,m6,2,1
        E,intervention,m6,4,2
        F,control,m6,2,1.75
        A,intervention,m12,9,1.5
        B,intervention,m12,7,2.25
        C,control,m12,8,0.5
        D,control,m12,1,1
        E,intervention,m12,6,2
        F,control,m12,3,1.75

        """

    func write(_ text: String, _ name: String) throws -> String {
        let file = try Fixtures.temporaryDirectory("rct-analysis-data").appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func aFileWithSeveralWavesIsNotPooledSilently() throws {
        let path = try write(Self.wide, "panel_wide.csv")
        for command in [["estimate"], ["ri"], ["subgroups", "--subgroup", "x"], ["bounds"]] {
            let r = try RCTBinary.run(command + ["--data", path, "--outcome", "y", "--treatment", "arm"])
            #expect(r.status == 1, "\(command)")
            #expect(r.stderr.contains("the file holds 2 waves in column \"wave\" (m6, m12)") && r.stderr.contains("--where wave=m6"), "\(command): \(r.stderr)")
        }
    }

    @Test func oneWaveChosenWithWhereAndArmIdsAsTheTreatment() throws {
        let path = try write(Self.wide, "panel_wide.csv")
        let r = try RCTBinary.run(["estimate", "--data", path, "--where", "wave=m6", "--outcome", "y", "--treatment", "arm",
                                   "--control", "control", "--estimator", "dim", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let row = try #require(r.stdout.split(separator: "\n").dropFirst().first).split(separator: ",")
        #expect(row[1] == "arm=intervention")
        #expect(isClose(try #require(Double(row[2])), 4 - 5.0 / 3, relative: 1e-12))
        #expect(row.last == "6")

        // Randomization inference on arm ids gives what it gives on a 0/1 column of the same rows. At m6 the
        // treated (3, 5, 4) are the three largest of six values: the observed difference is the largest of
        // the 20 possible assignments, p (upper) = 1/20.
        let coded = try write(Self.wide.replacingOccurrences(of: ",intervention,", with: ",1,").replacingOccurrences(of: ",control,", with: ",0,"), "coded.csv")
        let byIds = try RCTBinary.run(["ri", "--data", path, "--where", "wave=m6", "--outcome", "y", "--treatment", "arm", "--format", "json"])
        let by01 = try RCTBinary.run(["ri", "--data", coded, "--where", "wave=m6", "--outcome", "y", "--treatment", "arm", "--format", "json"])
        #expect(byIds.status == 0 && by01.status == 0, "\(byIds.stderr)\(by01.stderr)")
        #expect(byIds.stdout == by01.stdout && byIds.stdout.contains("\"p_upper\" : 0.05,") && byIds.stdout.contains("\"assignments\" : 20,"))
        let sub = try RCTBinary.run(["subgroups", "--data", path, "--where", "wave=m6", "--outcome", "y", "--treatment", "arm",
                                     "--subgroup", "x", "--format", "json"])
        let sub01 = try RCTBinary.run(["subgroups", "--data", coded, "--where", "wave=m6", "--outcome", "y", "--treatment", "arm",
                                       "--subgroup", "x", "--format", "json"])
        #expect(sub.stdout == sub01.stdout, "\(sub.stderr)")
    }

    @Test func semicolonsAndDecimalCommasReadAsTheSameNumbers() throws {
        let plain = try write(Self.wide, "plain.csv")
        let flemish = try write(Self.wide.replacingOccurrences(of: ",", with: ";")
            .replacingOccurrences(of: "1.5", with: "1,5").replacingOccurrences(of: "2.25", with: "2,25")
            .replacingOccurrences(of: "0.5", with: "0,5").replacingOccurrences(of: "1.75", with: "1,75"), "flemish.csv")
        let args = ["--where", "wave=m6", "--outcome", "y", "--treatment", "arm", "--covariates", "x", "--estimator", "lin", "--format", "csv"]
        let a = try RCTBinary.run(["estimate", "--data", plain] + args)
        let b = try RCTBinary.run(["estimate", "--data", flemish, "--separator", ";", "--decimal-comma"] + args)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        #expect(a.stdout == b.stdout)
        let forgot = try RCTBinary.run(["estimate", "--data", flemish] + args)
        #expect(forgot.status == 1)
        #expect(forgot.stderr.contains("the file looks separated by \";\"; give --separator \";\""), "\(forgot.stderr)")
        let clash = try RCTBinary.run(["estimate", "--data", plain, "--decimal-comma"] + args)
        #expect(clash.status == 1)
        #expect(clash.stderr.contains("--decimal-comma needs another separator than the comma"), "\(clash.stderr)")
    }

    @Test func whereNamesWhatIsThere() throws {
        let path = try write(Self.wide, "panel_wide.csv")
        let noColumn = try RCTBinary.run(["estimate", "--data", path, "--where", "round=m6", "--outcome", "y", "--treatment", "arm"])
        #expect(noColumn.status == 1)
        #expect(noColumn.stderr.contains("--where round=…: there is no column \"round\"; the columns are: family_id, arm, wave, y, x"), "\(noColumn.stderr)")
        let noValue = try RCTBinary.run(["estimate", "--data", path, "--where", "wave=6", "--outcome", "y", "--treatment", "arm"])
        #expect(noValue.stderr.contains("--where wave=6: no row has \"6\" in column \"wave\"; its values are: m12, m6"), "\(noValue.stderr)")
        let malformed = try RCTBinary.run(["estimate", "--data", path, "--where", "wave", "--outcome", "y", "--treatment", "arm"])
        #expect(malformed.status == 64)
        #expect(malformed.stderr.contains("--where \"wave\": write COLUMN=VALUE"), "\(malformed.stderr)")
        let threeArms = try write("y,arm\n1,control\n2,a\n3,b\n4,control\n", "three.csv")
        let three = try RCTBinary.run(["ri", "--data", threeArms, "--outcome", "y", "--treatment", "arm"])
        #expect(three.stderr.contains("column \"arm\" (treatment) holds 3 arms (control, a, b)"), "\(three.stderr)")
    }

    @Test func oneSpellingOfEveryChoiceTheOldOneWithANote() throws {
        let p = ["--p", "0.02,0.01,0.03,0.08", "--format", "json"]
        let now = try RCTBinary.run(["adjust", "--method", "sharpened_q"] + p)
        let old = try RCTBinary.run(["adjust", "--method", "sharpened-q"] + p)
        #expect(now.status == 0 && old.status == 0)
        #expect(now.stdout == old.stdout)
        #expect(now.stderr.isEmpty)
        #expect(old.stderr.contains("note: \"sharpened-q\" is now spelled \"sharpened_q\", as in the design file"))
    }
}
