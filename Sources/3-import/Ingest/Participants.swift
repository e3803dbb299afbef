import TrialData
import TrialDesign

extension Ingest {
    /// The ids a source's rows must link to, for `knownParticipants`: each unit's `registryKey` (the
    /// pseudonym of its link column, or its id) for registry sources, its study `id` for surveys and for
    /// `scope_exit` sources identified by study code (`identifier.type: code`).
    public static func participants(_ units: [AssignedUnit], for source: Source) -> Set<String> {
        Set(units.map { linksOnStudyID(source) ? $0.id : $0.registryKey })
    }

    /// Whether the rows of a source carry the study id (`AssignedUnit.id`) rather than the registry key:
    /// surveys, and `scope_exit` registers kept by study code.
    public static func linksOnStudyID(_ source: Source) -> Bool {
        source.kind == .survey || (source.kind == .scopeExit && source.identifierType == .code)
    }
}
