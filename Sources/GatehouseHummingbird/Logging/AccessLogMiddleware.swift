public import Hummingbird
public import Logging
import Gatehouse
import HummingbirdAuth
import Synchronization

/// One `info` line per request, once it is answered: method, path, status, duration, user id and
/// client address, as metadata (`gatehouse serve --log-format json` writes them as JSON fields).
/// It replaces Hummingbird's `LogRequestsMiddleware` (never install both).
///
/// The path is logged with anything that looks like a secret replaced by `[redacted]`: a path
/// segment or query value with a run of 20 or more letters and digits that has both (a password
/// reset token, a session key, a signed value, an API key; a UUID or a dated file name is kept), and the value of a
/// query parameter whose name says it is one (`token`, `key`, `code`, `password`, `secret`,
/// `signature`, `session`, `auth`, and names ending in them). Health and readiness probes are not
/// logged.
///
/// Install it first, so that it times the whole request and sees the answer of every later
/// middleware, errors included.
///
/// ```swift
/// router.add(middleware: AccessLogMiddleware<GatehouseRequestContext>())
/// ```
public struct AccessLogMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    /// Paths never logged (default: `/_gatehouse/health` and `/_gatehouse/ready`).
    public var quietPaths: Set<String>
    /// Prefixes of paths whose second segment after the prefix is always a secret, whatever it
    /// looks like (the password reset link `/accounts/reset/<uidb64>/<token>/`); `set-password` is kept.
    public var tokenPathPrefixes: [String]
    private let logger: Logger?

    /// Creates the middleware. Without `logger`, each line goes to the request's own logger.
    public init(
        logger: Logger? = nil, quietPaths: Set<String> = ["/_gatehouse/health", "/_gatehouse/ready"], tokenPathPrefixes: [String] = ["/accounts/reset/"]
    ) {
        self.logger = logger
        self.quietPaths = quietPaths
        self.tokenPathPrefixes = tokenPathPrefixes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let logger = self.logger ?? context.logger
        // Below `info` no line is written: nothing to collect either.
        if logger.logLevel > .info || quietPaths.contains(request.uri.path) { return try await next(request, context) }
        let started = ContinuousClock.now
        let facts = AccessLogFacts(address: context.gatehouse.remoteAddress)
        var context = context
        context.gatehouse.accessLog = facts
        do {
            let response = try await next(request, context)
            log(request, status: Int(response.status.code), started: started, facts: facts, logger: logger)
            return response
        } catch let error as any HTTPResponseError {
            log(request, status: Int(error.status.code), started: started, facts: facts, logger: logger)
            throw error
        } catch {
            log(request, status: 500, started: started, facts: facts, logger: logger)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, started: ContinuousClock.Instant, facts: AccessLogFacts, logger: Logger) {
        let elapsed = ContinuousClock.now - started
        // Tenths of a millisecond, written as `12.3` (integers: a Double's description costs more).
        let tenths = elapsed.components.seconds * 10_000 + (elapsed.components.attoseconds + 50_000_000_000_000) / 100_000_000_000_000
        let (userID, address) = facts.values
        let line = AccessLogLine(
            method: request.method.rawValue,
            path: AccessLogRedaction.redacted(path: request.uri.path, query: request.uri.query, tokenPathPrefixes: tokenPathPrefixes),
            status: status, tenthsOfMillisecond: tenths, userID: userID, client: address.map { String($0.prefix(64)) }
        )
        if let writer = logger.handler as? any AccessLineWriting {
            writer.writeAccessLine(line, source: AccessLogLine.source)
        } else {
            logger.info("request", metadata: line.metadata)
        }
    }
}

/// One request's access line as values: what ``AccessLogMiddleware`` logs as the metadata of an
/// `info` message `request`.
package struct AccessLogLine: Sendable {
    /// The `source` swift-log gives the line (this module).
    package static let source = "GatehouseHummingbird"

    package var method: String
    /// Redacted (``AccessLogRedaction``).
    package var path: String
    package var status: Int
    package var tenthsOfMillisecond: Int64
    package var userID: Int64?
    package var client: String?

    package init(method: String, path: String, status: Int, tenthsOfMillisecond: Int64, userID: Int64?, client: String?) {
        self.method = method
        self.path = path
        self.status = status
        self.tenthsOfMillisecond = tenthsOfMillisecond
        self.userID = userID
        self.client = client
    }

    /// The fields, sorted by name: `client`, `duration_ms`, `method`, `path`, `status`, `user_id`.
    package var fields: [(key: String, value: String)] {
        var fields: [(key: String, value: String)] = []
        fields.reserveCapacity(6)
        if let client { fields.append(("client", client)) }
        fields.append(("duration_ms", "\(tenthsOfMillisecond / 10).\(tenthsOfMillisecond % 10)"))
        fields.append(("method", method))
        fields.append(("path", path))
        fields.append(("status", String(status)))
        if let userID { fields.append(("user_id", String(userID))) }
        return fields
    }

    /// The fields as swift-log metadata, for a handler that is not ``AccessLineWriting``.
    package var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        for (key, value) in fields { metadata[key] = .string(value) }
        return metadata
    }
}

