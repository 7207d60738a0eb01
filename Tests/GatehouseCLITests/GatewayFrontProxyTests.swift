import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Debian's nginx (`auth_request`) and Caddy (`forward_auth`) in front of Python's echo upstream,
// asking `gatehouse serve --policy`'s forward-auth endpoint, configured from
// scripts/gateway/nginx.conf.template and scripts/gateway/Caddyfile.template exactly as
// docs/gateway.md tells users to. Each runs when its variable names the binary (.ci/run installs
// Debian's nginx-light and caddy and sets GATEHOUSE_TEST_NGINX and GATEHOUSE_TEST_CADDY).
// (Plain comments: Swift Testing would repeat a doc comment under every failure.)
enum FrontProxy: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case nginx, caddy

    var testDescription: String { rawValue }

    var variable: String { "GATEHOUSE_TEST_\(rawValue.uppercased())" }

    var binary: String? { ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 } }

    var template: String { self == .nginx ? "scripts/gateway/nginx.conf.template" : "scripts/gateway/Caddyfile.template" }

    /// The kinds whose binaries are named; says which are skipped and why.
    static var enabled: [FrontProxy] {
        allCases.filter { kind in
            if kind.binary != nil { return true }
            print("note: skipped the \(kind.rawValue) forward-auth test: set \(kind.variable) to its binary (apt-get install \(kind == .nginx ? "nginx-light" : "caddy"); .ci/run does)")
            return false
        }
    }

    /// Starts the server on `port` in front of `gatehouse` and `application`.
    func start(port: Int, gatehouse: Int, application: Int, directory: URL) throws -> PeerProcess {
        let binary = try #require(binary)
        let prefix = directory.appending(path: rawValue)
        try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
        let template = try String(contentsOf: BrowserEndToEndTests.repositoryRoot.appending(path: template), encoding: .utf8)
        let configuration = template
            .replacingOccurrences(of: "PREFIX", with: prefix.path)
            .replacingOccurrences(of: "LISTEN", with: String(port))
            .replacingOccurrences(of: "GATEHOUSE", with: "127.0.0.1:\(gatehouse)")
            .replacingOccurrences(of: "APPLICATION", with: "127.0.0.1:\(application)")
        switch self {
        case .nginx:
            let file = prefix.appending(path: "nginx.conf")
            try configuration.write(to: file, atomically: true, encoding: .utf8)
            return try PeerProcess(binary, ["-p", prefix.path, "-e", prefix.appending(path: "error.log").path, "-c", file.path],
                                   directory: prefix, name: "nginx")
        case .caddy:
            let file = prefix.appending(path: "Caddyfile")
            try configuration.write(to: file, atomically: true, encoding: .utf8)
            return try PeerProcess(binary, ["run", "--config", file.path, "--adapter", "caddyfile"], directory: prefix, name: "caddy")
        }
    }

    /// A port nobody listens on now (the kernel's choice for a socket bound to port 0).
    static func freePort() throws -> Int {
        #if canImport(Glibc)
        let stream = Int32(SOCK_STREAM.rawValue)  // an enum in Glibc's overlay
        #else
        let stream = SOCK_STREAM  // a plain Int32 in Musl and Darwin
        #endif
        let descriptor = socket(AF_INET, stream, 0)
        guard descriptor >= 0 else { throw PeerFailure("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw PeerFailure("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite("gateway: nginx and Caddy asking Gatehouse (forward auth) in front of Python's http.server")
struct GatewayFrontProxyTests {
    @Test(
        "identity arrives, spoofs and the session cookie never do, every decision holds",
        .timeLimit(.minutes(5)),
        arguments: FrontProxy.enabled
    )
    func forwardAuth(_ kind: FrontProxy) async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let policy = try await GatewayPeople.make(cli)
        let upstream = try await EchoUpstream.start(in: cli.workingDirectory)
        defer { upstream.peer.stop() }
        let server = try await ServeProcess.start(cli, ["--policy", policy])
        defer { server.stop() }

        let port = try FrontProxy.freePort()
        let proxy = try kind.start(port: port, gatehouse: server.port, application: upstream.port, directory: cli.workingDirectory)
        defer { proxy.stop() }
        let base = "http://127.0.0.1:\(port)"
        let probe = Curl(jar: cli.workingDirectory.appending(path: "probe.jar"))
        var started = false
        for _ in 0..<150 where proxy.process.isRunning {
            if try await probe(["\(base)/accounts/login/"], seconds: 2).status == 200 {
                started = true
                break
            }
            try await Task.sleep(for: .milliseconds(100))  // waiting for the proxy to listen, not for time to pass
        }
        let errorLog = (try? String(contentsOf: cli.workingDirectory.appending(path: "nginx/error.log"), encoding: .utf8)) ?? ""
        try #require(started, "\(kind) did not start: \(proxy.log)\n\(errorLog)")

        let anonymous = Curl(jar: cli.workingDirectory.appending(path: "visitor.jar"))
        let toLogin = try await anonymous(["\(base)/secret/plans?a=1&b=2"])
        #expect(toLogin.status == 302)
        #expect(toLogin.header("Location")?.hasSuffix("/accounts/login/?next=/secret/plans%3Fa%3D1%26b%3D2") == true, "\(toLogin.headers)")
        let spoof = ["-H", "X-Gatehouse-User: root", "-H", "X-Gatehouse-Groups: admins", "-H", "X-Gatehouse-User-Id: 4"]
        let open = try await anonymous(spoof + ["\(base)/static/app.css"])
        #expect(open.status == 200 && open.body.contains("path=/static/app.css\n"), "\(open.body)")
        let identity = open.body.split(separator: "\n").filter { $0.hasPrefix("x-gatehouse") }
        #expect(identity.allSatisfy { $0.hasSuffix(":") || $0.hasSuffix(": ") }, "nothing a client claims reaches the application: \(open.body)")
        let smuggled = try await anonymous(
            ["-H", "X-Original-URI: /static/app.css", "-H", "X-Forwarded-Uri: /static/app.css", "-H", "X-Original-Method: GET",
             "\(base)/secret/plans"]
        )
        #expect(smuggled.status == 302, "a client cannot name the URI that is decided: \(smuggled.status) \(smuggled.body.prefix(200))")
        if kind == .nginx {
            #expect(try await anonymous(["\(base)/_gatehouse_check"]).status == 404, "the check location is internal")
        }
        let api = try await anonymous(["-H", "Accept: application/json", "\(base)/secret/plans"])
        #expect(api.status == (kind == .nginx ? 302 : 401), "Caddy passes Gatehouse's 401 to API clients; nginx's template always redirects")

        let sessions = try await GatewayPeople.sessions(cli, base: base)
        let alice = try #require(sessions["alice"])
        let seen = try await alice(spoof + ["-b", "theme=dark", "\(base)/secret/plans"])
        #expect(seen.status == 200)
        #expect(seen.body.contains("x-gatehouse-user: alice\n") && seen.body.contains("x-gatehouse-user-id: 1\n"), "\(seen.body)")
        #expect(seen.body.contains("x-gatehouse-groups: editors\n"))
        #expect(!seen.body.contains("root") && !seen.body.contains("admins"), "spoofed identity never passes: \(seen.body)")
        #expect(seen.body.contains("theme=dark") && seen.body.contains("csrftoken="), "other cookies pass: \(seen.body)")
        #expect(!seen.body.contains("sessionid"), "the session cookie never reaches the application: \(seen.body)")

        try await GatewayPeople.checkDecisions(sessions, base: base)

        // A logout through the proxy ends the session there too.
        let profile = try await alice(["\(base)/accounts/profile/"])
        let token = try #require(profile.body.range(of: #"name="csrfmiddlewaretoken" value=""#).map {
            String(profile.body[$0.upperBound...].prefix(64))
        }, "\(profile.status) \(profile.body.prefix(500))")
        let logout = try await alice(["-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(token)", "\(base)/accounts/logout/"])
        #expect(logout.status == 302 || logout.status == 200, "\(logout.status)")
        #expect(try await alice(["\(base)/secret/plans"]).status == 302, "logged out: back to the login page")
        #expect(proxy.process.isRunning, "\(kind) still runs: \(proxy.log)")
    }
}
