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
    /// Built once: a field made from a string checks and copies its value each time.
    private let fields: [HTTPField]

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
        self.fields = fields.map { HTTPField(name: $0.0, value: $0.1) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        // One pass over the response's fields: the proxy's marker, and which of ours a route set.
        var present: UInt64 = 0
        for field in response.headers {
            if field.name == SecurityHeaders.upstreamMarker {
                response.headers[SecurityHeaders.upstreamMarker] = nil
                return response
            }
            if let index = fields.firstIndex(where: { $0.name == field.name }) { present |= 1 << index }
        }
        for (index, field) in fields.enumerated() where present & (1 << index) == 0 {
            response.headers.append(field)
        }
        return response
    }
}
