/// Django's `CsrfViewMiddleware.process_view` as a pure function of what the HTTP layer extracted
/// from the request.
///
/// For an unsafe method (anything but GET, HEAD, OPTIONS and TRACE):
/// 1. With an `Origin` header, it must be the request's own origin (`http(s)://` + `Host`, exactly) or
///    a trusted origin (exact, or a `*` subdomain pattern with the same scheme), for HTTP and HTTPS.
/// 2. Without `Origin`, a secure request needs a `Referer` that parses, is `https`, and whose host is a
///    trusted origin's host, the cookie domain, or the request's `Host`.
/// 3. The cookie must hold a well-formed secret, and the token (the form field for POST; the header
///    when the field is absent or empty, and always for other methods) must be well-formed and match
///    it, compared in constant time.
///
/// Verdicts carry Django's reason strings.
///
/// ```swift
/// let checker = CSRFChecker(configuration: CSRFConfiguration(trustedOrigins: ["https://*.example.com"]))
/// let verdict = checker.check(
///     method: "POST", isSecure: true, host: "www.example.com",
///     origin: headers["Origin"], referer: headers["Referer"],
///     cookieSecret: cookies["csrftoken"], formToken: form["csrfmiddlewaretoken"],
///     headerToken: headers["X-CSRFToken"]
/// )
/// ```
public struct CSRFChecker: Sendable {
    /// The configuration the checker was made with.
    ///
    /// ```swift
    /// let field = checker.configuration.fieldName
    /// ```
    public let configuration: CSRFConfiguration

    /// Trusted origins without `*`, compared byte for byte.
    private let exactOrigins: Set<[UInt8]>
    /// For each scheme, the lowercased `.domain` patterns of its wildcard trusted origins.
    private let subdomainPatterns: [String: [[UInt8]]]
    /// The lowercased host patterns of every trusted origin (for the Referer check).
    private let trustedHostPatterns: [[UInt8]]
    /// Lowercased `allowedHosts`.
    private let allowedHostPatterns: [[UInt8]]
    private let allowsAnyHost: Bool

    /// Creates a checker; the trusted origins are parsed once here. An entry Python's `urlsplit` would
    /// refuse (such as `https://[bad`) trusts nothing; Django would fail every request instead.
    ///
    /// ```swift
    /// let checker = CSRFChecker(configuration: .default)
    /// ```
    public init(configuration: CSRFConfiguration = .default) {
        self.configuration = configuration
        var exact: Set<[UInt8]> = []
        var subdomains: [String: [[UInt8]]] = [:]
        var hosts: [[UInt8]] = []
        for origin in configuration.trustedOrigins {
            let hasWildcard = origin.unicodeScalars.contains("*")
            if !hasWildcard { exact.insert(Array(origin.utf8)) }
            guard let parts = PythonURLSplit.split(origin) else { continue }
            let pattern = Self.pattern(String(String.UnicodeScalarView(parts.netloc.drop { $0 == "*" })))
            hosts.append(pattern)
            if hasWildcard { subdomains[parts.schemeString, default: []].append(pattern) }
        }
        self.exactOrigins = exact
        self.subdomainPatterns = subdomains
        self.trustedHostPatterns = hosts
        self.allowedHostPatterns = configuration.allowedHosts.map(Self.pattern)
        self.allowsAnyHost = configuration.allowedHosts.contains("*")
    }

    /// Whether `method` needs no CSRF check: GET, HEAD, OPTIONS or TRACE (after upper-casing).
    ///
    /// ```swift
    /// CSRFChecker.isSafeMethod("get")   // true
    /// ```
    public static func isSafeMethod(_ method: String) -> Bool {
        switch method.uppercased() {
        case "GET", "HEAD", "OPTIONS", "TRACE": true
        default: false
        }
    }

