public import Foundation
import Synchronization

/// One request's session: Django's `request.session`.
///
/// A `Session` comes from ``SessionManager/load(cookie:)`` and goes back through
/// ``SessionManager/save(_:isServerError:)``, which writes it when needed and says what to do with the
/// cookie. In between, handlers read and change it synchronously; every operation takes an internal
/// lock, so tasks of the same request may share it safely. It tracks, as Django does, whether it was
/// ``accessed`` and ``modified``.
///
/// The key is `nil` until the session is saved for the first time, and after ``flush()`` or
/// ``cycleKey()`` until the next save. Gatehouse's bookkeeping keys (`_gatehouse_created`,
/// `_gatehouse_last_activity`) are not part of ``data``; Django's `_session_expiry` is, and is also
/// reachable as ``expiry``.
///
/// ```swift
/// let session = try await sessions.load(cookie: request.cookieValue("sessionid"))
/// session["cart"] = [1, 2, 3]
/// let visits = (session["visits"]?.intValue ?? 0) + 1
/// session["visits"] = .int(visits)
/// let update = try await sessions.save(session)
/// ```
public final class Session: Sendable {
    /// Where Gatehouse records when the session was created (integer Unix seconds).
    ///
    /// ```swift
    /// Session.createdKey   // "_gatehouse_created"
    /// ```
    public static let createdKey = "_gatehouse_created"

    /// Where Gatehouse records the last request that used the session (integer Unix seconds).
    ///
    /// ```swift
    /// Session.lastActivityKey   // "_gatehouse_last_activity"
    /// ```
    public static let lastActivityKey = "_gatehouse_last_activity"

    struct State {
        var data: [String: JSONValue]
        var key: String?
        var accessed = false
        var modified = false
        var createdAt: Date?
        var lastActivityAt: Date?
        var needsTouch = false
        var staleKeys: [String] = []
        var version = 0
        var keyGeneration = 0
        var verifiedUserID: Int64?
        let cookieWasSent: Bool

        var isEmpty: Bool { key == nil && data.isEmpty }

        mutating func change() {
            accessed = true
            modified = true
            version &+= 1
        }
    }

    private let state: Mutex<State>

    /// A new, empty session without a key, as for a request without a session cookie.
    ///
    /// ```swift
    /// let session = Session()
    /// session["theme"] = "dark"
    /// ```
    public convenience init() {
        self.init(State(data: [:], cookieWasSent: false))
    }

    init(_ state: State) {
        self.state = Mutex(state)
    }

    // MARK: Data

    /// The value under `key`; assigning `nil` removes it. Reading marks the session accessed; assigning
    /// marks it modified.
    ///
    /// ```swift
    /// session["theme"] = "dark"
    /// session["theme"]?.stringValue   // "dark"
    /// ```
    public subscript(key: String) -> JSONValue? {
        get {
            state.withLock { state in
                state.accessed = true
                return state.data[key]
            }
        }
        set {
            state.withLock { state in
                if let newValue {
                    state.data[key] = newValue
                    state.change()
                } else if state.data.removeValue(forKey: key) != nil {
                    state.change()
                } else {
                    state.accessed = true
                }
            }
        }
    }

    /// Removes and returns the value under `key` (Django's `pop`); marks the session modified only
    /// when there was one.
    ///
    /// ```swift
    /// let next = session.removeValue(forKey: "next")?.stringValue
    /// ```
    @discardableResult
    public func removeValue(forKey key: String) -> JSONValue? {
        state.withLock { state in
            state.accessed = true
            let removed = state.data.removeValue(forKey: key)
            if removed != nil { state.change() }
            return removed
        }
    }

    /// Whether there is a value under `key`.
    ///
    /// ```swift
    /// if session.contains("_auth_user_id") { ... }
    /// ```
    public func contains(_ key: String) -> Bool {
        state.withLock { state in
            state.accessed = true
            return state.data[key] != nil
        }
    }

    /// A copy of every key and value.
    ///
    /// ```swift
    /// for (key, value) in session.data { print(key, value.serialized()) }
    /// ```
    public var data: [String: JSONValue] {
        state.withLock { state in
            state.accessed = true
            return state.data
        }
    }

    /// Sets every value of `values` (Django's `update`); marks the session modified.
    ///
    /// ```swift
    /// session.update(["theme": "dark", "lang": "fr"])
    /// ```
    public func update(_ values: [String: JSONValue]) {
        state.withLock { state in
            state.data.merge(values) { _, new in new }
            state.change()
        }
    }

    /// Runs `body` on the data under the lock, so a read-modify-write is atomic; marks the session
    /// modified when the data changed.
    ///
    /// ```swift
    /// let visits = session.withData { data in
    ///     let next = (data["visits"]?.intValue ?? 0) + 1
    ///     data["visits"] = .int(next)
    ///     return next
    /// }
    /// ```
    public func withData<T>(_ body: (inout [String: JSONValue]) throws -> T) rethrows -> T {
        try state.withLock { state in
            state.accessed = true
            var data = state.data
            let result = try body(&data)
            if data != state.data {
                state.data = data
                state.change()
            }
            return result
        }
    }

