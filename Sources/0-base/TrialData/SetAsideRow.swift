/// A row that was read and is valid but does not count: voided by its status, or replaced by a later
/// correction. Kept with the import (so that `rct explain` can show it), never read by the panel.
public struct SetAsideRow: Sendable, Codable, Equatable {
    public enum Reason: String, Sendable, Codable {
        /// The source's status column says the record does not count (refused, withdrawn, cancelled).
        case void
        /// A later record corrects it and counts in its place.
        case superseded
    }

    public var line: Int
    /// The record's participant (pseudonym or code), to find it again for one family.
    public var participant: String
    public var reason: Reason
    /// What happened, in a sentence (`replaced by line 812`, `status "geweigerd" means void`).
    public var message: String

    public init(line: Int, participant: String, reason: Reason, message: String) {
        self.line = line
        self.participant = participant
        self.reason = reason
        self.message = message
    }
}
