import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

// `gatehouse serve --upstream --policy` as a user runs it, in front of a real application: Python's
// http.server echoing what it received (scripts/gateway/echo_upstream.py), driven by curl and by
// AsyncHTTPClient. Needs python3 and curl, which the machine image and CI have.
// (Plain comments: Swift Testing would repeat a doc comment under every failure.)
@Suite("gateway: reverse proxy in front of Python's http.server", .serialized)
struct GatewayProxyPeersTests {
    static let megabytes50 = 50 * 1024 * 1024
    static let megabytes200 = 200 * 1024 * 1024
    static let limit = 210 * 1024 * 1024

    /// A file of `size` zero bytes that takes no disk space.
    static func sparseFile(_ url: URL, size: Int) throws {
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
    }

    /// Starts the upstream and `gatehouse serve` in front of it with the people and policy of
    /// ``GatewayPeople``; `body` gets both and the CLI.
    static func withGateway(
        extraArguments: [String] = [],
        _ body: (CLIRunner, EchoUpstream, ServeProcess) async throws -> Void
    ) async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let policy = try await GatewayPeople.make(cli)
        let upstream = try await EchoUpstream.start(in: cli.workingDirectory)
        defer { upstream.peer.stop() }
        let server = try await ServeProcess.start(
            cli, ["--policy", policy, "--upstream", "http://127.0.0.1:\(upstream.port)", "--upstream-timeout", "20"] + extraArguments
        )
        defer { server.stop() }
        try await body(cli, upstream, server)
        #expect(!server.log.text.contains(GatewayPeople.password), "no password in the log")
    }

    @Test("identity headers arrive, spoofed ones and the session cookie never do; every requirement kind and methods decide")
    func identityAndDecisions() async throws {
        try await Self.withGateway { cli, _, server in
            let base = server.base
            let sessions = try await GatewayPeople.sessions(cli, base: base)
            let alice = try #require(sessions["alice"])
            let spoof = ["-H", "X-Gatehouse-User: root", "-H", "X-Gatehouse-Groups: admins", "-H", "X-Gatehouse-User-Id: 1",
                         "-H", "X-Forwarded-For: 6.6.6.6", "-H", "Connection: x-private", "-H", "X-Private: secret"]
            let seen = try await alice(spoof + ["-b", "theme=dark", "\(base)/secret/plans?x=1"])
            #expect(seen.status == 200, "\(seen.body)")
            #expect(seen.body.contains("path=/secret/plans?x=1"))
            #expect(seen.body.contains("x-gatehouse-user: alice\n"), "\(seen.body)")
            #expect(seen.body.contains("x-gatehouse-groups: editors\n"))
            #expect(seen.body.contains("x-gatehouse-user-id: 1\n"), "alice is the first user: \(seen.body)")
            #expect(!seen.body.contains("root") && !seen.body.contains("admins"), "spoofed identity never passes")
            #expect(!seen.body.contains("6.6.6.6") && seen.body.contains("x-forwarded-for: 127.0.0.1"))
            #expect(!seen.body.contains("x-private"), "headers named in Connection are dropped")
            #expect(seen.body.contains("x-forwarded-proto: http") && seen.body.contains("x-forwarded-host: 127.0.0.1:\(server.port)"))
            #expect(seen.body.contains("theme=dark"), "other cookies pass: \(seen.body)")
            #expect(!seen.body.contains("csrftoken="), "Gatehouse's CSRF cookie does not: \(seen.body)")
            #expect(!seen.body.contains("sessionid"), "the session cookie never reaches the upstream: \(seen.body)")
            if let key = alice.cookie("sessionid") { #expect(!seen.body.contains(key)) } else { Issue.record("alice has no session cookie") }

            let anonymous = try #require(sessions[nil])
            let open = try await anonymous(spoof + ["\(base)/static/app.css"])
            #expect(open.status == 200 && !open.body.contains("x-gatehouse-user"), "an anonymous request carries no identity: \(open.body)")
            let login = try await anonymous(["\(base)/secret/plans?a=1&b=2"])
            #expect(login.status == 302)
            #expect(login.header("Location") == "/accounts/login/?next=/secret/plans%3Fa%3D1%26b%3D2", "\(login.headers)")
            #expect(try await anonymous(["-H", "Accept: application/json", "\(base)/secret/plans"]).status == 401)

            try await GatewayPeople.checkDecisions(sessions, base: base)

            // The application's forms need no Gatehouse token; a cross-site form is still refused.
            let crossSite = try await alice(["-X", "POST", "-H", "Origin: https://evil.example", "--data-binary", "x=1", "\(base)/team/board"])
            #expect(crossSite.status == 403, "\(crossSite.body.prefix(200))")
            #expect(crossSite.body.contains("Origin checking failed"))
            let sameSite = try await alice(["-X", "POST", "-H", "Origin: \(base)", "-F", "file=@/etc/hostname", "\(base)/team/board"])
            #expect(sameSite.status == 200 && sameSite.body.contains("content-type: multipart/form-data"), "\(sameSite.body)")
            // The account pages still need the token.
            let logout = try await alice(["-X", "POST", "-H", "Origin: \(base)", "\(base)/accounts/logout/"])
            #expect(logout.status == 403, "a logout form without the token is refused")
        }
    }

    @Test("50 MB both ways and 200 MB chunked uploads stream in bounded memory; 1,000 concurrent requests all succeed")
    func streamingAndConcurrency() async throws {
        try await Self.withGateway(extraArguments: ["--max-body-size", String(Self.limit)]) { cli, _, server in
            let base = server.base
            let alice = Curl(jar: cli.workingDirectory.appending(path: "alice.jar"))
            try #require(try await alice.logIn(base, username: "alice", password: GatewayPeople.password).status == 302)
            let warm = try await alice(["\(base)/secret/warm"])
            try #require(warm.status == 200)
            let before = try #require(server.peakMemory)

            let file = cli.workingDirectory.appending(path: "upload.bin")
            try Data(repeating: 0x5a, count: Self.megabytes50).write(to: file)
            let upload = try await alice(
                ["-H", "Origin: \(base)", "-H", "Content-Type: application/octet-stream", "--data-binary", "@\(file.path)", "\(base)/secret/upload"],
                seconds: 120
            )
            #expect(upload.status == 200)
            #expect(upload.body.contains("body=\(Self.megabytes50)\n"), "the upstream got every byte: \(upload.body.suffix(200))")
            let downloaded = cli.workingDirectory.appending(path: "download.bin")
            let download = try await alice(["-o", downloaded.path, "\(base)/secret/download?bytes=\(Self.megabytes50)"], seconds: 120)
            #expect(download.status == 200)
            let size = try FileManager.default.attributesOfItem(atPath: downloaded.path)[.size] as? NSNumber
            #expect(size?.intValue == Self.megabytes50)
            let after = try #require(server.peakMemory)
            // Buffering either body would add at least 50 MB to the peak.
            #expect(after - before < 24 * 1024 * 1024, "peak memory grew by \((after - before) / 1024 / 1024) MB")
            print("gateway streaming: peak RSS \(before / 1024 / 1024) MB before, \(after / 1024 / 1024) MB after 50 MB up and 50 MB down")

            // A chunked upload comes in many small parts, which a fast upstream takes as quickly as
            // they arrive; without pacing (see UpstreamRequestBody) 200 MB grew the peak by 40 to
            // 100 MB when the upload's two connections were on different event loops. The server
            // and the proxy each take loops in turn, so a page request between uploads shifts
            // which loops meet: among as many uploads as there are loops (up to 4), one crosses. The
            // bound is on this phase alone (paced, it grows by 1 to 3 MB).
            let sparse = cli.workingDirectory.appending(path: "sparse.bin")
            try Self.sparseFile(sparse, size: Self.megabytes200)
            for _ in 0..<min(4, max(3, ProcessInfo.processInfo.activeProcessorCount)) {
                let chunked = try await alice(
                    ["-H", "Origin: \(base)", "-H", "Transfer-Encoding: chunked", "-X", "POST", "-T", sparse.path, "\(base)/secret/upload"],
                    seconds: 180
                )
                #expect(chunked.status == 200 && chunked.body.contains("body=\(Self.megabytes200)\n"), "chunked: \(chunked.body.suffix(200))")
                #expect(try await alice(["\(base)/accounts/login/"]).status == 200)
            }
            let afterChunked = try #require(server.peakMemory)
            #expect(afterChunked - after < 16 * 1024 * 1024, "chunked uploads grew the peak by \((afterChunked - after) / 1024 / 1024) MB")
            print("gateway streaming: peak RSS \(afterChunked / 1024 / 1024) MB after three or more 200 MB chunked uploads")

            // Past the limit: refused from the declared length, and from a chunked body's count.
            let tooBig = cli.workingDirectory.appending(path: "big.bin")
            try Self.sparseFile(tooBig, size: Self.limit + 1)
            let refused = try await alice(["-H", "Origin: \(base)", "-X", "POST", "-T", tooBig.path, "\(base)/secret/upload"], seconds: 120)
            #expect(refused.status == 413)
            let refusedChunked = try await alice(
                ["-H", "Origin: \(base)", "-H", "Transfer-Encoding: chunked", "-X", "POST", "-T", tooBig.path, "\(base)/secret/upload"],
                seconds: 120
            )
            #expect(refusedChunked.status == 413)

            // 1,000 concurrent requests, each on its own connection, each answered by the upstream
            // for alice.
            let session = try #require(alice.cookie("sessionid"))
            var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(60), read: .seconds(60)))
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1_000)
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let failures: [String]
            do {
                failures = try await withThrowingTaskGroup(of: String?.self) { group in
                    for index in 0..<1_000 {
                        group.addTask {
                            var request = HTTPClientRequest(url: "\(base)/secret/item/\(index)")
                            request.headers.add(name: "Cookie", value: "sessionid=\(session)")
                            do {
                                let response = try await client.execute(request, timeout: .seconds(120))
                                let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
                                guard response.status == .ok, body.contains("path=/secret/item/\(index)\n"),
                                    body.contains("x-gatehouse-user: alice\n")
                                else { return "\(index): \(response.status.code) \(body.prefix(200))" }
                                return nil
                            } catch {
                                return "\(index): \(error)"
                            }
                        }
                    }
                    var failures: [String] = []
                    for try await failure in group { if let failure { failures.append(failure) } }
                    return failures
                }
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
            #expect(failures.isEmpty, "\(failures.count) of 1,000 failed, e.g. \(failures.prefix(5))")
        }
    }

    @Test("an upstream that is slow gets 504, one that is down or cuts its body short 502, never a hang")
    func slowAndDownUpstream() async throws {
        try await Self.withGateway(extraArguments: ["--upstream-timeout", "1"]) { cli, upstream, server in
            let root = Curl(jar: cli.workingDirectory.appending(path: "root.jar"))
            try #require(try await root.logIn(server.base, username: "root", password: GatewayPeople.password).status == 302)
            let slow = try await root(["\(server.base)/slow?seconds=4"])
            #expect(slow.status == 504, "\(slow.body)")
            #expect(slow.body.contains("did not answer in time"))
            // A small body that stops halfway, or is cut short, is a clean 504 or 502, never a 200
            // with half a body.
            let stalled = try await root(["\(server.base)/stall?seconds=4"])
            #expect(stalled.status == 504, "\(stalled.status) \(stalled.body)")
            let short = try await root(["\(server.base)/short?declared=100&sent=10"])
            #expect(short.status == 502, "\(short.status) \(short.body)")
            let whole = try await root(["\(server.base)/echo"])
            #expect(whole.status == 200 && whole.body.contains("path=/echo"), "\(whole.status) \(whole.body)")
            upstream.peer.stop()
            let down = try await root(["\(server.base)/anything"])
            #expect(down.status == 502, "\(down.body)")
            #expect(server.process.isRunning)
        }
    }
}

