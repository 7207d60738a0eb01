/// Settings for CSRF protection, with Django's defaults.
///
/// ```swift
/// var configuration = CSRFConfiguration()
/// configuration.trustedOrigins = ["https://*.example.com", "https://partner.example.org"]
/// configuration.isHTTPS = true
/// let checker = CSRFChecker(configuration: configuration)
/// ```
public struct CSRFConfiguration: Sendable, Hashable {
    /// Django's `CSRF_COOKIE_AGE`: one year (52 weeks), in seconds.
    ///
    /// ```swift
    /// CSRFConfiguration(cookieAge: CSRFConfiguration.defaultCookieAge / 2)
    /// ```
    public static let defaultCookieAge = 60 * 60 * 24 * 7 * 52

    /// Django's `CSRF_TRUSTED_ORIGINS`: origins (`scheme://host[:port]`) that may post to this site
    /// besides the site itself. `https://*.example.com` trusts `example.com` and every subdomain (for
    /// `Origin`, with that scheme only); an entry without `*` must equal the `Origin` exactly. For the
    /// `Referer` check of HTTPS requests only the host part of each entry counts.
    ///
    /// ```swift
    /// configuration.trustedOrigins = ["https://*.example.com"]
    /// ```
    public var trustedOrigins: [String]

    /// Django's `ALLOWED_HOSTS` as `request.get_host()` applies it: `example.com`, `.example.com`
    /// (domain and subdomains) or `*`. A request host that does not match is never "the site's own"
    /// origin or referer. The default `["*"]` suits callers that validate `Host` before the CSRF check.
    ///
    /// ```swift
    /// configuration.allowedHosts = [".example.com"]
    /// ```
    public var allowedHosts: [String]

    /// Django's `CSRF_COOKIE_NAME`: `csrftoken`.
    ///
    /// ```swift
    /// let name = configuration.cookieName   // "csrftoken"
    /// ```
    public var cookieName: String

    /// The request header that may carry the token (Django's `CSRF_HEADER_NAME`, `HTTP_X_CSRFTOKEN`):
    /// `X-CSRFToken`.
    ///
    /// ```swift
    /// let token = headers[configuration.headerName]
    /// ```
    public var headerName: String

    /// The form field that carries the token in POSTs: `csrfmiddlewaretoken`.
    ///
    /// ```swift
    /// let field = form[configuration.fieldName]
    /// ```
    public var fieldName: String

    /// Whether the site is served over HTTPS. The checker uses it when the caller does not say whether
    /// a request is secure, and it is the default for ``cookieSecure``.
    ///
    /// ```swift
    /// configuration.isHTTPS = true
    /// ```
    public var isHTTPS: Bool

    /// Django's `CSRF_COOKIE_DOMAIN` (nil: a host-only cookie). When set, an HTTPS `Referer` from this
    /// domain (`.example.com` covers subdomains) is accepted, with the server port appended unless it
    /// is 80 or 443, as Django does.
    ///
    /// ```swift
    /// configuration.cookieDomain = ".example.com"
    /// ```
    public var cookieDomain: String?

    /// `CSRF_COOKIE_AGE` in seconds; nil for a session cookie.
    ///
    /// ```swift
    /// configuration.cookieAge = nil
    /// ```
    public var cookieAge: Int?

    /// `CSRF_COOKIE_PATH`: `/`.
    ///
    /// ```swift
    /// configuration.cookiePath = "/app/"
    /// ```
    public var cookiePath: String

    /// `CSRF_COOKIE_SECURE`: send the cookie over HTTPS only.
    ///
    /// ```swift
    /// configuration.cookieSecure = true
    /// ```
    public var cookieSecure: Bool

    /// `CSRF_COOKIE_HTTPONLY`: false, so page scripts can read the cookie for the header.
    ///
    /// ```swift
    /// configuration.cookieHTTPOnly = true
    /// ```
    public var cookieHTTPOnly: Bool

    /// `CSRF_COOKIE_SAMESITE`: `Lax` (nil: no attribute).
    ///
    /// ```swift
    /// configuration.cookieSameSite = "Strict"
    /// ```
    public var cookieSameSite: String?

    /// Creates a configuration; every argument defaults to Django's setting (`allowedHosts` to `["*"]`,
    /// `cookieSecure` to `isHTTPS`).
    ///
    /// ```swift
    /// let configuration = CSRFConfiguration(trustedOrigins: ["https://*.example.com"], isHTTPS: true)
    /// ```
    public init(
        trustedOrigins: [String] = [],
        allowedHosts: [String] = ["*"],
        cookieName: String = "csrftoken",
        headerName: String = "X-CSRFToken",
        fieldName: String = "csrfmiddlewaretoken",
        isHTTPS: Bool = false,
        cookieDomain: String? = nil,
        cookieAge: Int? = CSRFConfiguration.defaultCookieAge,
        cookiePath: String = "/",
        cookieSecure: Bool? = nil,
        cookieHTTPOnly: Bool = false,
        cookieSameSite: String? = "Lax"
    ) {
        self.trustedOrigins = trustedOrigins
        self.allowedHosts = allowedHosts
        self.cookieName = cookieName
        self.headerName = headerName
        self.fieldName = fieldName
        self.isHTTPS = isHTTPS
        self.cookieDomain = cookieDomain
        self.cookieAge = cookieAge
        self.cookiePath = cookiePath
        self.cookieSecure = cookieSecure ?? isHTTPS
        self.cookieHTTPOnly = cookieHTTPOnly
        self.cookieSameSite = cookieSameSite
    }

    /// Django's defaults.
    ///
    /// ```swift
    /// let checker = CSRFChecker(configuration: .default)
    /// ```
    public static let `default` = CSRFConfiguration()

    /// How Django names a header in reasons: through WSGI (`HTTP_X_CSRFTOKEN`) and back, then
    /// Python's `str.title()`, so `X-CSRFToken` becomes `X-Csrftoken`.
    static func djangoHeaderName(_ name: String) -> String {
        var out = ""
        var previousCased = false
        for scalar in name.unicodeScalars {
            let c: Unicode.Scalar = scalar == "_" ? "-" : scalar
            if ("a"..."z").contains(c) || ("A"..."Z").contains(c) {
                let upper = ("a"..."z").contains(c) ? Unicode.Scalar(c.value - 32) ?? c : c
                let lower = ("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32) ?? c : c
                out.unicodeScalars.append(previousCased ? lower : upper)
                previousCased = true
            } else {
                out.unicodeScalars.append(c)
                previousCased = false
            }
        }
        return out
    }

    /// Python's `repr()` of a string, for the header name in reasons.
    static func pythonRepr(_ text: String) -> String {
        let quote: Unicode.Scalar = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(Character(quote))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case quote: out += "\\" + String(Character(quote))
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.unicodeScalars.append(quote)
        return out
    }
}
