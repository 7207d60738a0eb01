public import AsyncHTTPClient
public import Gatehouse
public import GatehouseHummingbird
public import Hummingbird
import Foundation
import HTTPTypes
import HummingbirdAuth
public import Logging
public import NIOCore
import NIOHTTP1

/// How the reverse proxy reaches the application behind it.
///
/// ```swift
/// let configuration = try GatewayProxyConfiguration(upstream: "http://127.0.0.1:3000", responseTimeout: .seconds(10))
/// ```
public struct GatewayProxyConfiguration: Sendable {
    /// `http://host:port` of the application, without a path.
    public var upstream: String
    /// How long to wait for a connection to the application (then 502).
    public var connectTimeout: TimeAmount
    /// How long to wait for the application's response head, and between body reads (then 504).
    public var responseTimeout: TimeAmount
    /// The largest request body passed on (then 413); `nil` for no limit.
    public var maximumRequestBodySize: Int?
    /// The session cookie, which is never passed on.
    public var sessionCookieName: String
    /// How many connections to the application are kept open at most; further requests wait for
    /// one (within ``responseTimeout``).
    public var maximumConnections: Int

    /// Creates the configuration; throws for an upstream that is not `http://host[:port]`.
    public init(
        upstream: String,
        connectTimeout: TimeAmount = .seconds(5),
        responseTimeout: TimeAmount = .seconds(30),
        maximumRequestBodySize: Int? = 100 * 1024 * 1024,
        sessionCookieName: String = "sessionid",
        maximumConnections: Int = 64
    ) throws {
        var base = upstream
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://"), !base.dropFirst(8).contains("/") else {
            throw GatewayPolicyError.invalid("--upstream is http://host:port (no path), not \(upstream)", line: nil)
        }
        self.upstream = base
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.maximumRequestBodySize = maximumRequestBodySize
        self.sessionCookieName = sessionCookieName
        self.maximumConnections = max(1, maximumConnections)
    }
}

/// The reverse proxy: requests the policy allowed (``GatewayMiddleware`` runs first) go to the
/// application with their bodies streamed both ways. Hop-by-hop headers are dropped;
/// `X-Forwarded-For`, `-Proto` and `-Host` are set; identity headers sent by the client are
/// removed and the user's are added; the session cookie is never passed on. An application that
/// cannot be reached answers 502, one that is too slow 504.
///
/// ```swift
/// let proxy = GatewayProxy<GatehouseRequestContext>(configuration: configuration, groups: store)
/// proxy.add(to: router)
/// // later: try await proxy.shutdown()
/// ```
public struct GatewayProxy<Context: GatehouseRequestContextProtocol>: Sendable {
    /// Where requests go.
    public let configuration: GatewayProxyConfiguration
    /// Where users' groups are found, for `X-Gatehouse-Groups`.
    public let groups: any GroupStore
    let client: HTTPClient
    let logger: Logger

