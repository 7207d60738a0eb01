/// How the session cookie is written. Stricter than Django's defaults: `HttpOnly`, `SameSite=Lax`
/// and `Path=/` always, and `Secure` whenever the request is HTTPS even if the site is not
/// configured as HTTPS.
///
/// ```swift
/// let cookies = SessionCookieConfiguration(secure: .always, domain: "example.com")
/// ```
public struct SessionCookieConfiguration: Sendable, Hashable {
    /// When the `Secure` flag is set.
    public enum SecurePolicy: Sendable, Hashable {
        /// When the request arrived over HTTPS (directly or through a trusted proxy that says so).
        case automatic
        /// Always: the site is served only over HTTPS.
        case always
        /// Never (development over plain HTTP only).
        case never
    }

    /// When `Secure` is set.
    public var secure: SecurePolicy
    /// The cookie's `Domain`, `nil` for the host only (Django's default).
    public var domain: String?
    /// The cookie's `Path`.
    public var path: String
    /// The `SameSite` attribute: `Lax` by default.
    public var sameSite: String

    /// Creates the cookie settings.
    public init(secure: SecurePolicy = .automatic, domain: String? = nil, path: String = "/", sameSite: String = "Lax") {
        self.secure = secure
        self.domain = domain
        self.path = path
        self.sameSite = sameSite
    }

    /// Whether a cookie written on a request with this security gets `Secure`.
    public func isSecure(requestIsSecure: Bool) -> Bool {
        switch secure {
        case .automatic: requestIsSecure
        case .always: true
        case .never: false
        }
    }
}
