import Foundation
import Testing

/// `gatehouse serve --policy`: the policy on every path, a built-in page for allowed ones, SIGHUP
/// reloads (a broken file keeps the old policy), a broken file at start is refused with its line.
@Suite("gatehouse serve --policy")
struct ServePolicyTests {
    static func waitFor(_ text: String, in log: LogCollector, seconds: Int) async -> Bool {
        for _ in 0..<(seconds * 20) {
            if log.text.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(50))  // waiting for another process's output, not for time to pass
        }
        return false
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func policyPagesAndReload() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let file = cli.workingDirectory.appendingPathComponent("policy.yaml")
        try "rules:\n  - path: /open/\n    require: public\n".write(to: file, atomically: true, encoding: .utf8)

        let broken = cli.workingDirectory.appendingPathComponent("broken.yaml")
        try "rules:\n  - path: /x/\n    require: nobody\n".write(to: broken, atomically: true, encoding: .utf8)
        let refused = try await cli.run(["serve", "--port", "0", "--policy", broken.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("line 3: unknown requirement `nobody`"), "\(refused.stderr)")

        let server = Process()
        server.executableURL = CLIRunner.executable
        server.arguments = ["serve", "--port", "0", "--database", cli.database, "--policy", file.path]
        server.currentDirectoryURL = cli.workingDirectory
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let log = LogCollector(errors.fileHandleForReading)
        let port = try #require(await log.waitForPort(seconds: 60), "server did not start: \(log.text)")
        let base = "http://127.0.0.1:\(port)"
        let jar = cli.workingDirectory.appendingPathComponent("cookies.txt")

        let open = try ServeTests.curl(["\(base)/open/%3Cb%3E'?x=1"], jar: jar)
        #expect(open.status == 200)
        #expect(open.body.contains("an anonymous visitor") && open.body.contains("<code>/open/%3Cb%3E&#x27;</code>"), "\(open.body)")
        #expect(try ServeTests.curl(["--globoff", "\(base)/open/<b>"], jar: jar).status == 400, "a raw < is refused")
        let closed = try ServeTests.curl(["-o", "/dev/null", "\(base)/private/report"], jar: jar)
        #expect(closed.status == 302, "the default needs a login")
        #expect(try ServeTests.curl(["-H", "Accept: application/json", "\(base)/private/report"], jar: jar).status == 401)
        #expect(try ServeTests.curl(["\(base)/accounts/login/"], jar: jar).status == 200, "the login page is never subject to the policy")
        #expect(try ServeTests.curl(["--path-as-is", "\(base)/open/..%2Fprivate"], jar: jar).status == 400)
        #expect(try ServeTests.curl(["--path-as-is", "\(base)/open/../private/"], jar: jar).status == 400, "dot segments are refused")

        // Reload with a good file.
        try "default: public\nrules:\n  - path: /open/\n    require: deny\n".write(to: file, atomically: true, encoding: .utf8)
        kill(server.processIdentifier, SIGHUP)
        #expect(await Self.waitFor("policy reloaded", in: log, seconds: 10), "\(log.text)")
        #expect(try ServeTests.curl(["\(base)/private/report"], jar: jar).status == 200)
        #expect(try ServeTests.curl(["\(base)/open/"], jar: jar).status == 403)

        // A broken file keeps the previous policy.
        try "rules: [\n".write(to: file, atomically: true, encoding: .utf8)
        kill(server.processIdentifier, SIGHUP)
        #expect(await Self.waitFor("policy not reloaded", in: log, seconds: 10), "\(log.text)")
        #expect(log.text.contains("not valid YAML"))
        #expect(try ServeTests.curl(["\(base)/private/report"], jar: jar).status == 200)
        #expect(try ServeTests.curl(["\(base)/open/"], jar: jar).status == 403)
        #expect(server.isRunning)
    }
}
