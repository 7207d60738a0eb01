/// How ``UserSessions`` records sessions.
///
/// ```swift
/// var configuration = UserSessionsConfiguration()
/// configuration.lastSeenResolution = 60
/// ```
public struct UserSessionsConfiguration: Sendable, Hashable {
    /// Seconds a session's recorded last-seen time may lag behind: a request writes its row only
    /// when this long passed since this process last wrote it (300, five minutes), so a warm request
    /// writes nothing.
    public var lastSeenResolution: Int = 300

    /// The most characters of a `User-Agent` kept: 200.
    public var userAgentLength: Int = 200

    /// The most characters of a client address kept: 64.
    public var clientAddressLength: Int = 64

    /// Sessions remembered per process as recently recorded (10,000); beyond that a request may
    /// write its row again within the resolution.
    public var rememberedSessions: Int = 10_000

    /// The defaults.
    public init() {}
}
