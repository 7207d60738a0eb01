/// The outcome of ``CSRFChecker/check(method:isSecure:host:origin:referer:cookieSecret:formToken:headerToken:serverPort:)``.
///
/// ```swift
/// switch checker.check(method: "POST", host: host, origin: origin, referer: referer,
///                      cookieSecret: cookie, formToken: field, headerToken: header) {
/// case .accept: print("go on with the request")
/// case .reject(let rejection): print("403 Forbidden:", rejection.reason)
/// }
/// ```
public enum CSRFVerdict: Sendable, Hashable {
    /// The request may proceed.
    case accept
    /// The request must be refused (Django answers 403 through `CSRF_FAILURE_VIEW`).
    case reject(CSRFRejection)

    /// Whether the verdict is ``accept``.
    ///
    /// ```swift
    /// if verdict.isAccepted { ... }
    /// ```
    public var isAccepted: Bool {
        if case .accept = self { return true }
        return false
    }

    /// Django's reason string for a rejection, `nil` for ``accept``.
    ///
    /// ```swift
    /// logger.warning("Forbidden (\(verdict.reason ?? "")): \(path)")
    /// ```
    public var reason: String? {
        if case .reject(let rejection) = self { return rejection.reason }
        return nil
    }
}

/// Why Django's CSRF middleware would refuse a request; ``reason`` is Django's exact text (what
/// Django logs as `Forbidden (<reason>): <path>` and passes to the failure view).
///
/// ```swift
/// if case .reject(let rejection) = verdict, rejection == .noCookie { ... }
/// print(CSRFRejection.badOrigin("https://evil.example").reason)
/// // Origin checking failed - https://evil.example does not match any trusted origins.
/// ```
public struct CSRFRejection: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case badOrigin(String)
        case noReferer
        case malformedReferer
        case insecureReferer
        case badReferer(String)
        case noCookie
        case badCookie(CSRFTokenFormatError)
        case tokenMissing
        case badToken(CSRFTokenFormatError?, source: CSRFTokenSource)
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// `Origin` is present but neither the request's own origin nor a trusted one.
    ///
    /// ```swift
    /// CSRFRejection.badOrigin("null").reason
    /// // Origin checking failed - null does not match any trusted origins.
    /// ```
    public static func badOrigin(_ origin: String) -> CSRFRejection { CSRFRejection(.badOrigin(origin)) }

    /// A secure request without `Origin` has no `Referer` either.
    ///
    /// ```swift
    /// if rejection == .noReferer { ... }
    /// ```
    public static let noReferer = CSRFRejection(.noReferer)

    /// The `Referer` has no scheme or no host, or does not parse.
    ///
    /// ```swift
    /// if rejection == .malformedReferer { ... }
    /// ```
    public static let malformedReferer = CSRFRejection(.malformedReferer)

    /// The `Referer` of a secure request is not `https`.
    ///
    /// ```swift
    /// if rejection == .insecureReferer { ... }
    /// ```
    public static let insecureReferer = CSRFRejection(.insecureReferer)

    /// The `Referer` host is neither trusted nor the site's; `referer` is the URL as Django re-formats
    /// it (Python's `urlsplit(...).geturl()`).
    ///
    /// ```swift
    /// CSRFRejection.badReferer("https://evil.example/").reason
    /// // Referer checking failed - https://evil.example/ does not match any trusted origins.
    /// ```
    public static func badReferer(_ referer: String) -> CSRFRejection { CSRFRejection(.badReferer(referer)) }

    /// There is no CSRF cookie.
    ///
    /// ```swift
    /// if rejection == .noCookie { ... }
    /// ```
    public static let noCookie = CSRFRejection(.noCookie)

    /// The CSRF cookie is malformed.
    ///
    /// ```swift
    /// CSRFRejection.badCookie(.incorrectLength).reason   // CSRF cookie has incorrect length.
    /// ```
    public static func badCookie(_ problem: CSRFTokenFormatError) -> CSRFRejection { CSRFRejection(.badCookie(problem)) }

    /// Neither the form field nor the header carries a token.
    ///
    /// ```swift
    /// if rejection == .tokenMissing { ... }
    /// ```
    public static let tokenMissing = CSRFRejection(.tokenMissing)

    /// The token from `source` is malformed (`problem`) or does not match the cookie (`problem` nil).
    ///
    /// ```swift
    /// CSRFRejection.badToken(nil, source: .form).reason   // CSRF token from POST incorrect.
    /// ```
    public static func badToken(_ problem: CSRFTokenFormatError?, source: CSRFTokenSource) -> CSRFRejection {
        CSRFRejection(.badToken(problem, source: source))
    }

    /// Whether the `Origin` or `Referer` check failed (rather than the cookie or token).
    ///
    /// ```swift
    /// if rejection.isOriginOrRefererFailure { metrics.increment("csrf.origin") }
    /// ```
    public var isOriginOrRefererFailure: Bool {
        switch base {
        case .badOrigin, .noReferer, .malformedReferer, .insecureReferer, .badReferer: true
        case .noCookie, .badCookie, .tokenMissing, .badToken: false
        }
    }

    /// Django's reason string, word for word.
    ///
    /// ```swift
    /// CSRFRejection.noCookie.reason   // CSRF cookie not set.
    /// ```
    public var reason: String {
        switch base {
        case .badOrigin(let origin): "Origin checking failed - \(origin) does not match any trusted origins."
        case .noReferer: "Referer checking failed - no Referer."
        case .malformedReferer: "Referer checking failed - Referer is malformed."
        case .insecureReferer: "Referer checking failed - Referer is insecure while host is secure."
        case .badReferer(let referer): "Referer checking failed - \(referer) does not match any trusted origins."
        case .noCookie: "CSRF cookie not set."
        case .badCookie(let problem): "CSRF cookie \(problem)."
        case .tokenMissing: "CSRF token missing."
        case .badToken(let problem, let source): "CSRF token from \(source.reasonText) \(problem?.description ?? "incorrect")."
        }
    }

    /// The reason.
    public var description: String { reason }
}

/// Where the request's token came from, as named in rejection reasons.
///
/// ```swift
/// CSRFTokenSource.header("X-CSRFToken").reasonText   // the 'X-Csrftoken' HTTP header
/// ```
public enum CSRFTokenSource: Sendable, Hashable {
    /// The `csrfmiddlewaretoken` form field of a POST ("POST" in Django's reasons).
    case form
    /// A request header, by its HTTP name (such as `X-CSRFToken`).
    case header(String)

    /// The words Django uses: `POST`, or `the 'X-Csrftoken' HTTP header` (the name as Django spells it
    /// after round-tripping through WSGI: upper-cased, `_` for `-`, then Python's `str.title()`).
    ///
    /// ```swift
    /// CSRFTokenSource.form.reasonText                  // POST
    /// CSRFTokenSource.header("X-XSRF-TOKEN").reasonText   // the 'X-Xsrf-Token' HTTP header
    /// ```
    public var reasonText: String {
        switch self {
        case .form: "POST"
        case .header(let name): "the \(CSRFConfiguration.pythonRepr(CSRFConfiguration.djangoHeaderName(name))) HTTP header"
        }
    }
}
