/// The security headers on every response Gatehouse makes itself (its pages, redirects, errors and
/// JSON answers). Stricter than Django's defaults, which send `X-Frame-Options: DENY`,
/// `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` and
/// `Cross-Origin-Opener-Policy: same-origin` but no `Content-Security-Policy` and no HSTS unless
/// configured.
///
/// ```swift
/// var headers = SecurityHeadersConfiguration()
/// headers.strictTransportSecuritySeconds = 31_536_000   // the site is served over HTTPS only
/// ```
public struct SecurityHeadersConfiguration: Sendable, Hashable {
    /// `X-Frame-Options`: `DENY` (no page of Gatehouse's may be framed: clickjacking).
    public var frameOptions: String?
    /// `Content-Security-Policy`: no scripts, no frames, inline styles and `data:` images only,
    /// forms posted to this origin, and `frame-ancestors 'none'`.
    public var contentSecurityPolicy: String?
    /// `X-Content-Type-Options: nosniff`.
    public var contentTypeNoSniff: Bool
    /// `Referrer-Policy`: `same-origin`.
    public var referrerPolicy: String?
    /// `Cross-Origin-Opener-Policy`: `same-origin`.
    public var crossOriginOpenerPolicy: String?
    /// `Strict-Transport-Security: max-age=…` when set (the CLI sets a year with `--https`).
    public var strictTransportSecuritySeconds: Int?
    /// Adds `includeSubDomains` to HSTS.
    public var strictTransportSecurityIncludesSubdomains: Bool

    /// The policy for Gatehouse's own pages: they have inline styles and nothing else.
    public static let pagePolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// Creates the settings; the defaults are the strict ones above, without HSTS.
    public init(
        frameOptions: String? = "DENY",
        contentSecurityPolicy: String? = Self.pagePolicy,
        contentTypeNoSniff: Bool = true,
        referrerPolicy: String? = "same-origin",
        crossOriginOpenerPolicy: String? = "same-origin",
        strictTransportSecuritySeconds: Int? = nil,
        strictTransportSecurityIncludesSubdomains: Bool = false
    ) {
        self.frameOptions = frameOptions
        self.contentSecurityPolicy = contentSecurityPolicy
        self.contentTypeNoSniff = contentTypeNoSniff
        self.referrerPolicy = referrerPolicy
        self.crossOriginOpenerPolicy = crossOriginOpenerPolicy
        self.strictTransportSecuritySeconds = strictTransportSecuritySeconds
        self.strictTransportSecurityIncludesSubdomains = strictTransportSecurityIncludesSubdomains
    }
}