/// A log handler that writes ``AccessLogMiddleware``'s line from its values, as it would write the
/// `info` message `request` with the line's ``AccessLogLine/metadata``, without building a
/// metadata dictionary for each request (`gatehouse serve`'s text format).
package protocol AccessLineWriting: LogHandler {
    /// Writes the line; the caller has checked that the handler's level lets `info` through.
    func writeAccessLine(_ line: AccessLogLine, source: String)
}

/// What the access line learns from later middleware (the client address behind a trusted proxy,
/// the session's user): written by ``AccessLogFactsMiddleware``, read when the request is answered.
package final class AccessLogFacts: Sendable {
    private let state: Mutex<(userID: Int64?, address: String?)>

    init(address: String?) {
        state = Mutex((nil, address))
    }

    var values: (userID: Int64?, address: String?) { state.withLock { $0 } }

    func record(userID: Int64?, address: String?) {
        state.withLock { $0 = (userID, address ?? $0.address) }
    }
}

/// Copies the session's user and the client address into the request's ``AccessLogMiddleware``
/// line; install it after the session's user is known (``GatehouseRouterBuilder`` does).
package struct AccessLogFactsMiddleware<Context: GatehouseRequestContextProtocol>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.gatehouse.accessLog?.record(userID: context.identity?.id, address: context.gatehouse.remoteAddress)
        return try await next(request, context)
    }
}

/// What the access line leaves out of a path: see ``AccessLogMiddleware``.
package enum AccessLogRedaction {
    /// The path and query with token-like parts replaced by `[redacted]`, at most 1,024 characters.
    package static func redacted(path: String, query: String?, tokenPathPrefixes: [String] = []) -> String {
        // The common case, in one pass without copies: no query, no token-like segment, no token path.
        if query?.isEmpty ?? true, path.utf8.count <= 1_024, !hasTokenLikeSegment(path),
            !tokenPathPrefixes.contains(where: { path.hasPrefix($0) })
        {
            return path
        }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map { isTokenLike($0) ? "[redacted]" : String($0) }
        for prefix in tokenPathPrefixes where path.hasPrefix(prefix) {
            // The prefix's own segments, then `<first>/<secret>/...`.
            let index = prefix.split(separator: "/", omittingEmptySubsequences: false).count - 1 + 1
            if index < segments.count, !segments[index].isEmpty, segments[index] != "set-password" { segments[index] = "[redacted]" }
        }
        var text = segments.joined(separator: "/")
        if let query, !query.isEmpty {
            let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
                guard let equals = part.firstIndex(of: "=") else { return isTokenLike(part) ? "[redacted]" : String(part) }
                let name = part[..<equals]
                let value = part[part.index(after: equals)...]
                return isSecretName(name) || isTokenLike(value) ? "\(name)=[redacted]" : String(part)
            }
            text += "?" + parts.joined(separator: "&")
        }
        return text.count > 1_024 ? String(text.prefix(1_024)) + "…" : text
    }

    /// Whether a `/`-separated segment of `path` is token-like (``isTokenLike(_:)``).
    static func hasTokenLikeSegment(_ path: String) -> Bool {
        path.utf8.split(separator: UInt8(ascii: "/")).contains { isTokenLike(Substring($0)) }
    }

    /// Whether `text` has a run of 20 or more letters and digits with both in it: random-looking.
    static func isTokenLike(_ text: Substring) -> Bool {
        var run = 0
        var letters = false
        var digits = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits = true
                run += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                letters = true
                run += 1
            default:
                run = 0
                letters = false
                digits = false
            }
            if run >= 20, letters, digits { return true }
        }
        return false
    }

    static let secretNames = ["token", "key", "code", "password", "passwd", "secret", "signature", "sig", "session", "sessionid", "auth"]

    static func isSecretName(_ name: Substring) -> Bool {
        let lower = name.lowercased()
        return secretNames.contains { lower == $0 || lower.hasSuffix("_" + $0) || lower.hasSuffix("-" + $0) || lower.hasSuffix($0) && $0.count >= 5 }
    }
}
