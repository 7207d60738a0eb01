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
    static let proxies = TrustedProxyConfiguration(addresses: ["10.0.0.2"])

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
