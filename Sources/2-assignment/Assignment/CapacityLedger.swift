import TrialDesign

/// Whether a family assigned to the capacity-limited arm got a place.
public enum CapacityStatus: String, Sendable, Equatable, CaseIterable, Codable {
    /// The arm has no capacity limit (the control arm, or a design without `capacity`).
    case notLimited = "not_limited"
    /// The family has a place and a case manager.
    case placed
    /// Drawn into a full arm under `when_full: keep_randomising`: waits for a case manager.
    case waiting
}

/// The places of the capacity-limited arm: case managers × caseload, and who holds them.
///
/// Case-manager allocation: case managers are named `cm1` … `cmM`. A family placed in the arm goes to
/// the least-loaded case manager (fewest families placed so far); ties go to the lowest number. No
/// random draw is involved, so allocation does not disturb the assignment sequence.
///
/// Places are only taken, never freed: the design has no discharge date, so a family keeps its place for
/// the whole trial (as in MISSION, where each case manager followed about 16 families).
public struct CapacityLedger: Sendable, Equatable {
    public let capacity: Capacity?
    /// Families placed per case manager (index 0 is `cm1`).
    public private(set) var loads: [Int]
    public private(set) var waiting: Int

    public init(capacity: Capacity?) {
        self.capacity = capacity
        loads = Array(repeating: 0, count: capacity?.caseManagers ?? 0)
        waiting = 0
    }

    public var placed: Int { loads.reduce(0, +) }
    public var places: Int { capacity?.places ?? 0 }
    public var free: Int { max(0, places - placed) }

    /// True when the arm is limited and every place is taken.
    public var isFull: Bool { capacity != nil && placed >= places }

    public static func caseManagerName(_ index: Int) -> String { "cm\(index + 1)" }

    /// Records an earlier admission (from the store) so that loads reflect it.
    public mutating func restore(status: CapacityStatus, caseManager: String?) {
        switch status {
        case .placed:
            if let cm = caseManager, cm.hasPrefix("cm"), let n = Int(cm.dropFirst(2)), n >= 1, n <= loads.count { loads[n - 1] += 1 }
        case .waiting: waiting += 1
        case .notLimited: break
        }
    }

    /// Admits a family assigned to `arm`: its capacity status and case manager.
    public mutating func admit(arm: String) -> (status: CapacityStatus, caseManager: String?) {
        guard let capacity, capacity.arm == arm else { return (.notLimited, nil) }
        if isFull { waiting += 1; return (.waiting, nil) }
        let least = loads.min()!
        let index = loads.firstIndex(of: least)!
        loads[index] += 1
        return (.placed, CapacityLedger.caseManagerName(index))
    }
}
