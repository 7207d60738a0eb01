public import Hummingbird
import HTTPTypes

/// Names shared by the security headers middleware and the reverse proxy.
package enum SecurityHeaders {
    /// Set by the gateway's reverse proxy on the application's responses, which keep their own
    /// headers; ``SecurityHeadersMiddleware`` removes it and adds nothing to them.
    package static let upstreamMarker = HTTPField.Name("X-Gatehouse-Upstream-Response")!
}

/// Adds the headers of ``SecurityHeadersConfiguration`` to every response Gatehouse makes,
/// including errors thrown as `HTTPResponseError` (access denied, 400s), and leaves the responses
/// of an application behind the gateway as they are. Headers a route set itself are kept.
///
/// ```swift
/// router.add(middleware: SecurityHeadersMiddleware(configuration: SecurityHeadersConfiguration()))
/// ```
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The headers.
    public let configuration: SecurityHeadersConfiguration
    private let fields: [(HTTPField.Name, String)]

    /// Creates the middleware.
    public init(configuration: SecurityHeadersConfiguration = SecurityHeadersConfiguration()) {
        self.configuration = configuration
        var fields: [(HTTPField.Name, String)] = []
        if let value = configuration.frameOptions { fields.append((HTTPField.Name("X-Frame-Options")!, value)) }
        if let value = configuration.contentSecurityPolicy { fields.append((.contentSecurityPolicy, value)) }
        if configuration.contentTypeNoSniff { fields.append((HTTPField.Name("X-Content-Type-Options")!, "nosniff")) }
        if let value = configuration.referrerPolicy { fields.append((HTTPField.Name("Referrer-Policy")!, value)) }
        if let value = configuration.crossOriginOpenerPolicy { fields.append((HTTPField.Name("Cross-Origin-Opener-Policy")!, value)) }
        if let seconds = configuration.strictTransportSecuritySeconds {
            let value = "max-age=\(seconds)" + (configuration.strictTransportSecurityIncludesSubdomains ? "; includeSubDomains" : "")
            fields.append((.strictTransportSecurity, value))
        }
        self.fields = fields
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        if response.headers[SecurityHeaders.upstreamMarker] != nil {
            response.headers[SecurityHeaders.upstreamMarker] = nil
            return response
        }
        for (name, value) in fields where response.headers[name] == nil {
            response.headers[name] = value
        }
        return response
    }
}
