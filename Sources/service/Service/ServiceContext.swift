import Hummingbird

/// What the service knows about a request besides the request itself: where it came from.
public struct ServiceContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address (the reverse proxy's, behind one).
    public let peer: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// No request of the service needs more than this: a larger body is refused (413) unread.
    public var maxUploadSize: Int { ServiceLimits.maximumBody }
}

/// Limits on what a client may send.
public enum ServiceLimits {
    /// 64 KiB: an enrolment is a few hundred bytes.
    public static let maximumBody = 64 * 1024
}