    /// Decides a request as Django's middleware would.
    ///
    /// - Parameters:
    ///   - method: the HTTP method (upper-cased before comparing, as Django does).
    ///   - isSecure: whether the request came over HTTPS (Django's `request.is_secure()`); nil uses
    ///     ``CSRFConfiguration/isHTTPS``.
    ///   - host: the request's `Host` as sent, port included (`example.com:8443`); the caller should
    ///     already have validated it. Hosts that fail ``CSRFConfiguration/allowedHosts`` or Django's
    ///     host syntax never count as the request's own origin, as with Django's `DisallowedHost`.
    ///   - origin: the `Origin` header, nil when absent (`"null"` is a value, and is refused).
    ///   - referer: the `Referer` header, nil when absent.
    ///   - cookieSecret: the raw CSRF cookie value, nil when there is no such cookie.
    ///   - formToken: the `csrfmiddlewaretoken` field of a form-encoded or multipart body (the last one
    ///     when repeated, as Django's `QueryDict.get`); nil when absent or the body is not a form. Only
    ///     read for POST; nil or empty falls back to the header.
    ///   - headerToken: the token header (`X-CSRFToken`), nil when absent.
    ///   - serverPort: the port the server received the request on (Django's `SERVER_PORT`); only used
    ///     with a ``CSRFConfiguration/cookieDomain``. nil takes the port from `host`, else 443 or 80.
    ///   - requiresToken: `false` checks only where the request comes from (Origin, and Referer over
    ///     HTTPS), for requests to an application behind the gateway, which cannot know the token.
    ///
    /// ```swift
    /// let verdict = checker.check(method: "POST", isSecure: false, host: "localhost:8000",
    ///                             origin: "http://localhost:8000", referer: nil,
    ///                             cookieSecret: secret, formToken: nil, headerToken: token)
    /// verdict.isAccepted   // true when token matches secret
    /// ```
    public func check(
        method: String,
        isSecure: Bool? = nil,
        host: String,
        origin: String?,
        referer: String?,
        cookieSecret: String?,
        formToken: String?,
        headerToken: String?,
        serverPort: Int? = nil,
        requiresToken: Bool = true
    ) -> CSRFVerdict {
        let method = method.uppercased()
        if Self.isSafeMethod(method) { return .accept }
        let secure = isSecure ?? configuration.isHTTPS
        let ownHost = validatedHost(host)

        if let origin {
            if !originVerified(origin, ownHost: ownHost, secure: secure) {
                return .reject(.badOrigin(origin))
            }
        } else if secure {
            if let rejection = checkReferer(referer, host: host, ownHost: ownHost, serverPort: serverPort) {
                return .reject(rejection)
            }
        }
        if requiresToken, let rejection = checkToken(method: method, cookieSecret: cookieSecret, formToken: formToken, headerToken: headerToken) {
            return .reject(rejection)
        }
        return .accept
    }

    // MARK: - Origin and Referer

    private func originVerified(_ origin: String, ownHost: String?, secure: Bool) -> Bool {
        let originBytes = Array(origin.utf8)
        if let ownHost, originBytes == Array("\(secure ? "https" : "http")://\(ownHost)".utf8) { return true }
        if exactOrigins.contains(originBytes) { return true }
        guard let parts = PythonURLSplit.split(origin) else { return false }
        let netloc = Array(parts.netlocString.utf8)
        return (subdomainPatterns[parts.schemeString] ?? []).contains { Self.isSameDomain(netloc, $0) }
    }

    private func checkReferer(_ referer: String?, host: String, ownHost: String?, serverPort: Int?) -> CSRFRejection? {
        guard let referer else { return .noReferer }
        guard let parts = PythonURLSplit.split(referer), !parts.scheme.isEmpty, !parts.netloc.isEmpty else {
            return .malformedReferer
        }
        guard parts.schemeString == "https" else { return .insecureReferer }
        let netloc = Array(parts.netlocString.utf8)
        if trustedHostPatterns.contains(where: { Self.isSameDomain(netloc, $0) }) { return nil }
        let goodReferer: String
        if let cookieDomain = configuration.cookieDomain {
            // Only secure requests get here, so a missing port is 443.
            let port = serverPort.map(String.init) ?? Self.hostPort(host) ?? "443"
            goodReferer = port == "443" || port == "80" ? cookieDomain : "\(cookieDomain):\(port)"
        } else {
            guard let ownHost else { return .badReferer(parts.url) }
            goodReferer = ownHost
        }
        return Self.isSameDomain(netloc, Self.pattern(goodReferer)) ? nil : .badReferer(parts.url)
    }

    // MARK: - Cookie and token

