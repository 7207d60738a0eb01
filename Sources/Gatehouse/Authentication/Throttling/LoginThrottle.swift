import Foundation
public import Logging

/// Failed-login throttling and fair turns at the hashing pool, around an ``Authenticator``.
///
/// ``authenticate(_:request:using:)`` takes a turn for the client's address (``LoginCheckSlots``),
/// then reads the failures of the username and address (``LoginFailureStore``) and, when a key has
/// reached its limit, refuses with ``LoginAttemptOutcome/locked(_:)`` before anything is hashed or
/// looked up: a right password is refused too, and an unknown username gets exactly what a real
/// one gets. Otherwise the authenticator runs; a failure is recorded under the three keys, and a
/// success clears the failures of its username and address.
///
/// Every new lock is logged once at `notice` level (the username scrubbed of control characters,
/// the address, never the password) and emitted as ``AuthenticationEvent/loginLocked(_:_:)``.
///
/// ```swift
/// let throttle = LoginThrottle(store: SQLLoginFailureStore(provider: provider))
/// let outcome = try await throttle.authenticate(credentials, request: facts, using: authenticator)
/// ```
public struct LoginThrottle: Sendable {
    /// Limits, window and per-address turns.
    public let configuration: LoginThrottleConfiguration
    /// Where failures are counted.
    public let store: any LoginFailureStore
    /// The clock failures are stamped and expired with.
    public let clock: any WallClock
    /// Who hears about new locks.
    public let events: AuthenticationEvents
    /// The per-address turns at the hashing pool (one instance serves every request).
    package let slots: LoginCheckSlots
    let logger: Logger

