import Gatehouse
@testable import GatehouseHummingbird
import GatehouseTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import Testing

/// The `Host` check in front of every Gatehouse page, and the origin of links.
@Suite("Allowed hosts and the origin of links")
struct AllowedHostsRequestTests {
    static func request(host: String, path: String = "/accounts/login/") -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "http", authority: host, path: path), body: RequestBody(buffer: ByteBuffer()))
    }

    /// The status `middleware` answers `host` with (200 when it passes the request on).
    static func status(_ middleware: AllowedHostsMiddleware<BasicRequestContext>, host: String, path: String = "/accounts/login/") async throws
        -> HTTPResponse.Status
    {
        let context = BasicRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
        do {
            return try await middleware.handle(Self.request(host: host, path: path), context: context) { _, _ in Response(status: .ok) }.status
        } catch let error as HTTPError {
            return error.status
        }
    }

    @Test func everyOtherHostGets400AndIsLoggedForTheOperator() async throws {
        let logs = LogCapture()
        let middleware = AllowedHostsMiddleware<BasicRequestContext>(
            configuration: HostConfiguration(allowedHosts: AllowedHosts([".example.com"])), logger: logs.logger("gatehouse.hosts")
        )
        #expect(try await Self.status(middleware, host: "www.example.com:8443") == .ok)
        #expect(try await Self.status(middleware, host: "EXAMPLE.COM.") == .ok)
        for host in ["example.com.evil.test", "evilexample.com", "localhost", "127.0.0.1:8000", "", "example.com:x"] {
            #expect(try await Self.status(middleware, host: host) == .badRequest, "\(host)")
        }
        let notice = try #require(logs.all.first)
        #expect(notice.level == .notice && notice.metadata["host"] == "example.com.evil.test" && notice.message.contains("--allowed-host"))
        // Probes and forward auth answer whatever the host (they build no links).
        #expect(try await Self.status(middleware, host: "10.1.2.3:8000", path: "/_gatehouse/ready") == .ok)
        #expect(try await Self.status(middleware, host: "10.1.2.3:8000", path: "/_gatehousex") == .badRequest)
    }

    @Test func theDefaultIsThisMachineAndTheBuilderInstallsIt() async throws {
        let builder = GatehouseRouterBuilder(
            users: MemoryAuthStore(), sessions: MemorySessionStore(), keys: try SigningKeys(secretKey: "hosts-secret-0123456789abcdefghijklmnopq")
        )
        #expect(builder.hosts.allowedHosts == .local && builder.hosts.publicOrigin == nil)
        // The router's test client names `localhost`; a builder that allows only another host refuses it.
        try await Application(router: builder.makeRouter(logRequests: false)).test(.router) { client in
            let page = try await client.execute(uri: "/accounts/login/", method: .get)
            #expect(page.status == .ok)
        }
        var strict = builder
        strict.hosts = HostConfiguration(allowedHosts: AllowedHosts(["example.com"]))
        try await Application(router: strict.makeRouter(logRequests: false)).test(.router) { client in
            let refused = try await client.execute(uri: "/accounts/login/", method: .get)
            #expect(refused.status == .badRequest)
            #expect(refused.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "the refusal has the security headers too")
            let elsewhere = try await client.execute(uri: "/nowhere", method: .get)
            #expect(elsewhere.status == .badRequest, "before routing: no 404 either")
        }
    }

    @Test func linksUseThePublicOriginOrTheRequestsOwn() throws {
        let own = HostConfiguration()
        #expect(own.origin(of: Self.request(host: "localhost:8000"), isSecure: false) == "http://localhost:8000")
        #expect(own.origin(of: Self.request(host: "localhost:8000"), isSecure: true) == "https://localhost:8000")
        let fixed = try HostConfiguration(publicURL: "HTTPS://Auth.Example.com:8443/")
        #expect(fixed.publicOrigin == "https://auth.example.com:8443")
        #expect(fixed.origin(of: Self.request(host: "localhost"), isSecure: false) == "https://auth.example.com:8443")
        // The public URL's host is allowed as well as the list.
        #expect(fixed.allows(host: "auth.example.com") && fixed.allows(host: "AUTH.example.com:443") && fixed.allows(host: "localhost"))
        #expect(!fixed.allows(host: "www.example.com") && !fixed.allows(host: "auth.example.com.evil.test"))
        let loopback = try HostConfiguration(publicURL: "http://[::1]:8000")
        #expect(loopback.publicOrigin == "http://[::1]:8000")
    }

    @Test(arguments: [
        "ftp://example.com", "example.com", "https://user:pw@example.com", "https://example.com/accounts/", "https://example.com?x=1",
        "https://example.com#top", "https://", "https://example.com:0", "https://exa%20mple.com", "https://example.com:99999", "javascript:alert(1)",
        "", "https://example.com\n.evil.test",
    ])
    func aPublicURLIsAnOriginOrAClearError(_ url: String) {
        #expect(throws: GatehouseConfigurationError.self) { try HostConfiguration(publicURL: url) }
        do {
            _ = try HostConfiguration(publicURL: url)
        } catch {
            #expect(error.description.contains("public URL"))
            #expect(!url.contains("pw") || !error.description.contains("pw"), "a password in the URL is not repeated")
        }
    }
}