    private func checkToken(method: String, cookieSecret: String?, formToken: String?, headerToken: String?) -> CSRFRejection? {
        guard let cookieSecret else { return .noCookie }
        do {
            try CSRFToken.validateFormat(cookieSecret)
        } catch {
            return .badCookie(error)
        }
        // A 64-character cookie is a secret masked by Django before 4.0.
        let secret = cookieSecret.utf8.count == CSRFToken.tokenLength ? (try? CSRFToken.unmask(cookieSecret)) : cookieSecret
        guard let secret else { return .badCookie(.invalidCharacters) }

        var token = ""
        var source = CSRFTokenSource.form
        if method == "POST" { token = formToken ?? "" }
        if token.isEmpty {
            guard let headerToken else { return .tokenMissing }
            token = headerToken
            source = .header(configuration.headerName)
        }
        do {
            try CSRFToken.validateFormat(token)
        } catch {
            return .badToken(error, source: source)
        }
        return CSRFToken.tokensMatch(given: token, secret: secret) ? nil : .badToken(nil, source: source)
    }

    // MARK: - Hosts

    /// `request.get_host()`: `host` when it has Django's host syntax and its domain matches
    /// `allowedHosts`, else nil (Django's `DisallowedHost`).
    private func validatedHost(_ host: String) -> String? {
        guard let (domain, _) = Self.splitDomainPort(host), !domain.isEmpty else { return nil }
        if allowsAnyHost { return host }
        let domainBytes = Array(domain.utf8)
        return allowedHostPatterns.contains { Self.isSameDomain(domainBytes, $0) } ? host : nil
    }

    /// The port of `host` per Django's `split_domain_port`, nil when it has none or is malformed.
    private static func hostPort(_ host: String) -> String? {
        guard let (_, port) = splitDomainPort(host), !port.isEmpty else { return nil }
        return port
    }

    /// Django's `split_domain_port`: lower-cases `host` (Python's `str.lower()`), requires
    /// `name[:port]` with `name` of `[a-z0-9.-]` or `[<hex>:<hex, dots, colons>]`, and drops one
    /// trailing dot from the name. nil when the host is malformed.
    static func splitDomainPort(_ host: String) -> (domain: String, port: String)? {
        let lowered = Array(PythonText.lower(host).unicodeScalars)
        var index = 0
        if lowered.first == "[" {
            guard let close = lowered.firstIndex(of: "]") else { return nil }
            let inside = lowered[1..<close]
            guard let colon = inside.firstIndex(of: ":"),
                inside[..<colon].allSatisfy(isLowerHex),
                colon + 1 < close,
                inside[(colon + 1)...].allSatisfy({ isLowerHex($0) || $0 == "." || $0 == ":" })
            else { return nil }
            index = close + 1
        } else {
            while index < lowered.count, isNameCharacter(lowered[index]) { index += 1 }
            if index == 0 { return nil }
        }
        var domain = Array(lowered[..<index])
        var port: [Unicode.Scalar] = []
        if index < lowered.count {
            guard lowered[index] == ":", index + 1 < lowered.count else { return nil }
            port = Array(lowered[(index + 1)...])
            guard port.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        }
        if domain.last == "." { domain.removeLast() }
        return (String(String.UnicodeScalarView(domain)), String(String.UnicodeScalarView(port)))
    }

    private static func isLowerHex(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar)
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
    }

    /// A pattern for ``isSameDomain(_:_:)``: Python's `str.lower()`, as UTF-8.
    private static func pattern(_ text: String) -> [UInt8] {
        Array(PythonText.lower(text).utf8)
    }

    /// Django's `is_same_domain(host, pattern)` with `pattern` already lower-cased: `.example.com`
    /// matches `example.com` and its subdomains, anything else must be equal; an empty pattern matches
    /// nothing. `host` is not lower-cased (nor is it by Django). Code point comparison (UTF-8 bytes).
    private static func isSameDomain(_ host: [UInt8], _ pattern: [UInt8]) -> Bool {
        guard let first = pattern.first else { return false }
        if first == UInt8(ascii: "."), host.count >= pattern.count, host.suffix(pattern.count).elementsEqual(pattern) {
            return true
        }
        if first == UInt8(ascii: "."), host.elementsEqual(pattern.dropFirst()) { return true }
        return host == pattern
    }
}
