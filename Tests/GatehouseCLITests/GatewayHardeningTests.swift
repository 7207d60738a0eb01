import AsyncHTTPClient
import Foundation
import GatehouseTestSupport
import NIOCore
import NIOHTTP1
import Testing

// Issue 13's attacks, run against the real `gatehouse serve` binary (and Python's echo upstream),
// as an attacker would: every spelling of a header, every encoding of a path, slow peers, floods.
// (Plain comments: Swift Testing would repeat a doc comment under every failure.)
@Suite("gateway hardening: the binary against hostile clients and upstreams", .serialized)
struct GatewayHardeningTests {
    /// Raw HTTP through scripts/gateway/raw_http.py; returns its JSON.
    static func raw(_ arguments: [String], in directory: URL) async throws -> [String: Any] {
        let script = BrowserEndToEndTests.repositoryRoot.appending(path: "scripts/gateway/raw_http.py").path
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        process.currentDirectoryURL = directory
        let data = try await PeerProcess.output(of: process)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try #require(object, "raw_http.py printed: \(String(decoding: data, as: UTF8.self))")
    }

    /// Sends `request` (raw bytes) to `port`.
    static func send(_ request: String, port: Int, in directory: URL) async throws -> [String: Any] {
        let file = directory.appending(path: "request-\(UUID().uuidString).txt")
        try Data(request.utf8).write(to: file)
        return try await raw(["send", "--port", String(port), "--request-file", file.path, "--seconds", "10"], in: directory)
    }

    @Test("every spelling of an identity or forwarding header is dropped; Gatehouse's cookies cannot be set by the application")
    func headersAndCookies() async throws {
        try await GatewayProxyPeersTests.withGateway { cli, _, server in
            let base = server.base
            let sessions = try await GatewayPeople.sessions(cli, base: base)
            let alice = try #require(sessions["alice"])
            let anonymous = try #require(sessions[nil])
            let spoof = [
                "X_Gatehouse_User: spoofed-root", "X-Gatehouse_User-Id: 999", "X_Gatehouse_Groups: spoofed-admins",
                "x-gatehouse-user: spoofed-root", "X_GATEHOUSE_USER: spoofed-root", "Forwarded: for=6.6.6.6;host=evil.example",
                "X-Real-IP: 6.6.6.6", "X_Real_IP: 6.6.6.6", "X-Original-URL: /closed/", "X-Rewrite-URL: /closed/",
                "X-HTTP-Method-Override: DELETE", "X_Forwarded_For: 6.6.6.6", "X-Forwarded-Host: evil.example",
            ].flatMap { ["-H", $0] }
            for (who, curl, path) in [("alice", alice, "/secret/plans"), ("anonymous", anonymous, "/static/app.css")] {
                let seen = try await curl(spoof + ["\(base)\(path)"])
                #expect(seen.status == 200, "\(who): \(seen.body)")
                for forbidden in ["spoofed", "999", "6.6.6.6", "evil.example", "/closed/", "DELETE", "x_gatehouse", "x-real-ip", "x-original-url"] {
                    #expect(!seen.body.lowercased().contains(forbidden.lowercased()), "\(who): \(forbidden) reached the upstream: \(seen.body)")
                }
                #expect(seen.body.contains("forwarded: for=127.0.0.1;proto=http;host=\"127.0.0.1:\(server.port)\"\n"), "\(seen.body)")
                #expect(seen.body.contains("x-gatehouse-user: alice\n") == (who == "alice"))
            }
            // The application tries to replace Gatehouse's cookies: removed, alice stays logged in.
            let key = try #require(alice.cookie("sessionid"))
            let set = try await alice(["-b", "lang=en", "\(base)/static/set-cookie?sessionid=stolen&csrftoken=fixed&theme=dark"])
            #expect(set.status == 200)
            let cookies = set.headers.filter { $0.name.lowercased() == "set-cookie" }.map(\.value)
            #expect(cookies == ["theme=dark; Path=/"], "\(cookies)")
            #expect(alice.cookie("sessionid") == key)
            #expect(alice.cookie("csrftoken") != "fixed")
            #expect(try await alice(["\(base)/secret/plans"]).status == 200, "still logged in")
            #expect(server.log.text.contains("upstream Set-Cookie for a Gatehouse cookie removed"))
            // A nameless cookie (browsers send `=sessionid=x` back as `sessionid=x`), and Clear-Site-Data.
            let nameless = try await alice(["\(base)/static/set-cookie?=sessionid%3Devil"])
            #expect(!nameless.headers.contains { $0.name.lowercased() == "set-cookie" }, "\(nameless.headers)")
            let cleared = try await alice(["\(base)/static/clear-site-data"])
            #expect(cleared.status == 200 && cleared.header("Clear-Site-Data") == nil)
            #expect(alice.cookie("sessionid") == key)
            let cookieLines = set.body.split(separator: "\n").filter { $0.hasPrefix("cookie:") }
            #expect(!cookieLines.isEmpty && cookieLines.allSatisfy { !$0.contains("csrftoken") && !$0.contains("sessionid") }, "\(set.body)")
            // Security headers on Gatehouse's pages, not on the application's.
            let login = try await anonymous(["\(base)/accounts/login/"])
            #expect(login.header("X-Frame-Options") == "DENY")
            #expect(login.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(login.header("X-Content-Type-Options") == "nosniff" && login.header("Referrer-Policy") == "same-origin")
            #expect(login.header("Cross-Origin-Opener-Policy") == "same-origin")
            #expect(login.header("Strict-Transport-Security") == nil, "no HSTS without --https")
            let denied = try await alice(["\(base)/closed/"])
            #expect(denied.status == 403 && denied.header("X-Frame-Options") == "DENY")
            #expect(denied.body.contains(#"<a href="/">Home</a>"#) && denied.body.contains(#"<a href="/accounts/login/">Log in as someone else</a>"#), "a way back")
            let profile = try await alice(["\(base)/accounts/profile/"])
            #expect(profile.body.contains("<dt>Superuser</dt><dd>no</dd>"), "\(profile.body)")
            #expect(set.header("X-Frame-Options") == nil && set.header("Content-Security-Policy") == nil, "the application's response as it was")
            // A hostile next= cannot leave its attribute.
            let hostile = try await anonymous(["\(base)/accounts/login/?next=x%22%CC%B8%20onclick%3Dalert(1)"])
            let raw = "\"\u{338} onclick", escaped = "x&quot;\u{338} onclick=alert(1)"
            #expect(!hostile.body.contains(raw) && hostile.body.contains(escaped))
        }
    }

