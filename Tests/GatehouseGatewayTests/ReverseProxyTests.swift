import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import GatehouseTestSupport
import GatehouseTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The reverse proxy in front of a real upstream server (a Hummingbird app on a free port that
/// echoes what it received).
@Suite("Reverse proxy")
struct ReverseProxyTests {
    static let password = "correct horse battery staple"

    /// Runs an echo upstream; `body` gets its port.
    static func withUpstream(_ body: (Int) async throws -> Void) async throws {
        let router = Router()
        let echo: @Sendable (Request, BasicRequestContext) async throws -> String = { request, _ in
            var text = "path=\(request.uri)\nmethod=\(request.method.rawValue)\n"
            for field in request.headers { text += "\(field.name.canonicalName): \(field.value)\n" }
            let bytes = try await request.body.collect(upTo: 64 * 1024 * 1024)
            text += "body=\(bytes.readableBytes)\n"
            return text
        }
        router.get("**", use: echo)
        router.post("**", use: echo)
        router.get("/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(4))  // the upstream is slow; the impatient proxy gives up after 1 s
            return "late"
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        // The upstream's own shutdown lines (a cancelled server logs errors as it stops) are kept off the output.
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: LogCapture().logger("upstream")
        )
        let task = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            try await body(port)
        } catch {
            task.cancel()
            throw error
        }
        task.cancel()
    }

    @Test func forwardsWithIdentityAndWithoutSecrets() async throws {
        try await Self.withUpstream { port in
            let store = MemoryAuthStore()
            let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000))
            let alice = try await store.insertUser(
                NewUser(username: "alice", password: try await hashers.makePassword(Self.password), dateJoined: Date())
            )
            let editors = try await store.insertGroup(name: "editors")
            try await store.addUser(alice.id, toGroup: editors.id)
            let policy = PolicyHolder(try GatewayPolicy(yaml: "rules:\n  - path: /open/\n    require: public\n"))
            let builder = GatehouseRouterBuilder(
                users: store, sessions: MemorySessionStore(),
                keys: try SigningKeys(secretKey: "proxy-test-secret-0123456789abcdefghijklm"), hashers: hashers
            )
            let router = Router(context: GatehouseRequestContext.self)
            builder.install(on: router, logRequests: false)
            router.add(middleware: GatewayMiddleware(policy: policy, checker: try builder.permissionChecker, groups: store, login: builder.login))
            let proxy = GatewayProxy<GatehouseRequestContext>(
                configuration: try GatewayProxyConfiguration(
                    upstream: "http://127.0.0.1:\(port)", responseTimeout: .seconds(20), maximumRequestBodySize: 8 * 1024 * 1024
                ),
                groups: store
            )
            proxy.add(to: router, login: builder.login)
            // The same upstream with a short timeout, for the slow route (a generous one above, so a
            // busy test machine never turns ordinary requests into 504s).
            let logs = LogCapture()
            let impatient = GatewayProxy<GatehouseRequestContext>(
                configuration: try GatewayProxyConfiguration(upstream: "http://127.0.0.1:\(port)", responseTimeout: .seconds(1)), groups: store,
                logger: logs.logger("gatehouse.proxy")
            )
            let impatientRouter = Router(context: GatehouseRequestContext.self)
            impatient.add(to: impatientRouter, login: builder.login)
            let down = GatewayProxy<GatehouseRequestContext>(
                configuration: try GatewayProxyConfiguration(upstream: "http://127.0.0.1:1"), groups: store, logger: logs.logger("gatehouse.proxy")
            )
            let downRouter = Router(context: GatehouseRequestContext.self)
            down.add(to: downRouter, login: builder.login)
            do {
                try await Application(router: router).test(.router) { client in
                    let anonymous = Browser(client)
                    var spoof = HTTPFields()
                    spoof[IdentityHeaders.user] = "root"
                    spoof[HTTPField.Name("X-Gatehouse-Groups")!] = "admins"
                    spoof[.connection] = "close, x-private"
                    spoof[HTTPField.Name("X-Private")!] = "secret"
                    spoof[HTTPField.Name("X-Forwarded-For")!] = "6.6.6.6"
                    let open = try await anonymous.get("/open/a%2Db?q=1", headers: spoof)
                    #expect(open.status == .ok)
                    let seen = String(buffer: open.body)
                    #expect(seen.contains("path=/open/a%2Db?q=1"), "forwarded as the client sent it: \(seen)")
                    #expect(!seen.contains("x-gatehouse-user") && !seen.contains("x-gatehouse-groups"), "spoofed identity never passes: \(seen)")
                    #expect(!seen.contains("x-private") && !seen.contains("6.6.6.6"), "hop-by-hop and client X-Forwarded-For dropped")
                    #expect(seen.contains("x-forwarded-proto: http"))
                    #expect(try await anonymous.get("/private/").status == .found, "denied requests never reach the upstream")

                    let browser = Browser(client)
                    #expect(try await browser.logIn(username: "alice", password: Self.password).status == .found)
                    browser.setCookie("theme", "dark")
                    let mine = String(buffer: try await browser.get("/private/x", headers: spoof).body)
                    #expect(mine.contains("x-gatehouse-user: alice"), "\(mine)")
                    #expect(mine.contains("x-gatehouse-user-id: \(alice.id)"))
                    #expect(mine.contains("x-gatehouse-groups: editors"))
                    #expect(!mine.contains("root") && !mine.contains("admins"))
                    #expect(mine.contains("theme=dark"), "other cookies pass")
                    #expect(!mine.contains("sessionid"), "the session cookie never reaches the upstream: \(mine)")

                    var form = HTTPFields()
                    form[.contentType] = "application/octet-stream"
                    form[.origin] = "http://localhost"
                    let big = ByteBuffer(repeating: 7, count: 5 * 1024 * 1024)
                    let csrf = try #require(browser.cookie("csrftoken"))
                    form[HTTPField.Name("X-CSRFToken")!] = csrf
                    let posted = try await browser.send("/private/upload", method: .post, headers: form, body: big)
                    #expect(posted.status == .ok)
                    #expect(String(buffer: posted.body).contains("body=\(5 * 1024 * 1024)"))
                    let tooBig = try await browser.send(
                        "/private/upload", method: .post, headers: form, body: ByteBuffer(repeating: 1, count: 9 * 1024 * 1024)
                    )
                    #expect(tooBig.status == .contentTooLarge)
                }
                try await Application(router: impatientRouter).test(.router) { client in
                    let response = try await client.execute(uri: "/slow", method: .get)
                    #expect(response.status == .gatewayTimeout)
                }
                #expect(logs.warnings.map(\.message) == ["upstream too slow"])
                try await Application(router: downRouter).test(.router) { client in
                    let response = try await client.execute(uri: "/anything", method: .get)
                    #expect(response.status == .badGateway)
                }
                #expect(logs.warnings.map(\.message) == ["upstream too slow", "upstream unreachable"])
            } catch {
                try? await proxy.shutdown()
                try? await impatient.shutdown()
                try? await down.shutdown()
                throw error
            }
            try await proxy.shutdown()
            try await impatient.shutdown()
            try await down.shutdown()
        }
    }
}
