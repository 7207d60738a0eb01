public import Hummingbird
import HTTPTypes

/// Refuses (400) a request without a `Host` header or with more than one: RFC 9112 section 3.2
/// requires exactly one, and a server that reads the first while a proxy in front read the last
/// would build links, redirects and CSRF origin checks on a host the client chose.
///
/// ```swift
/// router.add(middleware: SingleHostMiddleware())
/// ```
public struct SingleHostMiddleware<Context: RequestContext>: RouterMiddleware {
    /// A `Host` field left among the headers: the second one (`HTTPField.Name.host` is unavailable,
    /// since HTTPTypes keeps the first as the authority).
    static var host: HTTPField.Name { HTTPField.Name("Host")! }

    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The HTTP/1 codec moves the first `Host` into the authority; a second one stays a field.
        guard let authority = request.head.authority, !authority.isEmpty, request.headers[Self.host] == nil else {
            throw HTTPError(.badRequest, message: "A request needs exactly one Host header.")
        }
        return try await next(request, context)
    }
}
