import Foundation
@testable import GatehouseCLI
import Testing

/// `serve --metrics-address`: Prometheus metrics on a listener of their own, through the real
/// binary; the counters move by exactly what the requests did.
@Suite("serve --metrics-address")
struct ServeMetricsTests {
    static let policy = """
        default: authenticated
        rules:
          - path: /secret/
            require:
              permissions: [refapp.view_secret]
        """

    /// The metrics port the server logged (it listens on port 0: the system picks a free one).
    static func metricsPort(_ server: ServeProcess) async throws -> Int {
        for _ in 0..<600 {
            let text = server.log.text
            if let range = text.range(of: #"metrics on http://127\.0\.0\.1:\d+/metrics"#, options: .regularExpression) {
                let digits = text[range].split(separator: ":").last?.prefix(while: \.isNumber)
                if let digits, let port = Int(digits) { return port }
            }
            try await Task.sleep(for: .milliseconds(100))  // waiting for another process's output, not for time to pass
        }
        throw PeerFailure("no metrics port in the log: \(server.log.text)")
    }

    /// Every sample of a Prometheus text, by its name with labels as written (`name{a="b"}`).
    static func samples(_ text: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        return values
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func countersMoveByWhatTheRequestsDid() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        try #require(try await cli.run(["users", "create", "bob", "--stdin"], stdin: CLITests.goodPassword + "\n").status == 0)
        let policy = cli.workingDirectory.appending(path: "policy.yaml")
        try Self.policy.write(to: policy, atomically: true, encoding: .utf8)
        let server = try await ServeProcess.start(cli, ["--policy", policy.path, "--metrics-address", "127.0.0.1:0"])
        defer { server.stop() }
        let metricsPort = try await Self.metricsPort(server)
        #expect(metricsPort != server.port)
        let curl = Curl(jar: cli.workingDirectory.appending(path: "metrics.jar"))
        let scrape = Curl(jar: cli.workingDirectory.appending(path: "scrape.jar"))

        let failed = try await curl.logIn(server.base, username: "bob", password: "not-the-password")
        #expect(failed.status == 200)
        let loggedIn = try await curl.logIn(server.base, username: "bob", password: CLITests.goodPassword)
        #expect(loggedIn.status == 302)
        let allowed = try await curl(["\(server.base)/reports/"])
        #expect(allowed.status == 200)
        let forbidden = try await curl(["\(server.base)/secret/plans"])
        #expect(forbidden.status == 403)

        let page = try await scrape(["http://127.0.0.1:\(metricsPort)/metrics"])
        #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/plain") == true)
        let values = Self.samples(page.body)
        #expect(values[#"gatehouse_logins_total{outcome="failed"}"#] == 1, "\(page.body)")
        #expect(values[#"gatehouse_logins_total{outcome="succeeded"}"#] == 1)
        #expect(values[#"gatehouse_logins_total{outcome="throttled"}"#] == 0)
        #expect(values[#"gatehouse_gateway_decisions_total{outcome="allowed",via="proxy"}"#] == 1)
        #expect(values[#"gatehouse_gateway_decisions_total{outcome="forbidden",via="proxy"}"#] == 1)
        #expect(values[#"gatehouse_gateway_decisions_total{outcome="login_required",via="proxy"}"#] == 0)
        #expect(values[#"gatehouse_http_requests_total{route="login",status="302"}"#] == 1)
        #expect(values[#"gatehouse_http_requests_total{route="login",status="200"}"#] == 3, "two forms and one failed login")
        #expect(values[#"gatehouse_http_requests_total{route="application",status="200"}"#] == 1)
        #expect(values[#"gatehouse_http_requests_total{route="application",status="403"}"#] == 1)
        #expect(values[#"gatehouse_http_request_duration_seconds_count{route="login"}"#] == 4)
        #expect(values[#"gatehouse_http_request_duration_seconds_count{route="application"}"#] == 2)
        #expect(values[#"gatehouse_password_hashing_queue_depth"#] == 0)
        #expect((values[#"gatehouse_permission_cache_total{result="miss"}"#] ?? 0) >= 1, "the forbidden request computed bob's permissions")
        #expect(values[#"gatehouse_database_errors_total{operation="read"}"#] == 0)
        #expect(values.keys.contains { $0.hasPrefix("gatehouse_session_cache_total") })
        #expect(!page.body.contains("bob") && !page.body.contains("/secret/"), "no user and no raw path in a label")

        // The site's own port never serves them.
        let main = try await curl(["\(server.base)/metrics"])
        #expect(!main.body.contains("gatehouse_logins_total"))
    }

    @Test func aBadMetricsAddressIsAStartError() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        for bad in ["9090", "localhost", "127.0.0.1:99999", "127.0.0.1:x", "[::1", "http://127.0.0.1:9090"] {
            let result = try await cli.run(["serve", "--port", "0", "--metrics-address", bad])
            #expect(result.status != 0 && result.stderr.contains("--metrics-address must be HOST:PORT"), "\(bad): \(result.stderr)")
        }
        let fromEnvironment = try await cli.run(["serve", "--port", "0"], environment: ["GATEHOUSE_METRICS_ADDRESS": "nowhere"])
        #expect(fromEnvironment.status != 0 && fromEnvironment.stderr.contains("--metrics-address must be HOST:PORT") && fromEnvironment.stderr.contains("(set by GATEHOUSE_METRICS_ADDRESS)"), "\(fromEnvironment.stderr)")

        // A port already taken (by another server's metrics listener) stops the start with a clear line.
        let first = try await ServeProcess.start(cli, ["--metrics-address", "127.0.0.1:0"])
        defer { first.stop() }
        let taken = try await Self.metricsPort(first)
        let second = try await cli.run(["serve", "--port", "0", "--metrics-address", "127.0.0.1:\(taken)"])
        #expect(second.status != 0 && second.stderr.contains("--metrics-address 127.0.0.1:\(taken): cannot listen there"), "\(second.stderr)")
    }

    @Test func addressesParse() {
        #expect(MetricsAddress("127.0.0.1:9090") == MetricsAddress("127.0.0.1:9090"))
        #expect(MetricsAddress("127.0.0.1:9090")?.host == "127.0.0.1" && MetricsAddress("127.0.0.1:9090")?.port == 9090)
        #expect(MetricsAddress("[::1]:9100")?.host == "::1" && MetricsAddress("[::1]:9100")?.description == "[::1]:9100")
        #expect(MetricsAddress("localhost:0")?.port == 0)
        for bad in ["", ":9090", "9090", "::1:9090", "[::1]", "[::1]9090", "host:-1", "host:65536", "a b:1", "host:+1"] {
            #expect(MetricsAddress(bad) == nil, "\(bad)")
        }
    }
}
