/// What ``UserSessions/end(userID:idPrefix:currentKey:)`` did.
///
/// ```swift
/// let userSessions = UserSessions(store: MemoryUserSessionStore(), sessions: MemorySessionStore())
/// switch try await userSessions.end(userID: user.id, idPrefix: "3f9a0c", currentKey: nil) {
/// case .ended(let record): print("ended \(record.shortID)")
/// case .notFound: print("no such session")
/// case .ambiguous(let count): print("\(count) sessions match; give more characters")
/// case .current: print("log out to end this session")
/// }
/// ```
public enum UserSessionEnding: Sendable, Hashable {
    /// The session was ended: its row in the ``SessionStore`` is gone, so its next request is
    /// anonymous on every server.
    case ended(UserSessionRecord)
    /// No live session of the user has an identifier starting with the prefix (or the prefix is not
    /// lowercase hexadecimal).
    case notFound
    /// This many live sessions of the user match; nothing was ended.
    case ambiguous(Int)
    /// The prefix names the session making the request, which this call does not end (log out
    /// instead).
    case current
}
