public import Hummingbird
import HTTPTypes

/// Refuses (400) a request without a `Host` header or with more than one: RFC 9112 section 3.2
/// requires exactly one, and a server that reads the first while a proxy in front read the last
/// would build links, redirects and CSRF origin checks on a host the client chose. A `Host` that is
/// not a host name and port (quotes, spaces, `<`) is refused too.
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

    static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"):
            true
        default: false
        }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The HTTP/1 codec moves the first `Host` into the authority; a second one stays a field.
        guard let authority = request.head.authority, !authority.isEmpty, request.headers[Self.host] == nil else {
            throw HTTPError(.badRequest, message: "A request needs exactly one Host header.")
        }
        // A host name, an IPv4 or bracketed IPv6 address, and a port: nothing that could break out
        // of a header, a link or an attribute it is copied into (X-Forwarded-Host, Forwarded).
        guard authority.utf8.allSatisfy(Self.isHostByte) else {
            throw HTTPError(.badRequest, message: "The Host header is not a host name.")
        }
        return try await next(request, context)
    }
}
