public import Foundation

/// How failed logins are throttled: on by default, with limits in the spirit of django-axes.
///
/// Failed logins are counted over a sliding ``window`` (15 minutes) under three keys, and a login is
/// refused before any password is hashed once one of them reaches its limit:
///
/// - the username and client address together: ``usernameAndAddressLimit`` (5), which stops guessing
///   one account's password from one place;
/// - the client address alone: ``addressLimit`` (30), which stops one place guessing many accounts;
/// - the username alone: ``usernameLimit`` (100), which stops many places guessing one account, while
///   its owner, below that limit, can still log in from another address.
///
/// A limit of `0` turns that limit off; ``isEnabled`` `false` (or a ``window`` of `0`) turns counting
/// off altogether. The lock lifts by itself: when failures leave the window, or when an
/// administrator resets them (`gatehouse throttle reset`). A successful login clears the failures of
/// its username and address (not the other two keys).
///
/// Fairness of the hashing pool is also kept here: one client address has at most
/// ``concurrentChecksPerAddress`` (2) password checks running and ``waitingChecksPerAddress`` (16)
/// waiting for their turn; further attempts from it are refused at once, and other addresses keep
/// their share of the pool.
///
/// ```swift
/// var throttle = LoginThrottleConfiguration()
/// throttle.usernameAndAddressLimit = 10
/// throttle.window = 30 * 60
/// ```
public struct LoginThrottleConfiguration: Sendable, Hashable {
    /// Whether failures are counted and limits enforced: `true`.
    ///
    /// ```swift
    /// configuration.isEnabled = false   // no throttling (the per-address fairness stays)
    /// ```
    public var isEnabled: Bool

    /// Failures of one username from one address within ``window`` before that pair is locked: 5.
    ///
    /// ```swift
    /// configuration.usernameAndAddressLimit = 10
    /// ```
    public var usernameAndAddressLimit: Int

    /// Failures from one address, any username, within ``window`` before the address is locked: 30.
    ///
    /// ```swift
    /// configuration.addressLimit = 0   // no per-address limit
    /// ```
    public var addressLimit: Int

    /// Failures of one username, from any address, within ``window`` before the username is locked
    /// everywhere: 100.
    ///
    /// ```swift
    /// configuration.usernameLimit = 50
    /// ```
    public var usernameLimit: Int

    /// Seconds a failure counts (the cool-off): 900, 15 minutes. A lock lifts when enough of the
    /// failures behind it are older than this.
    ///
    /// ```swift
    /// configuration.window = 3600
    /// ```
    public var window: TimeInterval

    /// Password checks one client address may run at once: 2. `0` means no limit.
    ///
    /// ```swift
    /// configuration.concurrentChecksPerAddress = 4
    /// ```
    public var concurrentChecksPerAddress: Int

    /// Password checks of one client address that may wait for a running one to finish: 16. More
    /// are refused at once (429).
    ///
    /// ```swift
    /// configuration.waitingChecksPerAddress = 0   // never wait: refuse at once
    /// ```
    public var waitingChecksPerAddress: Int

    /// Creates the configuration; the defaults are on.
    ///
    /// ```swift
    /// let strict = LoginThrottleConfiguration(usernameAndAddressLimit: 3, window: 3600)
    /// ```
    public init(
        isEnabled: Bool = true,
        usernameAndAddressLimit: Int = 5,
        addressLimit: Int = 30,
        usernameLimit: Int = 100,
        window: TimeInterval = 900,
        concurrentChecksPerAddress: Int = 2,
        waitingChecksPerAddress: Int = 16
    ) {
        self.isEnabled = isEnabled
        self.usernameAndAddressLimit = max(0, usernameAndAddressLimit)
        self.addressLimit = max(0, addressLimit)
        self.usernameLimit = max(0, usernameLimit)
        self.window = max(0, window)
        self.concurrentChecksPerAddress = max(0, concurrentChecksPerAddress)
        self.waitingChecksPerAddress = max(0, waitingChecksPerAddress)
    }

    /// Whether failures are counted at all: enabled, a window longer than zero, and a limit.
    ///
    /// ```swift
    /// if configuration.isCounting { ... }
    /// ```
    public var isCounting: Bool {
        isEnabled && window > 0 && (usernameAndAddressLimit > 0 || addressLimit > 0 || usernameLimit > 0)
    }

    /// The limit of `kind`; `0` when that limit is off.
    ///
    /// ```swift
    /// configuration.limit(for: .address)   // 30
    /// ```
    public func limit(for kind: LoginFailureKey.Kind) -> Int {
        switch kind {
        case .usernameAndAddress: usernameAndAddressLimit
        case .address: addressLimit
        case .username: usernameLimit
        }
    }
}
