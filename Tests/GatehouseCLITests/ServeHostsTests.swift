import Foundation
import Testing

/// `serve --allowed-host` and `--public-url` through the real binary: every other `Host` gets 400.
@Suite("serve: allowed hosts and the public URL")
struct ServeHostsTests {
    @Test func byDefaultOnlyThisMachineIsAnswered() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let server = try await ServeProcess.start(cli, [])
        defer { server.stop() }
        let curl = Curl(jar: cli.workingDirectory.appending(path: "hosts.jar"))
        #expect(try await curl(["\(server.base)/accounts/login/"]).status == 200)
        #expect(try await curl(["-H", "Host: localhost:\(server.port)", "\(server.base)/accounts/login/"]).status == 200)
        for host in ["evil.example", "localhost.evil.example", "127.0.0.2", "LOCALHOST.:1"] {
            let refused = try await curl(["-H", "Host: \(host)", "\(server.base)/accounts/login/"])
            #expect(refused.status == (host == "LOCALHOST.:1" ? 200 : 400), "\(host)")
        }
        let reset = try await curl(["-H", "Host: evil.example", "\(server.base)/accounts/password_reset/"])
        #expect(reset.status == 400)
        // Probes are asked by address.
        #expect(try await curl(["-H", "Host: 10.0.0.7:8000", "\(server.base)/_gatehouse/health"]).status == 200)
        server.stop()
        #expect(server.log.text.contains("host=evil.example") && server.log.text.contains("--allowed-host"), "\(server.log.text)")
    }

    @Test func allowedHostsAndThePublicURLReplaceTheDefaultFromFlagsOrEnvironment() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        var environment = ProcessInfo.processInfo.environment
        environment["GATEHOUSE_SECRET_KEY"] = "hosts-secret-0123456789abcdefghijklmnopqrstu"
        environment["GATEHOUSE_ALLOWED_HOSTS"] = " .example.com, 10.0.0.5 "
        environment["GATEHOUSE_PUBLIC_URL"] = "https://auth.example.org"
        for (arguments, environment) in [
            (["--allowed-host", ".example.com", "--allowed-host", "10.0.0.5", "--public-url", "https://auth.example.org"], nil),
            ([], environment),
        ] {
            let server = try await ServeProcess.start(cli, arguments, environment: environment)
            defer { server.stop() }
            let curl = Curl(jar: cli.workingDirectory.appending(path: "hosts.jar"))
            for (host, status) in [
                ("example.com", 200), ("www.example.com:8443", 200), ("10.0.0.5", 200), ("auth.example.org", 200),
                ("127.0.0.1:\(server.port)", 400), ("www.example.org", 400), ("example.com.evil.test", 400),
            ] {
                #expect(try await curl(["-H", "Host: \(host)", "\(server.base)/accounts/login/"]).status == status, "\(host) \(arguments)")
            }
        }
    }

    /// `--cookie-domain` puts both cookies on the shared domain; `--allowed-redirect-host` lets the
    /// login page's `next` go to a sibling application, and nowhere else.
    @Test func aLoginSharedBySubdomainsAndRedirectsToASiblingHost() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let created = try await cli.run(["users", "create", "shared", "--stdin"], stdin: "\(CLITests.goodPassword)\n")
        #expect(created.status == 0, "\(created.stderr)")
        let server = try await ServeProcess.start(
            cli, ["--allowed-host", ".example.com", "--cookie-domain", ".example.com", "--allowed-redirect-host", "shop.example.com"]
        )
        defer { server.stop() }
        let base = "http://app.example.com:\(server.port)"
        let resolve = ["--resolve", "app.example.com:\(server.port):127.0.0.1"]
        for (next, expected) in [
            ("https://shop.example.com/cart", "https://shop.example.com/cart"), ("https://evil.example/", "/accounts/profile/"),
            ("https://shop.example.com.evil.example/", "/accounts/profile/"), ("/reports/", "/reports/"),
        ] {
            let curl = Curl(jar: cli.workingDirectory.appending(path: "shared-\(UUID().uuidString).jar"))
            let page = try await curl(resolve + ["\(base)/accounts/login/"])
            #expect(page.headers.contains { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("csrftoken=") && $0.value.contains("Domain=.example.com") })
            let login = try await curl(resolve + [
                "-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(try ServePasswordResetTests.csrfToken(in: page))",
                "--data-urlencode", "username=shared", "--data-urlencode", "password=\(CLITests.goodPassword)", "--data-urlencode", "next=\(next)",
                "\(base)/accounts/login/",
            ])
            #expect(login.status == 302 && login.header("Location") == expected, "\(next): \(login.status) \(login.header("Location") ?? "-")")
            #expect(login.headers.contains { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("sessionid=") && $0.value.contains("Domain=.example.com") })
        }
    }

    @Test func aBadHostOrPublicURLStopsTheStartWithAClearMessage() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        for (arguments, message) in [
            (["--allowed-host", "https://example.com"], "--allowed-host https://example.com is not a host name"),
            (["--allowed-host", "example.com:8000"], "without scheme, port"),
            (["--allowed-host", "*.example.com"], ".example.com for its subdomains"),
            (["--public-url", "https://admin:hunter2@example.com"], "must not name a user"),
            (["--public-url", "https://example.com/accounts/"], "origin only"),
            (["--trusted-proxy", "10.0.0.1/8"], "did you mean 10.0.0.0/8?"),
            (["--trusted-proxy", "proxy.internal"], "is not an IPv4 or IPv6 address or CIDR range"),
            (["--cookie-domain", "https://example.com"], "--cookie-domain https://example.com is not a domain name"),
            (["--cookie-domain", "10.0.0.1"], "is not a domain name"),
            (["--allowed-redirect-host", "https://shop.example.com/"], "--allowed-redirect-host https://shop.example.com/ is not a host name"),
        ] {
            let result = try await cli.run(["serve", "--port", "0"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("hunter2"))
        }
    }
}
