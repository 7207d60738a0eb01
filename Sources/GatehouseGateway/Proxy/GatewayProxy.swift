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
    /// How many connections to the application are kept open at most, shared out evenly (rounded
    /// up) between the event loops; further requests wait for one (within ``responseTimeout``).
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
    /// One client per event loop, each keeping its connections on that loop, so that a request
    /// body's writes can be paced by the loop that performs them (see ``UpstreamRequestBody``).
    let clients: [ObjectIdentifier: HTTPClient]
    let loops: any EventLoopGroup
    let logger: Logger

    /// Creates the proxy and its HTTP clients, one per event loop (which must be shut down with
    /// ``shutdown()``).
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
        let loops = HTTPClient.defaultEventLoopGroup
        let each = Array(loops.makeIterator())
        let perLoop = (configuration.maximumConnections + each.count - 1) / max(1, each.count)
        client.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: perLoop)
        self.loops = loops
        self.clients = Dictionary(
            uniqueKeysWithValues: each.map { (ObjectIdentifier($0), HTTPClient(eventLoopGroup: $0, configuration: client)) }
        )
    }

    /// Closes the clients' connections (all of them, then throws the first failure).
    public func shutdown() async throws {
        var failure: (any Error)?
        for client in clients.values {
            do { try await client.shutdown() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
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
        let loop = loops.next()
        guard let client = clients[ObjectIdentifier(loop)] else { return Self.page(.badGateway, "The application cannot be reached.") }
        if length != nil || request.headers[.transferEncoding] != nil {
            let body = UpstreamRequestBody(base: request.body, limit: configuration.maximumRequestBodySize, loop: loop)
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

/// A request body passed on as it arrives, refused past `limit` bytes, and paced by the event loop
/// that writes it to the application.
///
/// AsyncHTTPClient hands each part to the connection's event loop without waiting for it to be
/// written, and pauses the body only once the connection's write buffer is full. When the client
/// uploads faster than that loop gets round to writing (a fast application, many small chunks),
/// the handed-over parts pile up in the loop's task queue, each holding on to the read buffer it
/// was sliced from: a 500 MB chunked upload grew the process by 170 to 300 MB. So every
/// ``window`` bytes (or ``windowParts`` parts) the body submits an empty task to the loop, and
/// before the next window waits for the previous one: the loop runs its tasks in order, so once
/// that task has run, every part before it is in the channel, whose full buffer pauses the
/// stream. At most two windows (2 MB, or 128 parts) are queued at any time; a window a quarter
/// of this size cost up to 15% of a fast chunked upload's throughput, this one nothing measurable.
///
/// ```swift
/// let body = UpstreamRequestBody(base: request.body, limit: 100 * 1024 * 1024, loop: loop)
/// outbound.body = .stream(body, length: .unknown)
/// ```
struct UpstreamRequestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    /// Bytes handed over between two waits for the loop.
    static let window = 1024 * 1024
    /// Parts handed over between two waits for the loop (a small chunk keeps its whole read buffer,
    /// up to 64 kB, alive).
    static let windowParts = 64

    let base: RequestBody
    let limit: Int?
    let loop: any EventLoop

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int?
        let loop: any EventLoop
        var seen = 0
        var windowBytes = 0
        var windowParts = 0
        var previous: EventLoopFuture<Void>?

        mutating func next() async throws -> ByteBuffer? {
            if windowBytes >= UpstreamRequestBody.window || windowParts >= UpstreamRequestBody.windowParts {
                if let previous { try await previous.get() }
                previous = loop.submit {}
                windowBytes = 0
                windowParts = 0
            }
            guard let buffer = try await base.next() else { return nil }
            seen += buffer.readableBytes
            if let limit, seen > limit { throw BodyTooLarge() }
            windowBytes += buffer.readableBytes
            windowParts += 1
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit, loop: loop) }
}
