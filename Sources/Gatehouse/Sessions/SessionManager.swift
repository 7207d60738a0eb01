public import Foundation

/// What the HTTP layer should do with the session cookie after ``SessionManager/save(_:isServerError:)``:
/// Django's `SessionMiddleware.process_response` without the HTTP.
///
/// ```swift
/// // In a Hummingbird middleware (GatehouseHummingbird's GatehouseSessionMiddleware does this for you):
/// let update = try await sessions.save(session)
/// switch update.action {
/// case .keep: break
/// case .set(let value, let maxAge, let expires):
///     response.setCookie(Cookie(name: "sessionid", value: value, expires: expires, maxAge: maxAge, path: "/", sameSite: .lax))
/// case .delete:
///     response.setCookie(Cookie(name: "sessionid", value: "", maxAge: 0, path: "/"))
/// }
/// if update.varyOnCookie { response.headers[.vary] = "Cookie" }
/// ```
public struct SessionCookieUpdate: Sendable, Hashable {
    /// The cookie operation.
    ///
    /// ```swift
    /// if case .set(let value, _, _) = update.action { print(value.count) }
    /// ```
    public enum Action: Sendable, Hashable {
        /// Leave the cookie as it is.
        case keep
        /// Set the cookie to `value`. `maxAge` (seconds) and `expires` are `nil` for a browser-session
        /// cookie.
        case set(value: String, maxAge: Int?, expires: Date?)
        /// Delete the cookie: the request sent one but the session is now empty.
        case delete
    }

    /// The cookie operation.
    ///
    /// ```swift
    /// update.action == .keep
    /// ```
    public var action: Action

    /// Whether the response depends on the cookie (the session was used) and so needs `Vary: Cookie`.
    ///
    /// ```swift
    /// if update.varyOnCookie { ... }
    /// ```
    public var varyOnCookie: Bool

    /// Creates an update.
    ///
    /// ```swift
    /// SessionCookieUpdate(action: .keep, varyOnCookie: false)
    /// ```
    public init(action: Action, varyOnCookie: Bool) {
        self.action = action
        self.varyOnCookie = varyOnCookie
    }
}

/// Loads and saves sessions for requests: Django's `SessionMiddleware` and `SessionBase` expiry rules,
/// plus Gatehouse's idle timeout and absolute lifetime (``SessionConfiguration``).
///
/// Sessions live either in a ``SessionStore`` (the cookie holds a key) or in the cookie itself
/// (``SignedCookieSessionCodec``). Hostile cookies never throw: an unknown, expired, malformed or
/// tampered cookie loads as an empty session without a key, and no row is written until a handler puts
/// data in it, then under a fresh key. The methods throw only when the store fails, or
/// ``StoreError/notFound(_:)`` when a session was deleted while the request used it (Django's
/// `SessionInterrupted`).
///
/// ```swift
/// let sessions = SessionManager(store: SQLSessionStore(provider: provider, keys: keys))
/// let session = try await sessions.load(cookie: request.cookieValue(sessions.configuration.cookieName))
/// session["theme"] = "dark"
/// let update = try await sessions.save(session, isServerError: response.status.code >= 500)
/// ```
public struct SessionManager: Sendable {
    /// Where session data lives.
    ///
    /// ```swift
    /// if case .signedCookies = sessions.storage { ... }
    /// ```
    public enum Storage: Sendable {
        /// Server-side rows under random keys: `.store(SQLSessionStore(provider: provider, keys: keys))`.
        case store(any SessionStore)
        /// The cookie is the signed data: `.signedCookies(SignedCookieSessionCodec(keys: keys))`.
        case signedCookies(SignedCookieSessionCodec)
    }

    /// Where session data lives.
    ///
    /// ```swift
    /// if case .store(let store) = sessions.storage { _ = try await store.exists(key: key) }
    /// ```
    public let storage: Storage

    /// Cookie name, ages and Gatehouse's limits.
    ///
    /// ```swift
    /// request.cookieValue(sessions.configuration.cookieName)
    /// ```
    public let configuration: SessionConfiguration

    /// The time for expiry checks and bookkeeping.
    ///
    /// ```swift
    /// let now = sessions.clock.now()
    /// ```
    public let clock: any WallClock

    /// Sessions kept in `store`.
    ///
    /// ```swift
    /// let sessions = SessionManager(store: MemorySessionStore(), clock: SystemWallClock())
    /// ```
    public init(
        store: any SessionStore,
        configuration: SessionConfiguration = SessionConfiguration(),
        clock: any WallClock = SystemWallClock()
    ) {
        self.storage = .store(store)
        self.configuration = configuration
        self.clock = clock
    }

