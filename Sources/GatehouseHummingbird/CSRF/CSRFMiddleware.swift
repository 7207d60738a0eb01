public import Gatehouse
import Foundation
public import Hummingbird
import HTTPTypes
import Logging

/// Django-compatible CSRF protection: every unsafe request (POST, PUT, PATCH, DELETE) must carry a
/// token matching the `csrftoken` cookie, in the `csrfmiddlewaretoken` form field or the
/// `X-CSRFToken` header, and pass the Origin (and, over HTTPS, Referer) checks.
///
/// A failure gets a 403 page that says why, as Django's. Handlers get the request's
/// ``CSRFState`` on `context.gatehouse.csrf` to put tokens in forms.
///
/// ```swift
/// router.add(middleware: CSRFMiddleware(configuration: CSRFConfiguration(trustedOrigins: ["https://app.example.com"])))
/// ```
public struct CSRFMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// The checks and cookie settings.
    public let checker: CSRFChecker
    /// The largest form body read to find the token (larger ones are refused with 413).
    public let maximumFormBytes: Int
    /// Paths exempt from the check (Django's `csrf_exempt`), matched exactly.
    public let exemptPaths: Set<String>
    /// Paths whose unsafe requests are checked for where they come from (Origin, and Referer over
    /// HTTPS) but need no token, and whose bodies are never read here: the paths of an application
    /// behind the gateway, whose forms cannot carry Gatehouse's token.
    public let originCheckOnly: @Sendable (_ path: String) -> Bool

    /// Creates the middleware.
    public init(
        configuration: CSRFConfiguration = .default,
        maximumFormBytes: Int = 2_621_440,
        exemptPaths: Set<String> = [],
        originCheckOnly: @escaping @Sendable (_ path: String) -> Bool = { _ in false }
    ) {
        self.checker = CSRFChecker(configuration: configuration)
        self.maximumFormBytes = maximumFormBytes
        self.exemptPaths = exemptPaths
        self.originCheckOnly = originCheckOnly
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        var request = request
        let configuration = checker.configuration
        let rawCookie = request.cookieValue(configuration.cookieName)
        let cookieSecret = CSRFToken.secret(fromCookie: rawCookie)
        let state = CSRFState(secret: cookieSecret)
        context.gatehouse.csrf = state

        if !CSRFChecker.isSafeMethod(request.method.rawValue), !exemptPaths.contains(request.uri.path) {
            var formToken: String?
            let requiresToken = !originCheckOnly(request.uri.path)
            // As Django: the form field is read for POST only; other methods use the header.
            if requiresToken, request.method == .post, Self.isForm(request) {
                let body = try await request.body.collect(upTo: maximumFormBytes)
                request.body = .init(buffer: body)
                formToken = FormFields.parse(body).last(configuration.fieldName)
            }
            let verdict = checker.check(
                method: request.method.rawValue,
                isSecure: context.gatehouse.isSecure,
                host: request.head.authority ?? "",
                origin: request.headers[.origin],
                referer: request.headers[.referer],
                cookieSecret: rawCookie,
                formToken: formToken,
                headerToken: HTTPField.Name(configuration.headerName).flatMap { request.headers[$0] },
                requiresToken: requiresToken
            )
            if let reason = verdict.reason {
                context.logger.warning("CSRF check failed", metadata: ["reason": .string(reason), "path": .string(request.uri.path)])
                throw CSRFFailure(reason: reason)
            }
        }

        var response = try await next(request, context)
        if state.needsCookie {
            response.setCookie(cookie(secret: state.secret, secure: context.gatehouse.isSecure))
            GatehouseSessionMiddleware<Context>.addVaryCookie(to: &response.headers)
        }
        return response
    }

    func cookie(secret: String, secure: Bool) -> Cookie {
        let configuration = checker.configuration
        return ResponseCookie.make(
            name: configuration.cookieName,
            value: secret,
            expires: configuration.cookieAge.map { Date().addingTimeInterval(TimeInterval($0)) },
            maxAge: configuration.cookieAge,
            domain: configuration.cookieDomain,
            path: configuration.cookiePath,
            secure: configuration.cookieSecure || secure,
            httpOnly: configuration.cookieHTTPOnly,
            sameSite: configuration.cookieSameSite
        )
    }

    static func isForm(_ request: Request) -> Bool {
        guard let type = request.headers[.contentType]?.lowercased() else { return false }
        return type.hasPrefix("application/x-www-form-urlencoded")
    }
}

/// A request refused by the CSRF check: 403 with Django's explanation. ``CSRFMiddleware`` throws it.
///
/// ```swift
/// if let failure = error as? CSRFFailure { logger.info("refused: \(failure.reason)") }
/// ```
public struct CSRFFailure: HTTPResponseError {
    /// Django's reason string.
    public let reason: String

    /// 403 Forbidden.
    public var status: HTTPResponse.Status { .forbidden }

    /// A short HTML page (or plain text for non-browser clients) naming the reason.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let escaped = HTMLEscaping.escape(reason)
        let page = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>403 Forbidden</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}
            h1{font-size:1.4rem}code{background:#f3f3f3;padding:.1rem .3rem}</style></head><body>
            <h1>Forbidden (403)</h1><p>CSRF verification failed. Request aborted.</p>
            <p>Reason given for the failure: <code>\(escaped)</code></p>
            <p>Reload the page that sent this request and try again; if it keeps happening, check that
            your browser accepts cookies from this site.</p></body></html>
            """
        return HTMLPage.response(ByteBuffer(string: page), status: .forbidden)
    }
}
