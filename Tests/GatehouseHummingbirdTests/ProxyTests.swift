import Foundation
import Gatehouse
import GatehouseHummingbird
import Hummingbird
import HummingbirdAuth
import HummingbirdTesting
import HTTPTypes
import GatehouseTestSupport
import Testing

/// A context whose peer address the test chooses (router tests have no socket).
struct PeerContext: GatehouseRequestContextProtocol, RequestContext {
    @TaskLocal static var peer: String?
    var coreContext: CoreRequestContextStorage
    var identity: User?
    var gatehouse: GatehouseRequestState

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        gatehouse = GatehouseRequestState(remoteAddress: Self.peer)
    }
}

@Suite("Trusted proxies and the remote-user backend")
struct ProxyTests {
    static let proxies = try! TrustedProxyConfiguration(addresses: ["10.0.0.2"])

    static func echoRouter() -> Router<PeerContext> {
        let router = Router(context: PeerContext.self)
        router.add(middleware: TrustedProxyMiddleware(configuration: proxies))
        router.get("/whoami") { _, context in
            "\(context.gatehouse.remoteAddress ?? "-") \(context.gatehouse.isSecure) \(context.gatehouse.viaTrustedProxy)"
        }
        return router
    }

    @Test func forwardedHeadersAreBelievedOnlyFromTrustedProxies() async throws {
        let app = Application(router: Self.echoRouter())
        try await app.test(.router) { client in
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Forwarded-For")!] = "203.0.113.7, 10.0.0.2"
            headers[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let trusted = try await PeerContext.$peer.withValue("10.0.0.2") {
                try await client.execute(uri: "/whoami", method: .get, headers: headers)
            }
            #expect(String(buffer: trusted.body) == "203.0.113.7 true true")
            let spoofed = try await PeerContext.$peer.withValue("198.51.100.9") {
                try await client.execute(uri: "/whoami", method: .get, headers: headers)
            }
            #expect(String(buffer: spoofed.body) == "198.51.100.9 false false")
        }
    }

    /// CIDR ranges, IPv6, IPv4-mapped peers; a chain of several proxies inside the ranges is
    /// walked to the nearest address outside them.
    @Test func rangesOfProxiesAreTrustedAndTheirChainWalked() async throws {
        let router = Router(context: PeerContext.self)
        router.add(middleware: TrustedProxyMiddleware(configuration: try TrustedProxyConfiguration(addresses: ["10.0.0.0/8", "fd00::/8"])))
        router.get("/whoami") { _, context in "\(context.gatehouse.remoteAddress ?? "-") \(context.gatehouse.viaTrustedProxy)" }
        try await Application(router: router).test(.router) { client in
            func ask(_ peer: String, _ forwardedFor: String) async throws -> String {
                var headers = HTTPFields()
                headers[HTTPField.Name("X-Forwarded-For")!] = forwardedFor
                let response = try await PeerContext.$peer.withValue(peer) { try await client.execute(uri: "/whoami", method: .get, headers: headers) }
                return String(buffer: response.body)
            }
            let answer1 = try await ask("10.200.3.4", "203.0.113.7")
            #expect(answer1 == "203.0.113.7 true")
            let answer2 = try await ask("::ffff:10.0.0.9", "203.0.113.7")
            #expect(answer2 == "203.0.113.7 true", "an IPv4-mapped peer is its IPv4 address")
            let answer3 = try await ask("fd12::1", "6.6.6.6, 203.0.113.7, 10.9.9.9, fd00::5")
            #expect(answer3 == "203.0.113.7 true", "nearest untrusted hop")
            let answer4 = try await ask("11.0.0.1", "203.0.113.7")
            #expect(answer4 == "11.0.0.1 false")
            let answer5 = try await ask("fe80::1", "203.0.113.7")
            #expect(answer5 == "fe80::1 false")
            let answer6 = try await ask("not-an-address", "203.0.113.7")
            #expect(answer6 == "not-an-address false")
        }
    }

    @Test func theRemoteUserHeaderLogsInOnlyThroughATrustedProxy() async throws {
        let users = MemoryAuthStore()
        let sessions = MemorySessionStore()
        let keys = try SigningKeys(secretKey: "remote-user-test-secret-0123456789abcdef")
        let remote = RemoteUserBackend(store: users)
        let login = SessionLogin(authenticator: Authenticator(backends: [remote]), keys: keys, users: users)
        let router = Router(context: PeerContext.self)
        router.add(middleware: TrustedProxyMiddleware(configuration: Self.proxies))
        router.add(middleware: GatehouseSessionMiddleware(manager: SessionManager(store: sessions)))
        router.add(middleware: UserSessionMiddleware(login: login))
        router.add(middleware: RemoteUserMiddleware(backend: remote, login: login))
        router.get("/me") { _, context in context.identity?.username ?? "anonymous" }
        try await Application(router: router).test(.router) { client in
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Remote-User")!] = "sso-alice"
            let spoofed = try await PeerContext.$peer.withValue("198.51.100.9") {
                try await client.execute(uri: "/me", method: .get, headers: headers)
            }
            #expect(String(buffer: spoofed.body) == "anonymous")
            #expect(await users.user(username: "sso-alice") == nil)

            let trusted = try await PeerContext.$peer.withValue("10.0.0.2") {
                try await client.execute(uri: "/me", method: .get, headers: headers)
            }
            #expect(String(buffer: trusted.body) == "sso-alice")
            let cookie = try #require(trusted.headers[values: .setCookie].first { $0.hasPrefix("sessionid=") })
            let session = String(cookie.split(separator: ";")[0])
            // The header vanishes: the remote-user session ends.
            var noHeader = HTTPFields()
            noHeader[.cookie] = session
            let after = try await PeerContext.$peer.withValue("10.0.0.2") {
                try await client.execute(uri: "/me", method: .get, headers: noHeader)
            }
            #expect(String(buffer: after.body) == "anonymous")
        }
    }
}
