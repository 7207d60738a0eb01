/// Django's `url_has_allowed_host_and_scheme`: whether a redirect target taken from the request (a
/// `next` parameter, say) stays on an allowed host and uses an allowed scheme.
///
/// A URL passes when, after Python's `str.strip()`, it is non-empty, at most
/// ``maximumURLLength`` code points, does not start with `///` or a control/format/unassigned
/// character, parses (as Python's `urlsplit` does), has no scheme without a host (`http:///x`,
/// `javascript:`), has either no host or a host that is exactly one of the allowed hosts (port and
/// credentials included, case-sensitive), and has no scheme or `http`/`https` (only `https` when HTTPS is
/// required; a scheme-relative `//host` counts as `http`). The test runs twice, the second time with
/// every `\` turned into `/`, and both must pass.
///
/// ```swift
/// let validator = RedirectValidator(allowedHosts: ["accounts.example.com"])
/// validator.isSafe("/profile/", requestHost: "example.com", requireHTTPS: true)         // true
/// validator.isSafe("//evil.example/", requestHost: "example.com", requireHTTPS: true)   // false
/// let target = validator.safeRedirect(next, requestHost: host, requireHTTPS: isSecure) ?? "/"
/// ```
public struct RedirectValidator: Sendable, Hashable {
    /// Django's `MAX_URL_LENGTH`: longer URLs (in code points) are refused outright.
    ///
    /// ```swift
    /// RedirectValidator.urlHasAllowedHostAndScheme(String(repeating: "a", count: 3000), allowedHosts: [])   // false
    /// ```
    public static let maximumURLLength = 2048

    /// Hosts allowed besides the request's own (Django's `success_url_allowed_hosts`), compared exactly:
    /// `host`, `host:port` or `user:pass@host` as they appear in the URL.
    ///
    /// ```swift
    /// var validator = RedirectValidator()
    /// validator.allowedHosts.append("accounts.example.com")
    /// ```
    public var allowedHosts: [String]

    /// Creates a validator that allows the request's own host and `allowedHosts`.
    ///
    /// ```swift
    /// let validator = RedirectValidator(allowedHosts: ["shop.example.com"])
    /// ```
    public init(allowedHosts: [String] = []) {
        self.allowedHosts = allowedHosts
    }

    /// Whether `url` is a safe redirect target for a request to `requestHost` (the validated `Host`,
    /// with port when it has one), as Django's login and logout views decide; pass the request's
    /// `isSecure` as `requireHTTPS`, as they do.
    ///
    /// Stricter than Django: a URL with a tab or line break anywhere is refused. Django's rules allow
    /// `/\t//evil.example` (Python's `urlsplit` drops the tab and finds no host in `///evil.example`)
    /// because its redirect percent-encodes the tab into the `Location`; a `Location` sent as it is keeps
    /// the tab, which a browser drops, and `///evil.example` is `evil.example` to a browser.
    ///
    /// ```swift
    /// validator.isSafe("https://example.com/done", requestHost: "example.com", requireHTTPS: true)   // true
    /// validator.isSafe("http://example.com/done", requestHost: "example.com", requireHTTPS: true)    // false
    /// validator.isSafe("/\t//evil.example/", requestHost: "example.com", requireHTTPS: true)          // false
    /// ```
    public func isSafe(_ url: String?, requestHost: String?, requireHTTPS: Bool) -> Bool {
        if let url, url.unicodeScalars.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" }) { return false }
        var hosts = allowedHosts
        if let requestHost { hosts.append(requestHost) }
        return Self.urlHasAllowedHostAndScheme(url, allowedHosts: hosts, requireHTTPS: requireHTTPS)
    }

    /// `url` itself (unchanged, not stripped: what Django's views return) when it is safe, else `nil`.
    ///
    /// ```swift
    /// let target = validator.safeRedirect(form["next"], requestHost: host, requireHTTPS: isSecure) ?? "/accounts/profile/"
    /// ```
    public func safeRedirect(_ url: String?, requestHost: String?, requireHTTPS: Bool) -> String? {
        guard let url, isSafe(url, requestHost: requestHost, requireHTTPS: requireHTTPS) else { return nil }
        return url
    }

    /// Django's `url_has_allowed_host_and_scheme(url, allowed_hosts, require_https)` itself.
    ///
    /// `allowedHosts` are compared code point for code point (no case folding, no Unicode
    /// normalisation): `café` and `cafe\u{301}` are different hosts, as they are to Django.
    ///
    /// ```swift
    /// RedirectValidator.urlHasAllowedHostAndScheme("//testserver/", allowedHosts: ["testserver"])                      // true
    /// RedirectValidator.urlHasAllowedHostAndScheme("//testserver/", allowedHosts: ["testserver"], requireHTTPS: true)  // false
    /// RedirectValidator.urlHasAllowedHostAndScheme("javascript:alert(1)", allowedHosts: ["testserver"])                // false
    /// ```
    public static func urlHasAllowedHostAndScheme(_ url: String?, allowedHosts: [String], requireHTTPS: Bool = false) -> Bool {
        guard let url else { return false }
        let stripped = Array(PythonText.strip(url).unicodeScalars)
        if stripped.isEmpty { return false }
        let hosts = Set(allowedHosts.map { Array($0.utf8) })
        let backslashesAsSlashes = stripped.map { $0 == "\\" ? "/" : $0 }
        return check(stripped, hosts: hosts, requireHTTPS: requireHTTPS)
            && check(backslashesAsSlashes, hosts: hosts, requireHTTPS: requireHTTPS)
    }

    /// One pass of the check on an already stripped, non-empty URL.
    private static func check(_ url: [Unicode.Scalar], hosts: Set<[UInt8]>, requireHTTPS: Bool) -> Bool {
        if url.count > maximumURLLength { return false }
        if url.count >= 3, url[0] == "/", url[1] == "/", url[2] == "/" { return false }
        guard let parts = PythonURLSplit.split(url) else { return false }
        if parts.netloc.isEmpty, !parts.scheme.isEmpty { return false }
        guard let first = url.first, !PythonUnicode.isOtherCategory(first) else { return false }
        let scheme = parts.scheme.isEmpty && !parts.netloc.isEmpty ? "http" : parts.schemeString
        if !parts.netloc.isEmpty, !hosts.contains(Array(parts.netlocString.utf8)) { return false }
        if scheme.isEmpty { return true }
        return requireHTTPS ? scheme == "https" : (scheme == "http" || scheme == "https")
    }
}

/// Unicode facts as Python 3.13's `unicodedata` (Unicode 15.1) reports them.
enum PythonUnicode {
    /// The Unicode version of the oracle's `unicodedata.unidata_version`.
    static let unicodeVersion = (major: 15, minor: 1)

    /// `unicodedata.category(c)[0] == "C"`: control, format, surrogate, private use or unassigned.
    ///
    /// Swift's tables may be newer than Python's; a code point assigned after Unicode 15.1 is still
    /// unassigned (`Cn`) to Python, so it counts here too.
    static func isOtherCategory(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned:
            return true
        default:
            guard let age = properties.age else { return true }
            return age.major > unicodeVersion.major
                || (age.major == unicodeVersion.major && age.minor > unicodeVersion.minor)
        }
    }
}