// The README's three commands that put Gatehouse in front of an application, run as written (the
// application being the echo upstream, the superuser made without prompts).
@Suite("gateway: the README's quick start")
struct GatewayQuickStartTests {
    @Test func theThreeCommandsWork() async throws {
        let readme = try String(contentsOf: BrowserEndToEndTests.repositoryRoot.appending(path: "README.md"), encoding: .utf8)
        let commands = [
            "swift run gatehouse migrate",
            "swift run gatehouse createsuperuser",
            "swift run gatehouse serve --upstream http://127.0.0.1:3000 --policy examples/policy.yaml",
        ]
        for command in commands { #expect(readme.contains(command), "the README no longer says `\(command)`") }

        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let migrated = try await cli.run(["migrate"], withDatabase: false)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let created = try await cli.run(
            ["createsuperuser", "--username", "admin", "--email", "admin@example.com", "--no-input"],
            environment: ["GATEHOUSE_SUPERUSER_PASSWORD": GatewayPeople.password], withDatabase: false
        )
        #expect(created.status == 0, "\(created.stderr)")
        #expect(FileManager.default.fileExists(atPath: cli.workingDirectory.appending(path: "gatehouse.sqlite3").path))

        let policy = BrowserEndToEndTests.repositoryRoot.appending(path: "examples/policy.yaml").path
        let checked = try await cli.run(["policy", "check", policy], withDatabase: false)
        #expect(checked.status == 0 && checked.stdout.contains("valid"), "\(checked.stdout)\(checked.stderr)")

        let upstream = try await EchoUpstream.start(in: cli.workingDirectory)
        defer { upstream.peer.stop() }
        let server = try await ServeProcess.start(
            cli, ["--upstream", "http://127.0.0.1:\(upstream.port)", "--policy", policy], withDatabase: false
        )
        defer { server.stop() }
        let browser = Curl(jar: cli.workingDirectory.appending(path: "admin.jar"))
        let first = try await browser(["\(server.base)/"])
        #expect(first.status == 302 && first.header("Location") == "/accounts/login/?next=/", "\(first.headers)")
        #expect(try await browser(["\(server.base)/static/site.css"]).status == 200, "the example's public prefix")
        #expect(try await browser.logIn(server.base, username: "admin", password: GatewayPeople.password).status == 302)
        let home = try await browser(["\(server.base)/reports/2024/pdf"])
        #expect(home.status == 200 && home.body.contains("x-gatehouse-user: admin\n"), "\(home.body)")
    }
}
