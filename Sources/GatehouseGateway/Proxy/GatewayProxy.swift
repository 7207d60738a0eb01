import AsyncHTTPClient
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
    /// The session cookie, which is never passed on, and which the application may not set.
    public var sessionCookieName: String
    /// The CSRF cookie, which is never passed on, and which the application may not set.
    public var csrfCookieName: String
    /// The names of the identity headers (every spelling of them sent by a client is dropped).
    public var identityHeaders: IdentityHeaderNames
    /// How many connections to the application are kept open at most, shared out evenly (rounded
    /// up) between the event loops; further requests wait for one (within ``responseTimeout``,
    /// then 503).
    public var maximumConnections: Int
    /// The most connections one client address may hold at once (three quarters of
    /// ``maximumConnections`` unless set): a client cannot take the application from the others,
    /// and its requests stuck on one slow path leave it room for others.
    public var maximumConnectionsPerClient: Int?
    /// The most connections requests for one path may hold at once (half of
    /// ``maximumConnections`` unless set): one slow route cannot fail the others.
    public var maximumConnectionsPerPath: Int?
    /// The limits on WebSockets passed through (docs/gateway.md, "WebSockets").
    public var webSockets = GatewayWebSocketConfiguration()

    /// Creates the configuration; throws for an upstream that is not `http://host[:port]`.
    public init(
        upstream: String,
        connectTimeout: TimeAmount = .seconds(5),
        responseTimeout: TimeAmount = .seconds(30),
        maximumRequestBodySize: Int? = 100 * 1024 * 1024,
        sessionCookieName: String = "sessionid",
        csrfCookieName: String = "csrftoken",
        identityHeaders: IdentityHeaderNames = IdentityHeaderNames(),
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
        self.csrfCookieName = csrfCookieName
        self.identityHeaders = identityHeaders
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
/// proxy.add(to: router, login: builder.login)
/// // later: try await proxy.shutdown()
/// ```
public struct GatewayProxy<Context: GatehouseRequestContextProtocol>: Sendable {
    /// Where requests go.
    public let configuration: GatewayProxyConfiguration
    /// Where users' groups are found, for `X-Gatehouse-Groups`.
    public let groups: any GroupStore
    /// One client per event loop, each keeping its connections on that loop, so that a request
    /// body's writes can be paced by the loop that performs them (see ``UpstreamRequestBody``).
    let clients: [HTTPClient]
    let loops: [any EventLoop]
    /// The connections, handed out fairly.
    let slots: UpstreamSlots
    /// What ends a wait for a slot: the first loop's timer (made once, not per request).
    private let waitTimer: WaitTimer
    /// The WebSockets open, within ``GatewayWebSocketConfiguration``'s limits.
    let webSocketCount: WebSocketCounter
    /// The policy whose `hosts:` sections name other upstreams for their hosts (set by
    /// ``GatewayRouterBuilder``); requests for other hosts go to ``GatewayProxyConfiguration/upstream``.
    public var policy: PolicyHolder?
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
        // No spans: with no tracer bootstrapped, AsyncHTTPClient still parsed every request's URL
        // with Foundation to fill the attributes of a span that goes nowhere (6 µs a request).
        client.tracing.tracer = nil
        let each = Array(HTTPClient.defaultEventLoopGroup.makeIterator())
        let perLoop = (configuration.maximumConnections + each.count - 1) / max(1, each.count)
        client.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: perLoop)
        self.loops = each
        self.waitTimer = WaitTimer(each[0])
        self.clients = each.map { HTTPClient(eventLoopGroup: $0, configuration: client) }
        // One path at most half; one client more than that (so that a client whose requests are stuck
        // on a slow path can still reach the others), but not all.
        let total = configuration.maximumConnections
        self.webSocketCount = WebSocketCounter(
            limit: configuration.webSockets.maximumSockets, perAddressLimit: configuration.webSockets.maximumSocketsPerClient
        )
        self.slots = UpstreamSlots(
            loops: each.count,
            limits: .init(
                perLoop: perLoop,
                perAddress: configuration.maximumConnectionsPerClient ?? max(1, total * 3 / 4),
                perPath: configuration.maximumConnectionsPerPath ?? max(1, total / 2)
            )
        )
    }

    /// Closes the clients' connections (all of them, then throws the first failure).
    public func shutdown() async throws {
        var failure: (any Error)?
        for client in clients {
            do { try await client.shutdown() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    /// Sends every path and method not routed elsewhere to the application, except Gatehouse's own
    /// pages where `login` puts them (``GatewayMiddleware/exemptPrefixes(for:)``), which get 404
    /// under any spelling: pass the same configuration as the router builder's `login`.
    public func add(to router: Router<Context>, login: LoginConfiguration) {
        add(to: router, exemptPrefixes: GatewayMiddleware<Context>.exemptPrefixes(for: login))
    }

    /// Sends every path and method not routed elsewhere to the application, except those under
    /// `exempt`, which get 404 under any spelling.
    package func add(to router: Router<Context>, exemptPrefixes exempt: [String]) {
        let proxy = self
        for method in [HTTPRequest.Method.get, .head, .post, .put, .patch, .delete, .options] {
            router.on("/", method: method) { request, context in try await proxy.forward(request, context: context, exemptPrefixes: exempt) }
            router.on("**", method: method) { request, context in try await proxy.forward(request, context: context, exemptPrefixes: exempt) }
        }
    }

    func forward(_ request: Request, context: Context, exemptPrefixes: [String]) async throws -> Response {
        // The policy decided on the decoded path (GatewayMiddleware); the application gets the path
        // as the client sent it, so that it reads the same escapes the client wrote.
        guard let path = PathPattern.normalize(request.uri.path) else { return Response(status: .badRequest) }
        // Gatehouse's own paths reach the application under no spelling (`/accounts/./x`, `/ACCOUNTS/x`).
        let folded = path.lowercased()
        if exemptPrefixes.contains(where: { folded.hasPrefix($0.lowercased()) }) {
            return Self.page(.notFound, "There is no such page.")
        }
        let query = request.uri.query.map { "?" + ProxyHeaders.safeQuery($0) } ?? ""
        // A `hosts:` section of the policy may name this host's application.
        let upstream = policy?.policy.site(forHost: request.head.authority)?.upstream ?? configuration.upstream
        var outbound = HTTPClientRequest(url: upstream + request.uri.path + query)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)

        var headers = ProxyHeaders.upstream(
            from: request.headers,
            identityNames: configuration.identityHeaders,
            withoutCookies: [configuration.sessionCookieName, configuration.csrfCookieName],
            clientAddress: context.gatehouse.remoteAddress,
            isSecure: context.gatehouse.isSecure,
            authority: request.head.authority
        )
        var identity = HTTPFields()
        if let user = context.identity, let id = user.userID {
            let names = try await groups.groups(ofUser: id).map(\.name)
            IdentityHeaders.apply(user: user, groups: names, to: &identity, names: configuration.identityHeaders)
        }
        for field in identity { headers.add(name: field.name.rawName, value: field.value) }
        if let handoff = WebSocketHandoff.current {
            // A WebSocket upgrade the policy allowed (GatewayServerChannel asks): the application's
            // socket is opened here, with the same headers as any proxied request.
            return await openWebSocket(
                upstream: upstream, uri: request.uri.path + query, headers: headers, address: context.gatehouse.remoteAddress ?? "", path: path,
                handoff: handoff
            )
        }
        outbound.headers = headers

        let length = request.headers[.contentLength].flatMap { Int($0) }
        if let limit = configuration.maximumRequestBodySize, let length, length > limit {
            return Response(status: .contentTooLarge)
        }
        // A connection (and the loop whose client has it), waited for fairly within the timeout.
        guard
            let lease = await slots.acquire(
                address: context.gatehouse.remoteAddress ?? "", path: path, timeout: configuration.responseTimeout, timer: waitTimer,
                preferred: loops.firstIndex { $0.inEventLoop }
            )
        else {
            logger.warning("no upstream connection came free in time", metadata: ["path": .string(path)])
            GatewayMetrics.shared.count(.busy)
            var busy = Self.page(.serviceUnavailable, "The application is busy. Please try again.")
            busy.headers[.retryAfter] = "1"
            return busy
        }
        let loop = loops[lease.loop]
        let client = clients[lease.loop]
        let gate = RequestBodyGate()
        if length != nil || request.headers[.transferEncoding] != nil {
            let body = UpstreamRequestBody(base: request.body, limit: configuration.maximumRequestBodySize, loop: loop, gate: gate)
            outbound.body = .stream(body, length: length.map { .known(Int64($0)) } ?? .unknown)
        }

        let response: HTTPClientResponse
        let sent = ContinuousClock.now
        do {
            response = try await client.execute(outbound, timeout: configuration.responseTimeout)
            GatewayMetrics.shared.recordUpstream(since: sent)
        } catch {
            // The exchange is over: the client's body is Hummingbird's to drain, and only once
            // AsyncHTTPClient has stopped reading it.
            await gate.closeAndWait()
            return failure(error, path: path)
        }
        guard response.status.code >= 200 || response.status.code < 100 else {
            // An interim or switching response the client never asked for (no upgrade is passed on).
            await gate.closeAndWait()
            logger.warning("upstream answered \(response.status.code)", metadata: ["path": .string(path)])
            GatewayMetrics.shared.count(.invalidResponse)
            return Self.page(.badGateway, "The application answered in a way that cannot be passed on.")
        }
        return await respond(response, path: path, lease: lease, gate: gate)
    }

    /// Opens the application's side of a WebSocket and leaves it in `handoff`: 101 when it is
    /// open, otherwise the page to answer instead (502 unreachable or refused, 504 too slow, 503
    /// past the socket limits), all before the client's connection is upgraded.
    private func openWebSocket(
        upstream: String, uri: String, headers: HTTPHeaders, address: String, path: String, handoff: WebSocketHandoff
    ) async -> Response {
        guard let (host, port) = Self.hostAndPort(ofHTTP: upstream) else {
            logger.warning("websocket to an https upstream is not supported", metadata: ["path": .string(path)])
            return Self.page(.badGateway, "The application cannot be reached for WebSockets.")
        }
        guard let release = webSocketCount.acquire(address: address) else {
            logger.warning("websocket limit reached", metadata: ["path": .string(path)])
            var busy = Self.page(.serviceUnavailable, "Too many open WebSockets. Please try again.")
            busy.headers[.retryAfter] = "1"
            return busy
        }
        var headers = headers
        // The upgrader sends its own key and version; no extension is negotiated on either side.
        for name in ["Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept"] {
            headers.remove(name: name)
        }
        do {
            let socket = try await UpstreamWebSocket.open(
                host: host, port: port, uri: uri, headers: headers, maximumFrameSize: configuration.webSockets.maximumMessageSize,
                timeout: configuration.responseTimeout, group: loops[0]
            )
            handoff.put(socket, release: release)
            return Response(status: .switchingProtocols)
        } catch {
            release()
            switch error {
            case .timedOut:
                logger.warning("upstream websocket handshake too slow", metadata: ["path": .string(path)])
                return Self.page(.gatewayTimeout, "The application did not answer in time.")
            case .refused:
                logger.warning("upstream refused the websocket handshake", metadata: ["path": .string(path)])
                return Self.page(.badGateway, "The application refused the WebSocket.")
            case .unreachable:
                logger.warning("upstream unreachable for a websocket", metadata: ["path": .string(path)])
                return Self.page(.badGateway, "The application cannot be reached.")
            }
        }
    }

    /// The host and port of an `http://host[:port]` upstream; `nil` for https.
    static func hostAndPort(ofHTTP upstream: String) -> (String, Int)? {
        guard upstream.hasPrefix("http://") else { return nil }
        let authority = upstream.dropFirst("http://".count)
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? 80 : 80)
        }
        let parts = authority.split(separator: ":", maxSplits: 1)
        return (String(parts.first ?? ""), parts.count == 2 ? Int(parts[1]) ?? 80 : 80)
    }

    /// The page for a failed exchange.
    private func failure(_ error: any Error, path: String) -> Response {
        switch error {
        case is BodyTooLarge:
            return Response(status: .contentTooLarge)
        case is ClientBodyFailed:
            return Self.page(.badRequest, "The request body could not be read.")
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            logger.warning("upstream too slow", metadata: ["path": .string(path)])
            GatewayMetrics.shared.count(.timeout)
            return Self.page(.gatewayTimeout, "The application did not answer in time.")
        default:
            logger.warning("upstream unreachable", metadata: ["path": .string(path), "error_type": .string("\(type(of: error))")])
            GatewayMetrics.shared.count(.unreachable)
            return Self.page(.badGateway, "The application cannot be reached.")
        }
    }

    /// The largest body read whole before the response is passed on (see ``respond(_:path:lease:gate:)``).
    static var wholeBodyLimit: Int { 16 * 1024 }

    /// The application's response as passed on: its headers less hop-by-hop ones and less any
    /// attempt on Gatehouse's cookies; its body streamed, holding the connection's slot.
    ///
    /// A body that declares a length of at most ``wholeBodyLimit`` bytes is read whole first and
    /// sent with the head in one write (a streamed body costs a write and an event-loop round trip
    /// per part, a third of a small proxied request's CPU); an application that fails or stalls
    /// inside it then gets a clean 502 or 504 instead of a response cut short.
    private func respond(_ response: HTTPClientResponse, path: String, lease: UpstreamSlots.Lease, gate: RequestBodyGate) async -> Response {
        var fields = HTTPFields()
        let responseNamed = Set(
            response.headers["connection"].flatMap { $0.split(separator: ",") }.map { ProxyHeaders.spelling($0.trimmingSpaces) }
        )
        let ownCookies: Set<String> = [configuration.sessionCookieName, configuration.csrfCookieName]
        let marker = ProxyHeaders.spelling(SecurityHeaders.upstreamMarker.rawName)
        for (name, value) in response.headers {
            let spelled = ProxyHeaders.spelling(name)
            if ProxyHeaders.hopByHop.contains(spelled) || responseNamed.contains(spelled) || spelled == marker { continue }
            if spelled == "set-cookie", ProxyHeaders.setCookieName(value).isEmpty || ownCookies.contains(ProxyHeaders.setCookieName(value)) {
                // The application must not replace (or fix) Gatehouse's session or CSRF cookie; a
                // nameless cookie (`=sessionid=x`) is sent back by browsers as `sessionid=x`.
                logger.warning(
                    "upstream Set-Cookie for a Gatehouse cookie removed",
                    metadata: ["path": .string(path), "cookie": .string(ProxyHeaders.setCookieName(value))]
                )
                continue
            }
            if spelled == "clear-site-data", value.lowercased().contains("cookies") || value.contains("*") {
                // It would clear Gatehouse's cookies too: a logout only Gatehouse may decide.
                logger.warning("upstream Clear-Site-Data for cookies removed", metadata: ["path": .string(path)])
                continue
            }
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        // The application's response keeps its own headers: no security headers are added to it.
        fields[SecurityHeaders.upstreamMarker] = "1"
        let status = HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase)
        if let declared = response.headers.first(name: "content-length").flatMap({ Int($0) }), (0...Self.wholeBodyLimit).contains(declared) {
            var whole = ByteBuffer()
            var failed: (any Error)?
            do {
                for try await part in response.body {
                    guard whole.readableBytes + part.readableBytes <= Self.wholeBodyLimit else { throw UpstreamBodyFailed() }
                    whole.writeImmutableBuffer(part)
                }
            } catch {
                failed = error
            }
            lease.end()
            await gate.closeAndWait()
            if let failed { return failure(failed, path: path) }
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: whole))
        }
        return Response(
            status: status,
            headers: fields,
            body: ResponseBody(asyncSequence: LeasedBody(base: response.body, lease: lease, gate: gate))
        )
    }

    static func page(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let html = "<!doctype html><title>\(status.code) \(status.reasonPhrase)</title><h1>\(status.code) \(status.reasonPhrase)</h1><p>\(message)</p>"
        return HTMLPage.response(ByteBuffer(string: html), status: status)
    }
}