    /// Removes every value but keeps the key (Django's `clear`): the empty session is saved under the
    /// same key. Use ``flush()`` to log out.
    ///
    /// ```swift
    /// session.clear()
    /// ```
    public func clear() {
        state.withLock { state in
            state.data = [:]
            state.change()
        }
    }

    /// Whether the session has neither a key nor data (Django's `is_empty`): saving it writes nothing
    /// and deletes a cookie the request sent.
    ///
    /// ```swift
    /// if session.isEmpty { ... }
    /// ```
    public var isEmpty: Bool {
        state.withLock { $0.isEmpty }
    }

    // MARK: Key

    /// The session key (for signed-cookie sessions, the cookie value); `nil` until the first save and
    /// after ``flush()`` or ``cycleKey()``.
    ///
    /// ```swift
    /// if session.key == nil { print("not saved yet") }
    /// ```
    public var key: String? {
        state.withLock { $0.key }
    }

    /// Keeps the data but moves it to a new key on the next save, deleting the old key's row then;
    /// Django's `cycle_key`, used at login against session fixation. The absolute lifetime starts
    /// again.
    ///
    /// ```swift
    /// session.cycleKey()
    /// session["_auth_user_id"] = "42"
    /// ```
    public func cycleKey() {
        state.withLock { state in
            if let key = state.key { state.staleKeys.append(key) }
            state.key = nil
            state.keyGeneration &+= 1
            state.createdAt = nil
            state.change()
        }
    }

    /// Removes every value and drops the key; the next save deletes the old key's row and the cookie
    /// (Django's `flush`, what logout does). Values set afterwards go to a new key.
    ///
    /// ```swift
    /// session.flush()
    /// ```
    public func flush() {
        state.withLock { state in
            if let key = state.key { state.staleKeys.append(key) }
            state.key = nil
            state.keyGeneration &+= 1
            state.data = [:]
            state.createdAt = nil
            state.lastActivityAt = nil
            state.verifiedUserID = nil
            state.change()
        }
    }

    // MARK: Expiry

    /// The session's own expiry, stored under `_session_expiry` like Django's `set_expiry`; `nil` for
    /// the configured policy.
    ///
    /// ```swift
    /// session.expiry = .afterInactivity(seconds: 1800)
    /// ```
    public var expiry: SessionExpiry? {
        get {
            state.withLock { state in
                state.accessed = true
                return state.data[SessionExpiry.dataKey].flatMap(SessionExpiry.init(storedValue:))
            }
        }
        set {
            self[SessionExpiry.dataKey] = newValue?.storedValue
        }
    }

    /// When the session was created (or its key last cycled), once it has been saved or loaded.
    ///
    /// ```swift
    /// session.createdAt
    /// ```
    public var createdAt: Date? {
        state.withLock { $0.createdAt }
    }

    /// The last request that used the session as recorded at load or save time (at most
    /// ``SessionConfiguration/activityResolution`` seconds stale).
    ///
    /// ```swift
    /// session.lastActivityAt
    /// ```
    public var lastActivityAt: Date? {
        state.withLock { $0.lastActivityAt }
    }

    // MARK: Flags

    /// Whether the data was read or written during this request (the response should then vary on
    /// `Cookie`).
    ///
    /// ```swift
    /// if session.accessed { response.headers[.vary] = "Cookie" }
    /// ```
    public var accessed: Bool {
        state.withLock { $0.accessed }
    }

    /// Whether the data or key changed since it was loaded or last saved.
    ///
    /// ```swift
    /// if session.modified { ... }
    /// ```
    public var modified: Bool {
        state.withLock { $0.modified }
    }

    // MARK: Manager support

    /// The user whose login this request made or verified on the session (``SessionLogin`` sets it;
    /// ``flush()`` clears it): the session middleware records the session under this user once it
    /// is saved. Not stored.
    package var verifiedUserID: Int64? {
        get { state.withLock { $0.verifiedUserID } }
        set { state.withLock { $0.verifiedUserID = newValue } }
    }

    var snapshot: State {
        state.withLock { $0 }
    }

    /// Forgets stale keys that were deleted.
    func forgetStaleKeys(_ keys: [String]) {
        state.withLock { state in
            state.staleKeys.removeAll { keys.contains($0) }
        }
    }

    /// Records a save of `saved` under `key`. The session stays modified when it changed meanwhile;
    /// when its key was cycled or flushed meanwhile, the key just written is stale instead.
    func didSave(_ saved: State, key: String, createdAt: Date, lastActivityAt: Date) {
        state.withLock { state in
            guard state.keyGeneration == saved.keyGeneration else {
                if key != saved.key { state.staleKeys.append(key) }
                return
            }
            state.key = key
            state.createdAt = createdAt
            state.lastActivityAt = lastActivityAt
            state.needsTouch = false
            if state.version == saved.version { state.modified = false }
        }
    }
}
