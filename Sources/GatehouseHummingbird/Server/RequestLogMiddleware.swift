public import Hummingbird
public import Logging

/// Logs every request as Hummingbird's `LogRequestsMiddleware` does (message `Request`, metadata
/// `hb.request.method` and `hb.request.path`), except that the token of a password reset link is
/// replaced by `<token>`: a link in a log would let its readers set the user's password.
///
/// ```swift
/// router.add(middleware: RequestLogMiddleware(.info, passwordResetPath: "/accounts/reset/"))
/// ```
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level
    let passwordResetPath: String

    /// Creates the middleware; links are `<passwordResetPath><uidb64>/<token>/`.
    public init(_ level: Logger.Level, passwordResetPath: String) {
        self.level = level
        self.passwordResetPath = passwordResetPath
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.logger.log(
            level: level, "Request",
            metadata: ["hb.request.path": .string(Self.redacted(request.uri.description, resetPath: passwordResetPath)), "hb.request.method": .string(request.method.rawValue)]
        )
        return try await next(request, context)
    }

    /// `uri` with the segment after `<resetPath><uidb64>/` replaced by `<token>` (unless it is
    /// `set-password`, the address without a token).
    static func redacted(_ uri: String, resetPath: String) -> String {
        guard uri.hasPrefix(resetPath) else { return uri }
        let rest = uri.dropFirst(resetPath.count)
        let end = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        var segments = rest[..<end].split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 2, segments[1] != "set-password", !segments[1].isEmpty else { return uri }
        segments[1] = "<token>"
        return resetPath + segments.joined(separator: "/") + rest[end...]
    }
}
