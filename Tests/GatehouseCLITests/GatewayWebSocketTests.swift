import Foundation
import GatehouseTestSupport
import Testing

// WebSockets through `gatehouse serve --upstream --policy`: a Python `websockets` echo server behind
// it and a Python `websockets` client in front (scripts/gateway/ws_peer.py), from the Django venv
// (GATEHOUSE_TEST_DJANGO_PYTHON; scripts/django/requirements.txt has websockets).
@Suite("gateway: WebSockets through the reverse proxy", .serialized)
struct GatewayWebSocketTests {
    static let script = BrowserEndToEndTests.repositoryRoot.appending(path: "scripts/gateway/ws_peer.py").path
    static let limit = 4096

    /// The Python echo server; `events` holds one JSON line per handshake and per closed socket.
    struct Upstream {
        let peer: PeerProcess
        let port: Int
        let events: URL

        static func start(_ python: String, in directory: URL, hostile: String? = nil) async throws -> Upstream {
            let name = hostile.map { "ws-\($0)" } ?? "ws-upstream"
            let portFile = directory.appending(path: "\(name).port")
            let events = directory.appending(path: "ws-events.jsonl")
            let peer = try PeerProcess(
                python, [script, "serve", "--port-file", portFile.path, "--events", events.path] + (hostile.map { ["--hostile", $0] } ?? []),
                directory: directory, name: name
            )
            guard let text = await PeerProcess.waitForFile(portFile, seconds: 30), let port = Int(text) else {
                peer.stop()
                throw PeerFailure("the WebSocket upstream did not start: \(peer.log)")
            }
            return Upstream(peer: peer, port: port, events: events)
        }

