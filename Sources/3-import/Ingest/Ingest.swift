import Basics
import Foundation
import TrialData
import TrialDesign

/// Import of registry and survey extracts declared as sources in a design.
///
/// The dialect is read from the design, never guessed (`rct inspect` suggests one). Every row is either
/// accepted (mapped to canonical fields, its national number validated and replaced at once by the
/// keyed pseudonym) or rejected with a reason, line, column and a non-identifying excerpt.
public enum Ingest {
    /// Imports one source of a design from `path` (the caller resolves the source's file against the
    /// design's folder); messages name the file as the design does. `knownParticipants`, when given,
    /// are the ids records must link to (pseudonyms of the link column for registry sources, study ids
    /// for surveys); other rows are rejected as `unknown_participant` and the merge report lists both
    /// directions.
    ///
    /// `pipelined` reads and prepares rows on a second thread while this one commits them (the default);
    /// false does everything on the calling thread (same results, for comparison and debugging).
    public static func importSource(_ source: Source, design: Design, path: String, pseudonymizer: Pseudonymizer?,
                                    knownParticipants: Set<String>? = nil, pipelined: Bool = true) throws -> ImportResult {
        if source.kind == .survey, let w = source.wave, !design.waves.contains(where: { $0.id == w }) {
            throw ImportError.noWave(source: source.id)
        }
        return try importFile(path: path, displayName: source.file, source: source, pseudonymizer: pseudonymizer,
                              knownParticipants: knownParticipants, pipelined: pipelined)
    }

    /// Imports a file as the given source (the path is used as is).
    public static func importFile(path: String, displayName: String? = nil, source: Source, pseudonymizer: Pseudonymizer?,
                                  knownParticipants: Set<String>? = nil, pipelined: Bool = true) throws -> ImportResult {
        var registry: [RegistryRecord] = []
        var survey: [SurveyResponse] = []
        let importer = try SourceImporter(path: path, display: displayName ?? path, source: source,
                                          pseudonymizer: pseudonymizer, known: knownParticipants)
        importer.pipelined = pipelined
        try importer.run(registry: { registry.append($0) }, survey: { survey.append($0) })
        return importer.result(registry: registry, survey: survey)
    }

    /// Streams a file: accepted values go to the closures as they are read, so memory stays bounded
    /// (apart from duplicate detection, 30–40 bytes per accepted row in a hash table of 64-bit row
    /// hashes, and the pseudonym cache, one entry per distinct person). With `detectDuplicates: false`
    /// memory is flat in the number of rows; use it only when duplicates are caught downstream (e.g. by a
    /// unique index of the trial store). `ocmw_aid` decisions are held until the end, to apply
    /// corrections. Rejections go to `rejection`. `pipelined` as for `importSource`.
    public static func stream(path: String, source: Source, pseudonymizer: Pseudonymizer?,
                              knownParticipants: Set<String>? = nil, detectDuplicates: Bool = true, pipelined: Bool = true,
                              registry: (RegistryRecord) -> Void, survey: (SurveyResponse) -> Void = { _ in },
                              rejection: @escaping (Rejection) -> Void = { _ in }) throws -> ImportTally {
        let importer = try SourceImporter(path: path, display: path, source: source, pseudonymizer: pseudonymizer,
                                          known: knownParticipants, keepRejections: false)
        importer.onRejection = rejection
        importer.detectDuplicates = detectDuplicates
        importer.pipelined = pipelined
        try importer.run(registry: registry, survey: survey)
        var tally = importer.tally
        tally.fingerprint = importer.hash.finalize()
        tally.merge = importer.mergeReport
        tally.declaredMissing = importer.file.statReader?.declaredMissing ?? []
        tally.setAside = importer.setAside.sorted { $0.line < $1.line }
        return tally
    }
}