    @Test("renamed cookies and identity headers, HSTS with --https")
    func renamedCookiesAndHeaders() async throws {
        try await GatewayProxyPeersTests.withGateway(extraArguments: [
            "--session-cookie-name", "gh_session", "--csrf-cookie-name", "gh_csrf", "--user-header", "Remote-User",
            "--https", "--hsts-seconds", "600",
        ]) { cli, _, server in
            // --https makes cookies Secure: curl keeps them for an http URL only with the jar edited, so log in by hand.
            let curl = Curl(jar: cli.workingDirectory.appending(path: "renamed.jar"))
            let page = try await curl(["\(server.base)/accounts/login/"])
            #expect(page.header("Strict-Transport-Security") == "max-age=600")
            let setCookie = page.headers.filter { $0.name.lowercased() == "set-cookie" }.map(\.value)
            #expect(setCookie.contains { $0.hasPrefix("gh_csrf=") && $0.contains("Secure") }, "\(setCookie)")
            // The application keeps a `sessionid` of its own.
            let own = try await curl(["-b", "sessionid=the-apps-own", "-H", "X-Forwarded-Proto: https", "\(server.base)/static/set-cookie?sessionid=app"])
            #expect(own.status == 200)
            #expect(own.body.contains("sessionid=the-apps-own"), "\(own.body)")
            #expect(own.headers.contains { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("sessionid=app") })
            let spoofed = try await curl(["-H", "Remote_User: root", "-H", "X_Gatehouse_User: root", "\(server.base)/static/x"])
            #expect(!spoofed.body.contains("root"), "\(spoofed.body)")
        }
    }