    /// Creates the throttle; the defaults are on, with counts in memory.
    ///
    /// ```swift
    /// let throttle = LoginThrottle(configuration: LoginThrottleConfiguration(usernameAndAddressLimit: 10))
    /// ```
    public init(
        configuration: LoginThrottleConfiguration = LoginThrottleConfiguration(),
        store: any LoginFailureStore = MemoryLoginFailureStore(),
        clock: any WallClock = SystemWallClock(),
        events: AuthenticationEvents = AuthenticationEvents(),
        logger: Logger = Logger(label: "gatehouse.throttle")
    ) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.events = events
        self.slots = LoginCheckSlots(
            concurrent: configuration.concurrentChecksPerAddress, waiting: configuration.waitingChecksPerAddress
        )
        self.logger = logger
    }

    /// Checks `credentials` with `authenticator` unless the client's address has no free turn or a
    /// key of the username and address is locked.
    ///
    /// - Throws: ``LoginThrottleError/storeUnavailable`` when the failure store fails (the login is
    ///   not tried), ``LoginThrottleError/cancelled``, and whatever `authenticator` throws (such as
    ///   ``PasswordError/busy``).
    public func authenticate(
        _ credentials: Credentials,
        request: RequestFacts,
        using authenticator: Authenticator
    ) async throws -> LoginAttemptOutcome {
        let address = LoginFailureKey.normalizedAddress(request.remoteAddress)
        let outcome = try await slots.withSlot(address: address) { () async throws -> LoginAttemptOutcome in
            guard configuration.isCounting, let typed = credentials.username else {
                return try await authenticator.authenticate(credentials, request: request).map { .authenticated($0) } ?? .failed
            }
            let username = LoginFailureKey.normalizedUsername(typed)
            let now = clock.now()
            let windows = try await failureWindows(username: username, address: address, now: now)
            if let lock = lock(in: windows, now: now) {
                logger.debug("login refused: locked", metadata: ["key": "\(lock.key)"])
                return .locked(lock)
            }
            guard let result = try await authenticator.authenticate(credentials, request: request) else {
                try await recordFailure(username: username, address: address, now: now, before: windows, request: request)
                return .failed
            }
            if windows.contains(where: { $0.key.kind == .usernameAndAddress && $0.window.count > 0 }) {
                try await storeCall { _ = try await store.deleteFailures(username: username, address: address) }
            }
            return .authenticated(result)
        }
        return outcome ?? .tooManyConcurrent
    }

    /// The lock on a login of `username` from `address` now, if any (both as typed or received:
    /// they are normalized here).
    ///
    /// ```swift
    /// if let lock = try await throttle.currentLock(username: "alice", address: "203.0.113.9") { ... }
    /// ```
    public func currentLock(username: String, address: String?) async throws -> LoginLock? {
        guard configuration.isCounting else { return nil }
        let now = clock.now()
        let windows = try await failureWindows(
            username: LoginFailureKey.normalizedUsername(username), address: LoginFailureKey.normalizedAddress(address), now: now
        )
        return lock(in: windows, now: now)
    }

    /// Every key with failures in the window, and the lock on it when it has reached its limit:
    /// what `gatehouse throttle list` prints.
    ///
    /// ```swift
    /// for entry in try await throttle.report() { print(entry.group.key, entry.lock?.until as Any) }
    /// ```
    public func report() async throws -> [LoginThrottleReportEntry] {
        let now = clock.now()
        let since = now - configuration.window
        var entries: [LoginThrottleReportEntry] = []
        for kind in LoginFailureKey.Kind.allCases {
            let limit = configuration.isEnabled ? configuration.limit(for: kind) : 0
            for group in try await storeCall({ try await store.failureGroups(kind, since: since) }) {
                var lock: LoginLock?
                if limit > 0, group.count >= limit {
                    let window = try await storeCall { try await store.failures(for: group.key, since: since, nthNewest: limit) }
                    lock = window.nthNewest.map {
                        LoginLock(key: group.key, failures: window.count, limit: limit, until: $0 + configuration.window)
                    }
                }
                entries.append(LoginThrottleReportEntry(group: group, lock: lock))
            }
        }
        return entries
    }

    // MARK: Internals

    struct KeyWindow {
        var key: LoginFailureKey
        var limit: Int
        var window: LoginFailureWindow
    }

    /// The failures of each limited key within the window.
    private func failureWindows(username: String, address: String, now: Date) async throws -> [KeyWindow] {
        let since = now - configuration.window
        var windows: [KeyWindow] = []
        for key in LoginFailureKey.all(username: username, address: address) {
            let limit = configuration.limit(for: key.kind)
            guard limit > 0 else { continue }
            let window = try await storeCall { try await store.failures(for: key, since: since, nthNewest: limit) }
            windows.append(KeyWindow(key: key, limit: limit, window: window))
        }
        return windows
    }

    /// The longest lock among `windows` that has not lifted at `now`.
    private func lock(in windows: [KeyWindow], now: Date) -> LoginLock? {
        windows.compactMap { entry -> LoginLock? in
            guard entry.window.count >= entry.limit, let nth = entry.window.nthNewest else { return nil }
            let until = nth + configuration.window
            guard until > now else { return nil }
            return LoginLock(key: entry.key, failures: entry.window.count, limit: entry.limit, until: until)
        }.max { $0.until < $1.until }
    }

    /// Records a failure and reports each key that this failure brought to its limit.
    private func recordFailure(username: String, address: String, now: Date, before: [KeyWindow], request: RequestFacts) async throws {
        let cutoff = now - configuration.window
        try await storeCall { try await store.recordFailure(username: username, address: address, at: now, pruningBefore: cutoff) }
        for entry in before where entry.window.count + 1 == entry.limit {
            let window = try await storeCall { try await store.failures(for: entry.key, since: cutoff, nthNewest: entry.limit) }
            let lock = LoginLock(
                key: entry.key, failures: window.count, limit: entry.limit, until: (window.nthNewest ?? now) + configuration.window
            )
            logger.notice(
                "login locked: too many failed logins",
                metadata: [
                    "kind": "\(entry.key.kind.rawValue)",
                    "username": "\(entry.key.username.map(LoginFailureKey.scrubbed) ?? "-")",
                    "address": "\(entry.key.address.map(LoginFailureKey.scrubbed) ?? "-")",
                    "failures": "\(lock.failures)",
                    "limit": "\(lock.limit)",
                    "retry_after_seconds": "\(lock.retryAfterSeconds(now: now))",
                ]
            )
            await events.emit(.loginLocked(lock, request))
        }
    }

    /// Runs a store call; its failure becomes ``LoginThrottleError/storeUnavailable`` (logged by
    /// error type only).
    private func storeCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            logger.warning("login failure store unavailable", metadata: ["error_type": "\(type(of: error))"])
            throw LoginThrottleError.storeUnavailable
        }
    }
}

/// One line of ``LoginThrottle/report()``: a key's failures in the window and its lock, if any.
///
/// ```swift
/// entry.lock.map { "locked until \($0.until)" } ?? "\(entry.group.count) failures"
/// ```
public struct LoginThrottleReportEntry: Sendable, Hashable {
    /// The key and its failures.
    public var group: LoginFailureGroup
    /// The lock, when the key has reached its limit and it has not lifted.
    public var lock: LoginLock?

    /// Creates the entry.
    public init(group: LoginFailureGroup, lock: LoginLock?) {
        self.group = group
        self.lock = lock
    }
}