struct BodyTooLarge: Error {}

/// The application sent more than the body length it declared.
struct UpstreamBodyFailed: Error {}

/// The client's request body could not be read (malformed chunked framing, a closed connection):
/// the client's fault, so 400 rather than 502.
struct ClientBodyFailed: Error {}

/// The application's response body, holding its connection's slot until it has been passed on,
/// has failed, or is dropped (the client went away).
struct LeasedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: HTTPClientResponse.Body
    let lease: UpstreamSlots.Lease
    /// Closed (and waited for) when the response ends, before Hummingbird drains the request body.
    let gate: RequestBodyGate

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator
        let lease: UpstreamSlots.Lease
        let gate: RequestBodyGate

        mutating func next() async throws -> ByteBuffer? {
            do {
                guard let part = try await base.next() else {
                    lease.end()
                    await gate.closeAndWait()
                    return nil
                }
                return part
            } catch {
                lease.end()
                await gate.closeAndWait()
                throw error
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), lease: lease, gate: gate) }
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
/// let body = UpstreamRequestBody(base: request.body, limit: 100 * 1024 * 1024, loop: loop, gate: RequestBodyGate())
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
    let gate: RequestBodyGate

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int?
        let loop: any EventLoop
        let gate: RequestBodyGate
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
            guard gate.beginRead() else { return nil }  // the exchange is over
            defer { gate.endRead() }
            let part: ByteBuffer?
            do {
                part = try await base.next()
            } catch {
                throw ClientBodyFailed()  // a malformed chunked body, or the client went away
            }
            guard let buffer = part else { return nil }
            seen += buffer.readableBytes
            if let limit, seen > limit { throw BodyTooLarge() }
            windowBytes += buffer.readableBytes
            windowParts += 1
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit, loop: loop, gate: gate) }
}
