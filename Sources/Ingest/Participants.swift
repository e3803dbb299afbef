import Records
import TrialDesign

extension Ingest {
    /// The ids a source's rows must link to, for `knownParticipants`: each unit's `registryKey` (the
    /// pseudonym of its link column, or its id) for registry sources, its study `id` for surveys.
    public static func participants(_ units: [AssignedUnit], for source: Source) -> Set<String> {
        Set(units.map { source.kind == .survey ? $0.id : $0.registryKey })
    }
}
