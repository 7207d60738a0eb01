import Crypto
public import Foundation

/// One row of a ``UserSessionStore``: a server-side session of a user, with when it was created and
/// last seen and the client that used it last.
///
/// The session key is what ends the session (its `django_session` row is deleted under it), so it is
/// kept here as it is kept in `django_session` itself; pages, forms, logs and the CLI never show it,
/// only ``id``, a SHA-256 digest of it.
///
/// ```swift
/// let record = UserSessionRecord(sessionKey: key, userID: 42, createdAt: now, lastSeenAt: now)
/// print(record.shortID)   // "3f9a0c1d2e4b"
/// ```
public struct UserSessionRecord: Sendable, Hashable {
    /// The session's key in its ``SessionStore``: a secret, never shown.
    public var sessionKey: String
    /// The id of the user the session belongs to.
    public var userID: Int64
    /// When the user logged in on it (or Gatehouse first saw it, for a session Django created).
    public var createdAt: Date
    /// The last request Gatehouse recorded (at most ``UserSessionsConfiguration/lastSeenResolution``
    /// seconds stale).
    public var lastSeenAt: Date
    /// The client address of that request; empty when unknown.
    public var clientAddress: String
    /// The `User-Agent` of that request, shortened and without control characters; empty when none.
    public var userAgent: String

    /// Creates a record.
    public init(
        sessionKey: String, userID: Int64, createdAt: Date, lastSeenAt: Date, clientAddress: String = "", userAgent: String = ""
    ) {
        self.sessionKey = sessionKey
        self.userID = userID
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.clientAddress = clientAddress
        self.userAgent = userAgent
    }

    /// The session's public identifier: the lowercase hex SHA-256 of its key (64 characters). It
    /// names the session in pages and on the command line and cannot be turned back into the key.
    public var id: String { Self.id(ofKey: sessionKey) }

    /// The first ``shortIDLength`` characters of ``id``, as pages and `gatehouse sessions list` show it.
    public var shortID: String { String(id.prefix(Self.shortIDLength)) }

    /// How many characters of ``id`` are shown: 12.
    public static let shortIDLength = 12

    /// The identifier of the session under `key`.
    ///
    /// ```swift
    /// UserSessionRecord.id(ofKey: key).count   // 64
    /// ```
    public static func id(ofKey key: String) -> String {
        let digest = SHA256.hash(data: Array(key.utf8))
        return digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