    /// Creates the proxy and its HTTP client (which must be shut down with ``shutdown()``).
    public init(configuration: GatewayProxyConfiguration, groups: any GroupStore, logger: Logger = Logger(label: "gatehouse.proxy")) {
        self.configuration = configuration
        self.groups = groups
        self.logger = logger
        var client = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: configuration.connectTimeout, read: configuration.responseTimeout),
            decompression: .disabled
        )
        client.httpVersion = .http1Only
        client.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maximumConnections
        )
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: client)
    }

    /// Closes the client's connections.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Sends every path and method not routed elsewhere to the application.
    public func add(to router: Router<Context>) {
        let proxy = self
        for method in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete, .options] {
            router.on("/", method: method) { request, context in try await proxy.forward(request, context: context) }
            router.on("**", method: method) { request, context in try await proxy.forward(request, context: context) }
        }
    }

    func forward(_ request: Request, context: Context) async throws -> Response {
        guard let path = PathPattern.normalize(request.uri.path) else { return Response(status: .badRequest) }
        let query = request.uri.query.map { "?\($0)" } ?? ""
        var outbound = HTTPClientRequest(url: configuration.upstream + path + query)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)

        let named = Set(
            request.headers[values: .connection].flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        )
        let identityNames = Set(IdentityHeaders.all.map { $0.canonicalName })
        var headers = HTTPHeaders()
        for field in request.headers {
            let name = field.name.canonicalName
            if ProxyHeaders.hopByHop.contains(name) || named.contains(name) || identityNames.contains(name) { continue }
            // `Expect: 100-continue` is answered (or not) between the client and Gatehouse; passed on,
            // the application's interim 100 would reach a client that never asked it.
            if name == "host" || name.hasPrefix("x-forwarded-") || name == "content-length" || name == "expect" { continue }
            if name == "cookie" {
                if let kept = Self.withoutCookie(configuration.sessionCookieName, field.value) { headers.add(name: "Cookie", value: kept) }
                continue
            }
            headers.add(name: field.name.rawName, value: field.value)
        }
        let host = request.head.authority ?? ""
        if !host.isEmpty { headers.replaceOrAdd(name: "X-Forwarded-Host", value: host) }
        headers.replaceOrAdd(name: "X-Forwarded-Proto", value: context.gatehouse.isSecure ? "https" : "http")
        if let address = context.gatehouse.remoteAddress {
            headers.replaceOrAdd(name: "X-Forwarded-For", value: address)
        }
        var identity = HTTPFields()
        if let user = context.identity, let id = user.userID {
            IdentityHeaders.apply(user: user, groups: try await groups.groups(ofUser: id).map(\.name), to: &identity)
        }
        for field in identity { headers.add(name: field.name.rawName, value: field.value) }
        outbound.headers = headers

        let length = request.headers[.contentLength].flatMap { Int($0) }
        if let limit = configuration.maximumRequestBodySize, let length, length > limit {
            return Response(status: .contentTooLarge)
        }
        if length != nil || request.headers[.transferEncoding] != nil {
            let body = LimitedBody(base: request.body, limit: configuration.maximumRequestBodySize)
            outbound.body = .stream(body, length: length.map { .known(Int64($0)) } ?? .unknown)
        }

        let response: HTTPClientResponse
        do {
            response = try await client.execute(outbound, timeout: configuration.responseTimeout)
        } catch let error as BodyTooLarge {
            _ = error
            return Response(status: .contentTooLarge)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            logger.warning("upstream too slow", metadata: ["path": .string(path)])
            return Self.page(.gatewayTimeout, "The application did not answer in time.")
        } catch {
            logger.warning("upstream unreachable", metadata: ["path": .string(path), "error_type": .string("\(type(of: error))")])
            return Self.page(.badGateway, "The application cannot be reached.")
        }
        var fields = HTTPFields()
        let responseNamed = Set(
            response.headers["connection"].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        )
        for (name, value) in response.headers {
            let lower = name.lowercased()
            if ProxyHeaders.hopByHop.contains(lower) || responseNamed.contains(lower) { continue }
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
            headers: fields,
            body: ResponseBody(asyncSequence: response.body)
        )
    }

    /// The `Cookie` header without the cookie `name`; `nil` when nothing is left.
    static func withoutCookie(_ name: String, _ header: String) -> String? {
        let kept = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix(name + "=") && $0 != name }
        return kept.isEmpty ? nil : kept.joined(separator: "; ")
    }

    static func page(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        let html = "<!doctype html><title>\(status.code) \(status.reasonPhrase)</title><h1>\(status.code) \(status.reasonPhrase)</h1><p>\(message)</p>"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

struct BodyTooLarge: Error {}

enum ProxyHeaders {
    /// RFC 9110 section 7.6.1's connection-specific headers, and the old `Proxy-Connection`.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade",
    ]
}

/// A request body passed on as it arrives, refused past `limit` bytes.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int?

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int?
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            seen += buffer.readableBytes
            if let limit, seen > limit { throw BodyTooLarge() }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit) }
}