    /// Sessions kept in signed cookies (Django's `signed_cookies` backend).
    ///
    /// ```swift
    /// let sessions = SessionManager(signedCookies: SignedCookieSessionCodec(keys: keys))
    /// ```
    public init(
        signedCookies codec: SignedCookieSessionCodec,
        configuration: SessionConfiguration = SessionConfiguration(),
        clock: any WallClock = SystemWallClock()
    ) {
        self.storage = .signedCookies(codec)
        self.configuration = configuration
        self.clock = clock
    }

    // MARK: Loading

    /// The session for a request whose session cookie is `cookie` (`nil` when the request has none).
    ///
    /// ```swift
    /// let session = try await sessions.load(cookie: request.cookieValue("sessionid"))
    /// ```
    public func load(cookie: String?) async throws -> Session {
        guard let cookie else { return Session(Session.State(data: [:], cookieWasSent: false)) }
        let empty = Session(Session.State(data: [:], cookieWasSent: true))
        let now = clock.now()
        switch storage {
        case .store(let store):
            guard SessionKey.isValid(cookie), let record = try await store.load(key: cookie, now: now) else {
                return empty
            }
            guard let session = admit(record.data, key: cookie, now: now) else {
                _ = try await store.delete(key: cookie)
                return empty
            }
            return session
        case .signedCookies(let codec):
            guard let decoded = try? codec.decode(cookie, now: now, maxAge: TimeInterval(configuration.cookieAge)),
                expireDate(of: decoded.data, modifiedAt: decoded.signedAt) > now
            else { return empty }
            return admit(decoded.data, key: cookie, now: now) ?? empty
        }
    }

    /// A session for stored data, or `nil` when Gatehouse's limits say it has ended.
    private func admit(_ stored: [String: JSONValue], key: String, now: Date) -> Session? {
        var data = stored
        let createdAt = data.removeValue(forKey: Session.createdKey).flatMap(Self.date(fromStored:))
        let lastActivityAt = data.removeValue(forKey: Session.lastActivityKey).flatMap(Self.date(fromStored:))
        if let lifetime = configuration.absoluteLifetime, let createdAt,
            now.timeIntervalSince(createdAt) >= TimeInterval(lifetime)
        {
            return nil
        }
        if let idle = configuration.idleTimeout, let lastActivityAt,
            now.timeIntervalSince(lastActivityAt) >= TimeInterval(idle)
        {
            return nil
        }
        // Rewrite when the bookkeeping is missing (a session Django created) or the recorded activity
        // is older than the resolution allows.
        var needsTouch = false
        if configuration.absoluteLifetime != nil, createdAt == nil { needsTouch = true }
        if configuration.idleTimeout != nil {
            if let lastActivityAt {
                needsTouch = needsTouch
                    || now.timeIntervalSince(lastActivityAt) >= TimeInterval(max(0, configuration.activityResolution))
            } else {
                needsTouch = true
            }
        }
        var state = Session.State(data: data, cookieWasSent: true)
        state.key = key
        state.createdAt = createdAt
        state.lastActivityAt = lastActivityAt
        state.needsTouch = needsTouch
        return Session(state)
    }

    static func date(fromStored value: JSONValue) -> Date? {
        switch value {
        case .int(let seconds): Date(timeIntervalSince1970: TimeInterval(seconds))
        case .double(let seconds) where seconds.isFinite: Date(timeIntervalSince1970: seconds)
        default: nil
        }
    }

    // MARK: Saving

