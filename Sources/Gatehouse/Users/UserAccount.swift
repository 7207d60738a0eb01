/// What every identity on a request can answer: a stored ``User`` or the ``AnonymousUser``.
///
/// ```swift
/// func greeting(for account: some UserAccount) -> String {
///     account.isAuthenticated ? "Hello, \(account.username)" : "Please log in"
/// }
/// ```
public protocol UserAccount: Sendable {
    /// The stored id, or `nil` for the anonymous user.
    var userID: Int64? { get }
    /// The username, empty for the anonymous user.
    var username: String { get }
    /// Whether this is a logged-in user.
    var isAuthenticated: Bool { get }
    /// Whether the account may log in.
    var isActive: Bool { get }
    /// Whether the account may use staff-only pages.
    var isStaff: Bool { get }
    /// Whether the account has every permission.
    var isSuperuser: Bool { get }
}

extension UserAccount {
    /// The opposite of ``isAuthenticated``.
    public var isAnonymous: Bool { !isAuthenticated }
}

/// The user of a request that has not logged in, with Django's semantics: no id, an empty username,
/// not active, not staff, not superuser and no permissions.
///
/// ```swift
/// let visitor: any UserAccount = AnonymousUser()
/// assert(!visitor.isAuthenticated && !visitor.isActive)
/// ```
public struct AnonymousUser: UserAccount, Hashable, CustomStringConvertible {
    /// Creates the anonymous user.
    public init() {}
    /// Always `nil`.
    public var userID: Int64? { nil }
    /// Always empty.
    public var username: String { "" }
    /// Always `false`.
    public var isAuthenticated: Bool { false }
    /// Always `false`.
    public var isActive: Bool { false }
    /// Always `false`.
    public var isStaff: Bool { false }
    /// Always `false`.
    public var isSuperuser: Bool { false }
    /// `AnonymousUser`, as Django prints it.
    public var description: String { "AnonymousUser" }
}