        /// The events so far, as JSON objects.
        var records: [[String: Any]] {
            let text = (try? String(contentsOf: events, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        /// Waits (for the upstream, not for time to pass) until an event satisfies `match`.
        func waitFor(seconds: Int = 20, _ match: ([String: Any]) -> Bool) async -> [String: Any]? {
            for _ in 0..<(seconds * 20) {
                if let found = records.first(where: match) { return found }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }
    }

    /// Runs the Python client; returns its JSON answer.
    static func client(_ python: String, _ url: String, _ arguments: [String]) async throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(filePath: python)
        process.arguments = [script, "client", url] + arguments
        let data = try await PeerProcess.output(of: process)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PeerFailure("no answer from the client: \(String(decoding: data, as: UTF8.self))")
        }
        return object
    }

    static func withGateway(
        upstreamPort: Int? = nil,
        extraArguments: [String] = [],
        _ body: (String, CLIRunner, Upstream, ServeProcess) async throws -> Void
    ) async throws {
        let python = try #require(AiosmtpdServer.python)
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let policy = try await GatewayPeople.make(cli)
        let upstream = try await Upstream.start(python, in: cli.workingDirectory)
        defer { upstream.peer.stop() }
        let server = try await ServeProcess.start(
            cli,
            [
                "--policy", policy, "--upstream", "http://127.0.0.1:\(upstreamPort ?? upstream.port)", "--upstream-timeout", "10",
                "--websocket-max-message", String(limit),
            ] + extraArguments
        )
        defer { server.stop() }
        try await body(python, cli, upstream, server)
        #expect(!server.log.text.contains(GatewayPeople.password), "no password in the log")
    }

    @Test(
        "an allowed user's messages echo; the upstream sees the identity headers, Origin, no session cookie and no spoofed header",
        .enabled(if: AiosmtpdServer.python != nil, AiosmtpdServer.skipReason)
    )
    func allowedUserEchoes() async throws {
        try await Self.withGateway { python, cli, upstream, server in
            let alice = Curl(jar: cli.workingDirectory.appending(path: "alice.jar"))
            let login = try await alice.logIn(server.base, username: "alice", password: GatewayPeople.password)
            try #require(login.status == 302)
            let session = try #require(alice.cookie("sessionid"))
            let ws = "ws://127.0.0.1:\(server.port)"
            let answer = try await Self.client(python, "\(ws)/team/socket?room=1", [
                "--header", "Cookie: sessionid=\(session); theme=dark",
                "--header", "Origin: \(server.base)",
                "--header", "X-Gatehouse-User: root", "--header", "X_Gatehouse_Groups: admins",
                "--header", "X-Forwarded-For: 6.6.6.6", "--header", "Forwarded: for=6.6.6.6", "--header", "Remote-User: root",
                "--send", "hello", "--send", "zoë", "--close",
            ])
            #expect(answer["opened"] as? Bool == true, "\(answer)")
            #expect(answer["echo"] as? [String] == ["hello", "zoë"], "\(answer)")
            #expect(answer["close_code"] as? Int == 1000, "\(answer)")

            let open = try #require(await upstream.waitFor { $0["event"] as? String == "open" })
            #expect(open["path"] as? String == "/team/socket?room=1")
            let headers = (open["headers"] as? [[String]] ?? []).map { ($0[0], $0[1]) }
            func values(_ name: String) -> [String] { headers.filter { $0.0 == name }.map(\.1) }
            #expect(values("x-gatehouse-user") == ["alice"], "\(headers)")
            #expect(values("x-gatehouse-groups") == ["editors"], "\(headers)")
            #expect(values("x-forwarded-for") == ["127.0.0.1"], "\(headers)")
            #expect(values("origin") == [server.base], "Origin is passed on for the application to check")
            #expect(values("cookie") == ["theme=dark"], "the session cookie never reaches the upstream: \(headers)")
            #expect(values("sec-websocket-extensions").isEmpty, "no extension is negotiated through the relay")
            let all = headers.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
            #expect(!all.contains("root") && !all.contains("admins") && !all.contains("6.6.6.6") && !all.contains(session), "\(all)")
            // Closing the client's side closed the application's.
            let closed = await upstream.waitFor { $0["event"] as? String == "closed" }
            #expect(closed?["code"] as? Int == 1000, "\(String(describing: closed))")
        }
    }

    @Test(
        "anonymous and forbidden upgrade requests get the usual answers and are never upgraded",
        .enabled(if: AiosmtpdServer.python != nil, AiosmtpdServer.skipReason)
    )
    func refusedUpgrades() async throws {
        try await Self.withGateway { python, cli, upstream, server in
            let ws = "ws://127.0.0.1:\(server.port)"
            // The handshake as curl sends it, to see the 302 itself (the Python client follows it to
            // the login page, which is not upgraded either).
            let handshake = ["-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
                             "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]
            let curl = Curl(jar: cli.workingDirectory.appending(path: "anonymous.jar"))
            let redirected = try await curl(handshake + ["\(server.base)/team/socket"])
            #expect(redirected.status == 302, "\(redirected.status) \(redirected.headers)")
            #expect(redirected.header("Location")?.hasPrefix("/accounts/login/?next=/team/socket") == true, "\(redirected.headers)")
            #expect(redirected.header("Upgrade") == nil)
            let anonymous = try await Self.client(python, "\(ws)/team/socket", ["--send", "x"])
            #expect(anonymous["opened"] == nil && anonymous["status"] as? Int == 200, "the login page, not upgraded: \(anonymous)")
            let api = try await Self.client(python, "\(ws)/team/socket", ["--header", "Accept: application/json", "--send", "x"])
            #expect(api["status"] as? Int == 401, "\(api)")

            let bob = Curl(jar: cli.workingDirectory.appending(path: "bob.jar"))
            #expect(try await bob.logIn(server.base, username: "bob", password: GatewayPeople.password).status == 302)
            let session = try #require(bob.cookie("sessionid"))
            let forbidden = try await Self.client(python, "\(ws)/team/socket", ["--header", "Cookie: sessionid=\(session)", "--send", "x"])
            #expect(forbidden["status"] as? Int == 403, "\(forbidden)")
            let closed = try await Self.client(python, "\(ws)/closed/socket", ["--header", "Cookie: sessionid=\(session)", "--send", "x"])
            #expect(closed["status"] as? Int == 403, "\(closed)")
            // Allowed for bob (the default: authenticated), so the upstream's first handshake is this one.
            let allowed = try await Self.client(python, "\(ws)/elsewhere", ["--header", "Cookie: sessionid=\(session)", "--send", "ok", "--close"])
            #expect(allowed["echo"] as? [String] == ["ok"], "\(allowed)")
            let opens = upstream.records.filter { $0["event"] as? String == "open" }
            #expect(opens.count == 1 && opens.first?["path"] as? String == "/elsewhere", "refused requests never reach the upstream: \(opens)")
        }
    }

    @Test(
        "a message beyond --websocket-max-message closes both sides with 1009; the upstream closing closes the client",
        .enabled(if: AiosmtpdServer.python != nil, AiosmtpdServer.skipReason)
    )
    func limitsAndClosing() async throws {
        try await Self.withGateway { python, _, upstream, server in
            let ws = "ws://127.0.0.1:\(server.port)"
            // /static/ is public: no login needed. The client offers permessage-deflate; the relay
            // negotiates none, so the limit counts the bytes as sent.
            let small = try await Self.client(python, "\(ws)/static/socket", ["--send-size", String(Self.limit), "--close"])
            #expect((small["echo"] as? [String])?.first?.count == Self.limit, "a message at the limit passes: \(small.keys)")
            let large = try await Self.client(python, "\(ws)/static/large", ["--send-size", String(Self.limit + 1)])
            #expect(large["close_code"] as? Int == 1009, "\(large)")
            let upstreamClosed = await upstream.waitFor { $0["event"] as? String == "closed" && $0["path"] as? String == "/static/large" }
            #expect(upstreamClosed != nil, "the upstream's side is closed too")

            // The application closes (code 4000): the close frame reaches the client as sent.
            let byUpstream = try await Self.client(python, "\(ws)/static/bye", ["--send", "close-please"])
            #expect(byUpstream["close_code"] as? Int == 4000, "\(byUpstream)")
        }
    }

    @Test(
        "an idle socket is closed after --websocket-idle-timeout, with 1001, on both sides",
        .enabled(if: AiosmtpdServer.python != nil, AiosmtpdServer.skipReason)
    )
    func idleSocketsClose() async throws {
        try await Self.withGateway(extraArguments: ["--websocket-idle-timeout", "1"]) { python, _, upstream, server in
            // The client sends one message, then waits up to 20 s for anything: the gateway closes
            // the quiet socket after 1 s (waiting for the gateway, not for time to pass).
            let answer = try await Self.client(python, "ws://127.0.0.1:\(server.port)/static/quiet", ["--send", "one"])
            #expect(answer["echo"] as? [String] == ["one"], "\(answer)")
            #expect(answer["close_code"] as? Int == 1001, "\(answer)")
            #expect(answer["still_open"] == nil, "\(answer)")
            let closed = await upstream.waitFor { $0["event"] as? String == "closed" && $0["path"] as? String == "/static/quiet" }
            #expect(closed != nil, "the upstream's side is closed too")
        }
    }

    @Test(
        "an upstream that is down gets 502, one that never answers the handshake 504, one that answers 200 502: before any upgrade",
        .enabled(if: AiosmtpdServer.python != nil, AiosmtpdServer.skipReason)
    )
    func upstreamDown() async throws {
        // Port 9 (discard) on the loopback: nothing listens there.
        try await Self.withGateway(upstreamPort: 9) { python, _, _, server in
            let answer = try await Self.client(python, "ws://127.0.0.1:\(server.port)/static/socket", ["--send", "x"])
            #expect(answer["status"] as? Int == 502, "\(answer)")
        }
        let python = try #require(AiosmtpdServer.python)
        let directory = FileManager.default.temporaryDirectory.appending(path: "gatehouse-ws-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let silent = try await Upstream.start(python, in: directory, hostile: "silent")
        defer { silent.peer.stop() }
        let plain = try await Upstream.start(python, in: directory, hostile: "plain")
        defer { plain.peer.stop() }
        // --upstream-timeout is 10 s in withGateway: the silent one answers 504 within it.
        try await Self.withGateway(upstreamPort: silent.port) { python, _, _, server in
            let started = ContinuousClock.now
            let answer = try await Self.client(python, "ws://127.0.0.1:\(server.port)/static/socket", ["--send", "x"])
            #expect(answer["status"] as? Int == 504, "\(answer)")
            #expect(ContinuousClock.now - started < .seconds(19), "within the timeout, not the client's 20 s")
        }
        try await Self.withGateway(upstreamPort: plain.port) { python, _, _, server in
            let answer = try await Self.client(python, "ws://127.0.0.1:\(server.port)/static/socket", ["--send", "x"])
            #expect(answer["status"] as? Int == 502, "\(answer)")
            #expect(server.process.isRunning)
        }
    }
}