    @Test("every row of the path table, through the proxy: decided on the decoded path, forwarded as sent")
    func pathTable() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        #expect(try await cli.run(["migrate"]).status == 0)
        let policy = cli.workingDirectory.appending(path: "paths.yaml")
        try PathModelCases.policy.write(to: policy, atomically: true, encoding: .utf8)
        let upstream = try await EchoUpstream.start(in: cli.workingDirectory)
        defer { upstream.peer.stop() }
        let server = try await ServeProcess.start(cli, ["--policy", policy.path, "--upstream", "http://127.0.0.1:\(upstream.port)"])
        defer { server.stop() }
        let curl = Curl(jar: cli.workingDirectory.appending(path: "paths.jar"))
        for row in PathModelCases.rows {
            // curl drops a fragment and will not send a raw space: those rows go as raw bytes.
            let answer: Curl.Result
            if row.path.contains("#") || row.path.contains(" ") {
                let raw = try await Self.send(
                    "GET \(row.path) HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nConnection: close\r\n\r\n", port: server.port,
                    in: cli.workingDirectory
                )
                answer = Curl.Result(status: raw["status"] as? Int ?? 0, headers: [], body: raw["body"] as? String ?? "")
            } else {
                answer = try await curl(["--globoff", "--path-as-is", "\(server.base)\(row.path)"])
            }
            let expected =
                switch row.outcome {
                case .allowed: 200
                case .loginRequired: 302
                case .forbidden: 403
                case .refused: 400
                }
            #expect(answer.status == expected, "\(row.path) (\(row.note)): \(answer.status)")
            if row.outcome == .allowed {
                // Forwarded as the client sent it; raw query bytes that URL parsers disagree on are escaped.
                // A fragment (after #) is never sent on.
                let sent = String(row.path.prefix { $0 != "#" }).replacingOccurrences(of: "{", with: "%7B")
                    .replacingOccurrences(of: "|", with: "%7C").replacingOccurrences(of: "}", with: "%7D")
                #expect(answer.body.contains("path=\(sent)\n"), "\(row.path): \(answer.body.prefix(80))")
            }
        }
        // Gatehouse's own paths reach the application under no spelling.
        for path in ["/ACCOUNTS/LOGIN/", "/%61ccounts/login/", "/accounts//login/", "/_gatehouse/x", "/_GATEHOUSE/auth/x", "/accounts/settings"] {
            let answer = try await curl(["--path-as-is", "\(server.base)\(path)"])
            #expect([200, 404].contains(answer.status) && !answer.body.contains("path="), "\(path): \(answer.status) \(answer.body.prefix(80))")
        }
        for path in ["/accounts/./login/", "/accounts/x/../login/", "/accounts/../admin/"] {
            #expect(try await curl(["--path-as-is", "\(server.base)\(path)"]).status == 400, "\(path): dot segments are refused")
        }

    }

    @Test("requests stuck on a slow upstream route do not fail requests to other routes")
    func slowRouteQueueing() async throws {
        try await GatewayProxyPeersTests.withGateway(extraArguments: ["--upstream-connections", "8", "--upstream-timeout", "6"]) { _, _, server in
            // Clients of the test's own with room for every request (AsyncHTTPClient keeps 8 per host by default).
            var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(30)))
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 200)
            let client = HTTPClient(configuration: configuration)
            let other = HTTPClient(configuration: configuration)
            defer {
                _ = client.shutdown()
                _ = other.shutdown()
            }
            let slow = Task {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<100 {
                        group.addTask {
                            let request = HTTPClientRequest(url: "\(server.base)/static/slow?seconds=3&i=\(index)")
                            let response = try await client.execute(request, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            return Int(response.status.code)
                        }
                    }
                    var statuses: [Int] = []
                    for try await status in group { statuses.append(status) }
                    return statuses
                }
            }
            // While they are stuck: every other request is answered promptly.
            var slowest: Duration = .zero
            for index in 0..<20 {
                let started = ContinuousClock.now
                let response = try await other.execute(HTTPClientRequest(url: "\(server.base)/static/fast?i=\(index)"), timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 20)
                #expect(response.status.code == 200, "request \(index) to another route: \(response.status)")
                slowest = max(slowest, ContinuousClock.now - started)
            }
            // One that waited for a connection held by a slow request would take its 3 s; 2.5 s leaves room
            // for a loaded machine (2.07 s was seen with three builds beside the test) and still tells them apart.
            #expect(slowest < .milliseconds(2_500), "the slowest other request took \(slowest)")
            let statuses = try await slow.value
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 503 }, "stuck requests get the page or 503 once their wait is over: \(Set(statuses))")
            #expect(statuses.contains(200))
            #expect(!server.log.text.contains("upstream unreachable"))
        }
    }

    @Test("idle and half-sent connections are closed; a flood under a low open-file limit does not stop the server")
    func idleConnectionFlood() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        #expect(try await cli.run(["migrate"]).status == 0)
        let server = try await ServeProcess.start(
            cli, ["--header-timeout", "2", "--idle-timeout", "30"], openFileLimit: 320
        )
        defer { server.stop() }
        let result = try await Self.raw(["flood", "--port", String(server.port), "--connections", "150", "--seconds", "20"], in: cli.workingDirectory)
        #expect(result["before"] as? Int == 200)
        #expect(result["during"] as? Int == 200, "a connection the server already has keeps being served: \(result)")
        #expect(result["fresh"] as? Int == 200, "a new client is served once idle ones are closed: \(result)")
        let opened = result["opened"] as? Int ?? 0
        #expect(opened > 0 && result["closed"] as? Int == opened, "every idle or half-sent connection was closed: \(result)")
        #expect(server.process.isRunning)
    }

    @Test("malformed bodies, 100-continue, HEAD, Host, file modes and database URLs")
    func smallerPoints() async throws {
        try await GatewayProxyPeersTests.withGateway { cli, _, server in
            let directory = cli.workingDirectory
            let badChunk = "POST /static/x HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nOrigin: \(server.base)\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"
            let chunked = try await Self.send(badChunk, port: server.port, in: directory)
            #expect(chunked["status"] as? Int == 400, "\(chunked)")
            // A denied upload is not read to its end: the connection closes after the answer.
            let denied = try await Self.send(
                "POST /secret/x HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nOrigin: \(server.base)\r\nContent-Length: 1000000000\r\n\r\nabc",
                port: server.port, in: directory
            )
            #expect(denied["status"] as? Int == 302 && denied["closed"] as? Bool == true, "\(denied["status"] ?? "?") \(denied["closed"] ?? "?")")
            let noHost = try await Self.send("GET /accounts/login/ HTTP/1.1\r\n\r\n", port: server.port, in: directory)
            #expect(noHost["status"] as? Int == 400, "\(noHost)")
            let twoHosts = try await Self.send("GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n", port: server.port, in: directory)
            #expect(twoHosts["status"] as? Int == 400, "\(twoHosts)")
            let badHost = try await Self.send("GET /accounts/login/ HTTP/1.1\r\nHost: \"><script>\r\n\r\n", port: server.port, in: directory)
            #expect(badHost["status"] as? Int == 400, "\(badHost)")
            // `Connection: keep-alive, close` closes after the response (not 75 s later).
            let closing = try await Self.send(
                "GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive, close\r\n\r\n", port: server.port, in: directory
            )
            #expect(closing["status"] as? Int == 200 && closing["closed"] as? Bool == true, "\(closing["status"] ?? "?")")
            let oneHost = try await Self.send("GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", port: server.port, in: directory)
            #expect(oneHost["status"] as? Int == 200, "\(oneHost)")

            let curl = Curl(jar: directory.appending(path: "small.jar"))
            let head = try await curl(["-I", "\(server.base)/accounts/login/"])
            #expect(head.status == 200 && head.header("Content-Type")?.hasPrefix("text/html") == true)
            let started = ContinuousClock.now
            let upload = try await curl([
                "-H", "Expect: 100-continue", "--expect100-timeout", "10", "-H", "Origin: \(server.base)", "--data-binary", "x=1",
                "\(server.base)/static/upload",
            ])
            #expect(upload.status == 200 && upload.body.contains("body=3"), "\(upload.body)")
            #expect(ContinuousClock.now - started < .seconds(5), "the body went at once, not after curl's expect timeout")

            let attributes = try FileManager.default.attributesOfItem(atPath: directory.appending(path: "cli.sqlite3").path)
            #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0, "no access for group or others: \(attributes[.posixPermissions] ?? "?")")
        }
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let nul = try await cli.run(["migrate", "--database", "sqlite:///gh%00x.sqlite3"], withDatabase: false)
        #expect(nul.status != 0 && nul.stderr.contains("NUL"), "\(nul.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.workingDirectory.appending(path: "gh").path))
    }

    @Test("a database file deleted while serving is reported: readiness fails and the log says so")
    func deletedDatabaseFile() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        #expect(try await cli.run(["migrate"]).status == 0)
        let server = try await ServeProcess.start(cli, [])
        defer { server.stop() }
        let curl = Curl(jar: cli.workingDirectory.appending(path: "ready.jar"))
        #expect(try await curl(["\(server.base)/_gatehouse/health"]).status == 200)
        #expect(try await curl(["\(server.base)/_gatehouse/ready"]).status == 200)
        try FileManager.default.removeItem(at: cli.workingDirectory.appending(path: "cli.sqlite3"))
        #expect(try await curl(["\(server.base)/_gatehouse/ready"]).status == 503)
        #expect(try await curl(["\(server.base)/_gatehouse/health"]).status == 200, "the process itself is up")
        var logged = false
        for _ in 0..<200 where !logged {  // waiting for the watch (every 2 s) to notice, not for time to pass
            logged = server.log.text.contains("the database file was deleted or replaced while serving")
            if !logged { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(logged, "\(server.log.text.suffix(500))")
    }

    @Test("a client that stalls its upload past the upstream timeout cannot crash the gateway")
    func stalledUploadAfterTimeout() async throws {
        try await GatewayProxyPeersTests.withGateway(extraArguments: ["--upstream-timeout", "2", "--body-timeout", "4"]) { cli, _, server in
            let directory = cli.workingDirectory
            for framing in ["Content-Length: 10\r\n\r\nx", "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n"] {
                // 1 byte of the body, then nothing: the upstream (/slow) outlasts the timeout.
                let stalled = try await Self.send(
                    "POST /static/slow?seconds=4 HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nOrigin: \(server.base)\r\n\(framing)",
                    port: server.port, in: directory
                )
                #expect([0, 504].contains(stalled["status"] as? Int ?? -1), "\(stalled)")
                #expect(server.process.isRunning, "the gateway survived (\(framing.prefix(20)))")
                let curl = Curl(jar: directory.appending(path: "after.jar"))
                #expect(try await curl(["\(server.base)/static/after"]).status == 200)
            }
            #expect(!server.log.text.contains("Fatal error"))
        }
    }
}
