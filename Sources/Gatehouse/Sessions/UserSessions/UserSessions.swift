public import Foundation

/// The sessions of each user: recording them as requests use them, listing them, and ending them.
///
/// Ending a session deletes its row in the ``SessionStore``, the only place a session lives, so its
/// next request on any server finds no session and is anonymous, for Gatehouse and for Django alike.
/// The ``UserSessionStore`` only indexes sessions by user; listings show a row only while its
/// session is still in the session store and unexpired.
///
/// Sessions are recorded by ``sessionUsed(key:userID:createdAt:clientAddress:userAgent:)``, which
/// GatehouseHummingbird's session middleware calls after a logged-in request: the first request of a
/// session (at login, or the first request Gatehouse sees of a session Django created) writes its
/// row, and later ones write only when ``UserSessionsConfiguration/lastSeenResolution`` has passed
/// since this process last did, so a warm request costs no query. Signed-cookie sessions have no
/// server-side row to delete and cannot be tracked.
///
/// ```swift
/// let userSessions = UserSessions(store: MemoryUserSessionStore(), sessions: sessionStore)
/// for record in try await userSessions.list(userID: user.id) { print(record.shortID, record.lastSeenAt) }
/// _ = try await userSessions.endAll(userID: user.id, except: session.key)
/// ```
public struct UserSessions: Sendable {
    /// The index of sessions by user.
    public let store: any UserSessionStore
    /// Where the sessions themselves live.
    public let sessions: any SessionStore
    /// Resolution and limits.
    public let configuration: UserSessionsConfiguration
    /// The time for rows and expiry checks.
    public let clock: any WallClock
    /// When this process last wrote each session's row, by session key.
    private let written: BoundedMemo<String, Date>

    /// Creates the service.
    public init(
        store: any UserSessionStore,
        sessions: any SessionStore,
        configuration: UserSessionsConfiguration = UserSessionsConfiguration(),
        clock: any WallClock = SystemWallClock()
    ) {
        self.store = store
        self.sessions = sessions
        self.configuration = configuration
        self.clock = clock
        self.written = BoundedMemo(limit: configuration.rememberedSessions)
    }

    // MARK: Recording

    /// Records that `userID`'s session under `key` served a request: writes its row the first time
    /// this process sees the key and then at most once per
    /// ``UserSessionsConfiguration/lastSeenResolution``. `createdAt` (the session's own creation
    /// time, when known) is used for a new row. Returns whether it wrote.
    @discardableResult
    public func sessionUsed(key: String, userID: Int64, createdAt: Date?, clientAddress: String?, userAgent: String?) async throws -> Bool {
        let now = clock.now()
        if let last = written.value(for: key), now.timeIntervalSince(last) < TimeInterval(configuration.lastSeenResolution), now >= last {
            return false
        }
        let record = UserSessionRecord(
            sessionKey: key, userID: userID, createdAt: min(createdAt ?? now, now), lastSeenAt: now,
            clientAddress: Self.cleaned(clientAddress ?? "", limit: configuration.clientAddressLength),
            userAgent: Self.cleaned(userAgent ?? "", limit: configuration.userAgentLength)
        )
        try await store.record(record)
        written.store(now, for: key)
        return true
    }

    /// Forgets the row of a key the session no longer uses (after logout or a key rotation; the
    /// session store's row is already gone).
    public func sessionLeft(key: String) async throws {
        _ = try await store.delete(sessionKey: key)
    }

    /// `text` without control characters, at most `limit` characters.
    static func cleaned(_ text: String, limit: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where scalar.properties.generalCategory != .control {
            scalars.append(scalar)
        }
        return String(String(scalars).prefix(max(0, limit)))
    }

    // MARK: Listing

    /// The live sessions of `userID`, most recently seen first: rows whose session is still in the
    /// session store and unexpired.
    public func list(userID: Int64) async throws -> [UserSessionRecord] {
        let now = clock.now()
        var live: [UserSessionRecord] = []
        for record in try await store.records(userID: userID) {
            if try await sessions.isLive(key: record.sessionKey, now: now) { live.append(record) }
        }
        return live
    }

    // MARK: Ending

    /// Ends the live session of `userID` whose identifier (``UserSessionRecord/id``) starts with
    /// `idPrefix` (lowercase hexadecimal, 1 to 64 characters). Only the user's own sessions are
    /// searched, so another user's session is never found. When the match is `currentKey`'s session
    /// nothing happens and the answer is ``UserSessionEnding/current``.
    public func end(userID: Int64, idPrefix: String, currentKey: String?) async throws -> UserSessionEnding {
        guard Self.isIDPrefix(idPrefix) else { return .notFound }
        let matches = try await list(userID: userID).filter { $0.id.hasPrefix(idPrefix) }
        guard matches.count == 1, let match = matches.first else {
            return matches.isEmpty ? .notFound : .ambiguous(matches.count)
        }
        if let currentKey, ConstantTime.equals(match.sessionKey, currentKey) { return .current }
        try await endSession(match)
        return .ended(match)
    }

    /// Ends every session of `userID` but `currentKey`'s (every one with `nil`) and returns how many
    /// live ones it ended.
    @discardableResult
    public func endAll(userID: Int64, except currentKey: String?) async throws -> Int {
        var ended = 0
        for record in try await store.records(userID: userID) {
            if let currentKey, ConstantTime.equals(record.sessionKey, currentKey) { continue }
            if try await sessions.delete(key: record.sessionKey) { ended += 1 }
            _ = try await store.delete(sessionKey: record.sessionKey)
        }
        return ended
    }

    private func endSession(_ record: UserSessionRecord) async throws {
        // The session store's row first: that is what ends the session.
        _ = try await sessions.delete(key: record.sessionKey)
        _ = try await store.delete(sessionKey: record.sessionKey)
    }

    /// Whether `text` is 1 to 64 lowercase hexadecimal characters.
    public static func isIDPrefix(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    // MARK: Cleaning up

    /// Deletes the rows whose session is gone from the session store or expired (run after
    /// ``SessionStore/clearExpired(now:)``, as `gatehouse clearsessions` does) and returns how many.
    public func clearEnded(batchSize: Int = 500) async throws -> Int {
        let now = clock.now()
        var removed = 0
        var after: String?
        while true {
            let page = try await store.records(after: after, limit: max(1, batchSize))
            for record in page {
                guard try await !sessions.isLive(key: record.sessionKey, now: now) else { continue }
                if try await store.delete(sessionKey: record.sessionKey) { removed += 1 }
            }
            guard page.count >= max(1, batchSize), let last = page.last else { return removed }
            after = last.sessionKey
        }
    }
}
