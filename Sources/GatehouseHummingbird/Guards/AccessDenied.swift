public import Gatehouse
import Foundation
public import Hummingbird
import NIOCore

/// How denied requests are answered.
///
/// ```swift
/// var policy = AccessDeniedPolicy()
/// policy.raiseException = true   // 403 for anonymous requests too, never a redirect
/// ```
public struct AccessDeniedPolicy: Sendable {
    /// The login page anonymous browsers are sent to.
    public var loginPath: String
    /// The query parameter that carries the page to come back to.
    public var redirectFieldName: String
    /// Django's `raise_exception`: answer anonymous requests with 403 instead of a redirect or 401.
    public var raiseException: Bool
    /// The realm named in `WWW-Authenticate` on 401 answers.
    public var realm: String
    /// Where the 403 page comes from (`gatehouse/403`).
    public var templates: GatehouseTemplates

    /// Creates the policy with Django's defaults.
    public init(
        loginPath: String = "/accounts/login/",
        redirectFieldName: String = "next",
        raiseException: Bool = false,
        realm: String = "Gatehouse",
        templates: GatehouseTemplates = GatehouseTemplates()
    ) {
        self.loginPath = loginPath
        self.redirectFieldName = redirectFieldName
        self.raiseException = raiseException
        self.realm = realm
        self.templates = templates
    }

    /// The login page's address with `next` (a path and query) to come back to.
    ///
    /// ```swift
    /// AccessDeniedPolicy().loginURL(next: "/reports/?year=2024")   // "/accounts/login/?next=/reports/%3Fyear%3D2024"
    /// ```
    public func loginURL(next: String) -> String {
        LoginRedirect.url(loginPath: loginPath, next: next, field: redirectFieldName)
    }

    /// The defaults, made once: every request's state starts with them, and a new policy would make
    /// a new templates memo for each request.
    package static let standard = AccessDeniedPolicy()

    /// The `WWW-Authenticate` value of a 401: the realm and where to log in.
    ///
    /// ```swift
    /// AccessDeniedPolicy().wwwAuthenticate   // Session realm="Gatehouse", login="/accounts/login/"
    /// ```
    public var wwwAuthenticate: String { "Session realm=\"\(realm)\", login=\"\(loginPath)\"" }
}

/// A request that may not proceed, answered the way its client expects:
///
/// - anonymous browser: 302 to the login page with `next` set to the requested path and query;
/// - anonymous API client (an `Authorization` header, or `Accept` preferring JSON): 401 with a JSON
///   body and `WWW-Authenticate`;
/// - logged-in user without the permission: 403, an HTML page (template `gatehouse/403`) or JSON;
/// - with ``AccessDeniedPolicy/raiseException``: 403 for anonymous requests too.
///
/// Never a redirect loop: a request for the login page itself, or from a logged-in user, is never
/// sent to log in.
///
/// ```swift
/// guard context.identity != nil else { throw AccessDenied.loginRequired(context.gatehouse.accessPolicy) }
/// ```
public struct AccessDenied: HTTPResponseError {
    private enum Kind {
        case loginRequired
        case forbidden(String)
    }

    private let kind: Kind
    /// How the response is made.
    public let policy: AccessDeniedPolicy

    private init(kind: Kind, policy: AccessDeniedPolicy) {
        self.kind = kind
        self.policy = policy
    }

    /// The request needs a logged-in user.
    public static func loginRequired(_ policy: AccessDeniedPolicy) -> AccessDenied {
        AccessDenied(kind: .loginRequired, policy: policy)
    }

    /// The response for a decision that is not ``Gatehouse/AccessOutcome/allow``: the one
    /// responder every access decision goes through (guards, the gateway's policy); `nil` for allow.
    ///
    /// ```swift
    /// if let denied = AccessDenied(outcome, policy: context.gatehouse.accessPolicy) { throw denied }
    /// ```
    public init?(_ outcome: AccessOutcome, policy: AccessDeniedPolicy) {
        switch outcome {
        case .allow: return nil
        case .loginRequired: self = .loginRequired(policy)
        case .forbidden: self = .forbidden(policy)
        }
    }

    /// The logged-in user may not do this; `message` is shown on the 403 page.
    public static func forbidden(_ policy: AccessDeniedPolicy, message: String = "You do not have permission to view this page.") -> AccessDenied {
        AccessDenied(kind: .forbidden(message), policy: policy)
    }

    /// 401 for a login requirement, 403 otherwise (the browser redirect is decided per request).
    public var status: HTTPResponse.Status {
        switch kind {
        case .loginRequired: policy.raiseException ? .forbidden : .unauthorized
        case .forbidden: .forbidden
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let api = Self.isAPIRequest(request)
        switch kind {
        case .loginRequired where !policy.raiseException:
            if api {
                var response = Self.json(status: .unauthorized, error: "authentication_required", message: "Log in to use this resource.")
                response.headers[.wwwAuthenticate] = policy.wwwAuthenticate
                return response
            }
            if request.uri.path == policy.loginPath {
                return forbiddenResponse(request, message: "You do not have permission to view this page.", api: false)
            }
            let next = request.uri.description
            return .redirect(to: policy.loginURL(next: next), type: .found)
        case .loginRequired:
            return forbiddenResponse(request, message: "You do not have permission to view this page.", api: api)
        case .forbidden(let message):
            return forbiddenResponse(request, message: message, api: api)
        }
    }

    func forbiddenResponse(_ request: Request, message: String, api: Bool) -> Response {
        if api { return Self.json(status: .forbidden, error: "permission_denied", message: message) }
        let page = policy.templates.renderRemembered("gatehouse/403", ["title": "Forbidden", "message": message, "loginPath": policy.loginPath])
            ?? ByteBuffer(string: message)
        return HTMLPage.response(page, status: .forbidden)
    }

    /// The answer to a request for no page: HTML with a way back, or JSON for API clients.
    static func notFoundResponse(_ request: Request, policy: AccessDeniedPolicy) -> Response {
        let message = "There is no page at this address."
        if isAPIRequest(request) { return json(status: .notFound, error: "not_found", message: message) }
        let page = policy.templates.renderRemembered("gatehouse/404", ["title": "Not Found", "message": message, "loginPath": policy.loginPath])
            ?? ByteBuffer(string: message)
        return HTMLPage.response(page, status: .notFound)
    }

    static func json(status: HTTPResponse.Status, error: String, message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let body = #"{"error":"\#(error)","message":"\#(message)"}"#
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// An API client: it sent `Authorization`, or its `Accept` ranks JSON above HTML.
    public static func isAPIRequest(_ request: Request) -> Bool {
        if request.headers[.authorization] != nil { return true }
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        var json: Double = 0
        var html: Double = 0
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = parts.first else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            if type == "application/json" || type.hasSuffix("+json") { json = max(json, quality) }
            if type == "text/html" || type == "application/xhtml+xml" { html = max(html, quality) }
        }
        return json > 0 && json > html
    }
}