    /// Saves `session` when it changed (or always, with ``SessionConfiguration/saveEveryRequest``, or
    /// when its recorded activity is due for a refresh) and says what to do with the cookie.
    ///
    /// Rows of keys dropped by ``Session/flush()`` or ``Session/cycleKey()`` are deleted first, even
    /// when `isServerError` is set; with `isServerError` (a 5xx response) nothing else is written, as
    /// in Django.
    ///
    /// ```swift
    /// let update = try await sessions.save(session, isServerError: status >= 500)
    /// ```
    public func save(_ session: Session, isServerError: Bool = false) async throws -> SessionCookieUpdate {
        var snapshot = session.snapshot
        if case .store(let store) = storage, !snapshot.staleKeys.isEmpty {
            for key in snapshot.staleKeys {
                _ = try await store.delete(key: key)
            }
            session.forgetStaleKeys(snapshot.staleKeys)
            snapshot.staleKeys = []
        }
        if snapshot.cookieWasSent, snapshot.isEmpty {
            return SessionCookieUpdate(action: .delete, varyOnCookie: true)
        }
        let needsSave = snapshot.modified || configuration.saveEveryRequest || snapshot.needsTouch
        guard needsSave, !snapshot.isEmpty, !isServerError else {
            return SessionCookieUpdate(action: .keep, varyOnCookie: snapshot.accessed)
        }

        let now = clock.now()
        let createdAt = snapshot.createdAt ?? now
        var stored = snapshot.data
        stored[Session.createdKey] = .int(Int(TimestampSigner.seconds(createdAt)))
        stored[Session.lastActivityKey] = .int(Int(TimestampSigner.seconds(now)))
        let expireDate = expireDate(of: snapshot.data, modifiedAt: now, createdAt: createdAt)

        let value: String
        switch storage {
        case .store(let store):
            let record = SessionRecord(data: stored, expireDate: expireDate)
            if let key = snapshot.key {
                guard try await store.save(key: key, record) else { throw StoreError.notFound("session") }
                value = key
            } else {
                value = try await store.create(record)
            }
        case .signedCookies(let codec):
            value = codec.encode(stored, at: now)
        }
        session.didSave(snapshot, key: value, createdAt: createdAt, lastActivityAt: now)

        if expiresAtBrowserClose(snapshot.data) {
            return SessionCookieUpdate(action: .set(value: value, maxAge: nil, expires: nil), varyOnCookie: true)
        }
        let maxAge = Int(max(-Self.latestExpiry, min(Self.latestExpiry, expireDate.timeIntervalSince(now).rounded(.down))))
        return SessionCookieUpdate(
            action: .set(value: value, maxAge: maxAge, expires: now.addingTimeInterval(TimeInterval(maxAge))),
            varyOnCookie: true
        )
    }

    /// Deletes expired rows from the store (Django's `clearsessions`); 0 for signed cookies.
    ///
    /// ```swift
    /// let removed = try await sessions.clearExpired()
    /// ```
    public func clearExpired() async throws -> Int {
        switch storage {
        case .store(let store): try await store.clearExpired(now: clock.now())
        case .signedCookies: 0
        }
    }

    // MARK: Expiry

    /// When `session` would expire if saved now: Django's `get_expiry_date()`, capped by the idle
    /// timeout and the absolute lifetime.
    ///
    /// ```swift
    /// let expires = sessions.expireDate(of: session)
    /// ```
    public func expireDate(of session: Session) -> Date {
        let snapshot = session.snapshot
        let now = clock.now()
        return expireDate(of: snapshot.data, modifiedAt: now, createdAt: snapshot.createdAt ?? now)
    }

    /// Whether `session`'s cookie lasts only until the browser closes (Django's
    /// `get_expire_at_browser_close()`).
    ///
    /// ```swift
    /// if sessions.expiresAtBrowserClose(session) { ... }
    /// ```
    public func expiresAtBrowserClose(_ session: Session) -> Bool {
        expiresAtBrowserClose(session.snapshot.data)
    }

    func expiresAtBrowserClose(_ data: [String: JSONValue]) -> Bool {
        guard let stored = data[SessionExpiry.dataKey], !stored.isNull else { return configuration.expireAtBrowserClose }
        return SessionExpiry(storedValue: stored) == .atBrowserClose
    }

    /// Django's expiry for data modified at `modifiedAt`, then Gatehouse's caps when `createdAt` is known.
    func expireDate(of data: [String: JSONValue], modifiedAt: Date, createdAt: Date? = nil) -> Date {
        var date: Date
        switch data[SessionExpiry.dataKey].flatMap(SessionExpiry.init(storedValue:)) {
        case .at(let moment)?: date = moment
        case .afterInactivity(let seconds)?: date = modifiedAt.addingTimeInterval(TimeInterval(seconds))
        case .atBrowserClose?, nil: date = modifiedAt.addingTimeInterval(TimeInterval(configuration.cookieAge))
        }
        if let idle = configuration.idleTimeout {
            date = min(date, modifiedAt.addingTimeInterval(TimeInterval(idle)))
        }
        if let lifetime = configuration.absoluteLifetime, let createdAt {
            date = min(date, createdAt.addingTimeInterval(TimeInterval(lifetime)))
        }
        // Python's datetime ends at 9999-12-31; databases and cookies cannot hold later dates either.
        return min(date, Date(timeIntervalSince1970: Self.latestExpiry))
    }

    /// 9999-12-31T23:59:59Z in Unix seconds.
    static let latestExpiry: TimeInterval = 253_402_300_799
}
