/// What a login attempt supplies: usually a username and a password, or a name vouched for by a
/// trusted proxy.
///
/// Its description never shows the password.
///
/// ```swift
/// let credentials = Credentials(username: "alice", password: "correct horse battery staple")
/// ```
public struct Credentials: Sendable, CustomStringConvertible {
    /// The username as typed.
    public var username: String?
    /// The password as typed.
    public var password: String?
    /// A username asserted by a trusted front end (the `REMOTE_USER` of Django's remote-user backend).
    public var remoteUser: String?

    /// Creates credentials.
    public init(username: String? = nil, password: String? = nil, remoteUser: String? = nil) {
        self.username = username
        self.password = password
        self.remoteUser = remoteUser
    }

    /// The credentials with every secret replaced by asterisks, as Django scrubs the ones it passes
    /// to `user_login_failed`.
    public var scrubbed: [String: String] {
        var result: [String: String] = [:]
        if let username { result["username"] = username }
        if password != nil { result["password"] = "********************" }
        if let remoteUser { result["remote_user"] = remoteUser }
        return result
    }

    /// The scrubbed fields.
    public var description: String { "Credentials(\(scrubbed.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")))" }
}

/// Facts about the request a login arrives on, for backends and event observers. The HTTP layer
/// fills it in; the domain never sees a framework's request type.
///
/// ```swift
/// let facts = RequestFacts(remoteAddress: "203.0.113.9", isSecure: true, path: "/accounts/login/")
/// ```
public struct RequestFacts: Sendable, Hashable {
    /// The client's address as the server sees it (after trusted-proxy processing).
    public var remoteAddress: String?
    /// Whether the request arrived over HTTPS.
    public var isSecure: Bool
    /// The request path.
    public var path: String?
    /// The `User-Agent` header.
    public var userAgent: String?

    /// Creates request facts.
    public init(remoteAddress: String? = nil, isSecure: Bool = false, path: String? = nil, userAgent: String? = nil) {
        self.remoteAddress = remoteAddress
        self.isSecure = isSecure
        self.path = path
        self.userAgent = userAgent
    }
}

/// One way of checking credentials, asked in order by an ``Authenticator``.
///
/// Return the user when the credentials are good, `nil` when this backend cannot vouch for them
/// (the next backend is asked), or throw ``AuthenticationDenied`` to stop the whole chain, as a
/// Django backend raising `PermissionDenied` does.
///
/// ```swift
/// struct TokenBackend: AuthenticationBackend {
///     let identifier = "myapp.TokenBackend"
///     func authenticate(_ credentials: Credentials, request: RequestFacts) async throws -> User? { ... }
///     func user(id: Int64) async throws -> User? { ... }
/// }
/// ```
public protocol AuthenticationBackend: Sendable {
    /// The name recorded in the session (`_auth_user_backend`). Backends equivalent to Django's use
    /// Django's dotted path, so a session either side wrote is accepted by the other.
    var identifier: String { get }

    /// Checks `credentials`.
    func authenticate(_ credentials: Credentials, request: RequestFacts) async throws -> User?

    /// The user with `id` if this backend still accepts it (used to restore a session's user).
    func user(id: Int64) async throws -> User?
}

/// Thrown by a backend to stop the chain: no later backend is asked and the login fails.
///
/// ```swift
/// if isLockedOut(credentials.username) { throw AuthenticationDenied(reason: "locked out") }
/// ```
public struct AuthenticationDenied: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why, for logs; never the credentials.
    public var reason: String

    /// Creates the denial.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { "authentication denied: \(reason)" }
}
