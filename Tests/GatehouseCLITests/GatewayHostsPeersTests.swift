import Foundation
import Testing

// One `gatehouse serve` in front of two applications (a `hosts:` section names the second), and a
// `networks` rule decided on the client address behind a trusted proxy: the real binary, two
// Python echo upstreams (scripts/gateway/echo_upstream.py) and curl.
@Suite("gateway: policy hosts and networks through the binary", .serialized)
struct GatewayHostsPeersTests {
    static func policy(secondUpstream: Int) -> String {
        """
        default: public
        rules:
          - path: /intranet/
            networks: [10.0.0.0/8]
            require: public
          - path: /intranet/
            require: deny
        hosts:
          - host: b.test
            upstream: http://127.0.0.1:\(secondUpstream)
            rules:
              - path: /private/
                require: authenticated
        """
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func twoHostsTwoUpstreamsAndNetworks() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        #expect(try await cli.run(["migrate"]).status == 0)
        let firstDirectory = cli.workingDirectory.appending(path: "first")
        let secondDirectory = cli.workingDirectory.appending(path: "second")
        for directory in [firstDirectory, secondDirectory] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let first = try await EchoUpstream.start(in: firstDirectory)
        defer { first.peer.stop() }
        let second = try await EchoUpstream.start(in: secondDirectory)
        defer { second.peer.stop() }
        let file = cli.workingDirectory.appending(path: "policy.yaml")
        try Self.policy(secondUpstream: second.port).write(to: file, atomically: true, encoding: .utf8)

        let explained = try await cli.run(["policy", "explain", file.path, "--host", "b.test:8000", "--path", "/private/x"])
        #expect(explained.stdout.contains("login required: rule at line 12 (/private/ host b.test) requires authenticated"), "\(explained.stdout)")
        #expect(explained.stdout.contains("upstream http://127.0.0.1:\(second.port)"), "\(explained.stdout)")
        let fromInside = try await cli.run(["policy", "explain", file.path, "--host", "a.test", "--client", "10.1.2.3", "--path", "/intranet/x"])
        #expect(
            fromInside.stdout == "GET a.test/intranet/x from 10.1.2.3 by an anonymous request: allow: rule at line 3 (/intranet/ networks 10.0.0.0/8) requires public\n",
            "\(fromInside.stdout)"
        )
        let fromOutside = try await cli.run(["policy", "explain", file.path, "--client", "8.8.8.8", "--path", "/intranet/x"])
        #expect(fromOutside.stdout.contains("forbidden: rule at line 6 (/intranet/) requires deny"), "\(fromOutside.stdout)")
        let badClient = try await cli.run(["policy", "explain", file.path, "--client", "10.0.0.0/8", "--path", "/"])
        #expect(badClient.status != 0 && badClient.stderr.contains("--client 10.0.0.0/8 is not an IP address"), "\(badClient.stderr)")

        let hosts = ["--allowed-host", "a.test", "--allowed-host", "b.test", "--allowed-host", "127.0.0.1"]
        let server = try await ServeProcess.start(
            cli, ["--policy", file.path, "--upstream", "http://127.0.0.1:\(first.port)", "--trusted-proxy", "127.0.0.1"] + hosts
        )
        defer { server.stop() }
        let curl = Curl(jar: cli.workingDirectory.appending(path: "jar"))
        let a = try await curl(["-H", "Host: a.test", "\(server.base)/page"])
        #expect(a.status == 200 && a.body.contains("host: 127.0.0.1:\(first.port)\n"), "a.test goes to --upstream: \(a.body)")
        let b = try await curl(["-H", "Host: B.TEST.:\(server.port)", "\(server.base)/page"])
        #expect(b.status == 200 && b.body.contains("host: 127.0.0.1:\(second.port)\n"), "b.test goes to its own upstream: \(b.body)")
        #expect(b.body.contains("x-forwarded-host: B.TEST.:\(server.port)"), "\(b.body)")
        #expect(try await curl(["-H", "Host: b.test", "\(server.base)/private/x"]).status == 302, "b.test's own rule")
        #expect(try await curl(["-H", "Host: a.test", "\(server.base)/private/x"]).status == 200, "not on a.test")

        // The networks rule, on the address the trusted proxy (127.0.0.1) reports.
        let inside = try await curl(["-H", "Host: a.test", "-H", "X-Forwarded-For: 10.1.2.3", "\(server.base)/intranet/wiki"])
        #expect(inside.status == 200, "\(inside.body)")
        #expect(inside.body.contains("x-forwarded-for: 10.1.2.3"), "\(inside.body)")
        #expect(try await curl(["-H", "Host: a.test", "-H", "X-Forwarded-For: 8.8.8.8", "\(server.base)/intranet/wiki"]).status == 403)
        #expect(try await curl(["-H", "Host: a.test", "\(server.base)/intranet/wiki"]).status == 403, "127.0.0.1 is not in 10.0.0.0/8")
        server.stop()

        // Without --trusted-proxy, the client's X-Forwarded-For is never believed.
        let untrusting = try await ServeProcess.start(cli, ["--policy", file.path, "--upstream", "http://127.0.0.1:\(first.port)"] + hosts)
        defer { untrusting.stop() }
        let spoofed = try await curl(["-H", "Host: a.test", "-H", "X-Forwarded-For: 10.1.2.3", "\(untrusting.base)/intranet/wiki"])
        #expect(spoofed.status == 403, "\(spoofed.body)")

        // A policy naming host upstreams needs --upstream for the other hosts.
        let refused = try await cli.run(["serve", "--port", "0", "--policy", file.path])
        #expect(refused.status != 0 && refused.stderr.contains("give --upstream too"), "\(refused.stderr)")
    }
}
