import Foundation
@testable import GatehouseCLI
import GatehouseHummingbird
import Logging
import Synchronization
import Testing

/// `serve --log-format json` and `--log-level`, through the real binary, and the JSON lines themselves.
@Suite("serve: log format, level and the access line")
struct ServeLoggingTests {
    static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any], "not an object: \(line)")
        }
    }

    @Test func jsonLogsAreOneObjectPerLineWithTheAccessLine() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        let server = try await ServeProcess.start(cli, ["--log-format", "json"])
        defer { server.stop() }
        let curl = Curl(jar: cli.workingDirectory.appending(path: "log.jar"))
        #expect(try await curl(["\(server.base)/accounts/login/?next=/reports/&token=s3cr3t"]).status == 200)
        _ = try await curl(["\(server.base)/accounts/reset/MQ/cdp3x4-5f1e2a9b8c7d6e5f4a3b2c1d0e9f8a7b/"])
        #expect(try await curl(["\(server.base)/_gatehouse/health"]).status == 200)
        server.stop()
        let lines = try Self.objects(server.log.text)
        #expect(lines.count >= 3)
        for line in lines {
            #expect(line["timestamp"] is String && line["level"] is String && line["message"] is String && line["label"] is String, "\(line)")
        }
        let access = lines.filter { $0["message"] as? String == "request" }
        let login = try #require(access.first { ($0["path"] as? String)?.hasPrefix("/accounts/login/") == true })
        #expect(login["path"] as? String == "/accounts/login/?next=/reports/&token=[redacted]")
        #expect(login["method"] as? String == "GET" && login["status"] as? String == "200" && login["client"] as? String == "127.0.0.1")
        #expect(login["level"] as? String == "info" && login["label"] as? String != nil)
        #expect(access.contains { $0["path"] as? String == "/accounts/reset/MQ/[redacted]/" })
        #expect(!access.contains { ($0["path"] as? String)?.hasPrefix("/_gatehouse/") == true }, "probes are not logged")
        #expect(!server.log.text.contains("s3cr3t") && !server.log.text.contains("5f1e2a9b8c7d6e5f4a3b2c1d0e9f8a7b"))
        #expect(access.count == Set(access.map { "\($0["path"] ?? "")" }).count, "one line per request (Hummingbird's own is not added)")
    }

    /// `serve` runs its tasks on SwiftNIO's event loops (`EventLoopExecutor`) unless
    /// `GATEHOUSE_EXECUTOR=swift`, in any case; either way it serves, and its start line says which.
    @Test func tasksRunOnTheEventLoopsUnlessTheEnvironmentSaysSwift() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        for (setting, expected) in [(nil, "executor=event-loops"), ("swift", "executor=swift"), ("Swift", "executor=swift")] as [(String?, String)] {
            var environment = ProcessInfo.processInfo.environment
            environment["GATEHOUSE_EXECUTOR"] = setting
            let server = try await ServeProcess.start(cli, [], environment: environment)
            defer { server.stop() }
            let curl = Curl(jar: cli.workingDirectory.appending(path: "executor.jar"))
            #expect(try await curl(["\(server.base)/accounts/login/"]).status == 200)
            #expect(try await curl(["\(server.base)/accounts/profile/"]).status == 302, "a protected page still asks for a login")
            server.stop()
            let start = try #require(server.log.text.split(separator: "\n").first { $0.contains("serving ") })
            #expect(start.contains(expected), "\(setting ?? "unset"): \(start)")
        }
    }

    @Test func theLevelComesFromTheFlagOrTheEnvironment() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        var environment = ProcessInfo.processInfo.environment
        environment["GATEHOUSE_SECRET_KEY"] = "logging-secret-0123456789abcdefghijklmnopqrs"
        environment["GATEHOUSE_LOG_LEVEL"] = "warning"
        environment["GATEHOUSE_LOG_FORMAT"] = "JSON"
        let server = try await ServeProcess.start(cli, ["--log-level", "info"], environment: environment)
        let curl = Curl(jar: cli.workingDirectory.appending(path: "level.jar"))
        _ = try await curl(["\(server.base)/accounts/login/"])
        server.stop()
        let lines = try Self.objects(server.log.text)
        #expect(lines.contains { $0["message"] as? String == "request" }, "the flag (info) wins over the environment (warning)")
        let bad = try await cli.run(["serve", "--log-level", "loud"])
        #expect(bad.status != 0 && bad.stderr.contains("--log-level must be one of trace, debug, info"), "\(bad.stderr)")
        let badFormat = try await cli.run(["serve", "--log-format", "xml"])
        #expect(badFormat.status != 0 && badFormat.stderr.contains("text") && badFormat.stderr.contains("json"), "\(badFormat.stderr)")
    }

    @Test func aValueCannotBreakTheLineOrTheObject() throws {
        let line = JSONLogHandler.line(
            timestamp: Date(timeIntervalSince1970: 1_800_000_000.25), level: .notice, label: "gatehouse.test", message: "a\nb\"c\\d\u{7}\u{2028}",
            metadata: ["username": "eve\r\n{\"level\":\"critical\"}", "message": "collides", "list": .array(["x", .dictionary(["k": "v"])])]
        )
        #expect(!line.contains("\n") && !line.contains("\r") && !line.contains("\u{2028}"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "a\nb\"c\\d\u{7}\u{2028}")
        #expect(object["username"] as? String == "eve\r\n{\"level\":\"critical\"}" && object["level"] as? String == "notice")
        #expect(object["field_message"] as? String == "collides")
        #expect(object["timestamp"] as? String == "2027-01-15T08:00:00.250Z")
        #expect((object["list"] as? [Any])?.count == 2)
    }

    /// The text line is swift-log's `StreamLogHandler` line (fields sorted, the source module in
    /// brackets), except that control characters cannot start a line of their own.
    @Test func textLinesAreSwiftLogsFormatWithControlCharactersEscaped() throws {
        let line = String(decoding: TextLogHandler.line(
            timestamp: "2026-12-07T08:39:20+0000", level: .info, label: "gatehouse.serve",
            metadata: ["status": "200", "path": "/a\nb", "list": .array(["x", "y"]), "user": "eve\r\n2026-12-07T08:39:21+0000 critical forged\u{1B}[31m"],
            source: "GatehouseHummingbird", message: "request"
        ), as: UTF8.self)
        #expect(line == "2026-12-07T08:39:20+0000 info gatehouse.serve: list=[\"x\", \"y\"] path=/a\\nb status=200 user=eve\\r\\n2026-12-07T08:39:21+0000 critical forged\\u001b[31m [GatehouseHummingbird] request\n")
        #expect(line.filter { $0 == "\n" || $0 == "\r\n" }.count == 1)
        let empty = String(decoding: TextLogHandler.line(timestamp: "t", level: .warning, label: "", metadata: [:], source: "M", message: "m"), as: UTF8.self)
        #expect(empty == "t warning: [M] m\n")
    }

    /// `serve`'s access line skips swift-log's metadata dictionary (``AccessLineWriting``); what it
    /// writes must be the line `log(event:)` writes for the same values, field for field.
    @Test(arguments: [
        [:],
        ["hb.request.id": "0123456789abcdef"],
        ["a": "first", "hb.request.id": .stringConvertible(42), "path": "the line's wins", "o": "between", "zz": "last"],
    ] as [Logger.Metadata])
    func theAccessLineIsTheLineSwiftLogWouldWrite(handlerMetadata: Logger.Metadata) throws {
        let written = Mutex<[String]>([])
        var handler = TextLogHandler(label: "gatehouse.serve") { line, soon in
            written.withLock { $0.append(String(decoding: line, as: UTF8.self) + (soon ? "" : " (at once)")) }
        }
        handler.metadata = handlerMetadata
        let lines = [
            AccessLogLine(method: "GET", path: "/secret/\u{1b}[2J\nforged", status: 200, tenthsOfMillisecond: 1_234, userID: 7, client: "198.51.100.4"),
            AccessLogLine(method: "POST", path: "/accounts/login/", status: 403, tenthsOfMillisecond: 5, userID: nil, client: nil),
        ]
        for line in lines {
            let logger = Logger(label: "gatehouse.serve") { _ in handler }
            logger.log(level: .info, "request", metadata: line.metadata, source: AccessLogLine.source)
            handler.writeAccessLine(line, source: AccessLogLine.source)
        }
        let all = written.withLock { $0 }
        try #require(all.count == 4)
        // The timestamp is the first word; it may differ by a second between the two.
        let withoutTime = all.map { $0.drop { $0 != " " } }
        #expect(withoutTime[0] == withoutTime[1])
        #expect(withoutTime[2] == withoutTime[3])
        #expect(withoutTime[0].contains(" duration_ms=123.4 ") && withoutTime[0].contains("\\u001b[2J\\nforged"), "\(withoutTime[0])")
        #expect(withoutTime[2].contains(" status=403 ") && !withoutTime[2].contains("user_id") && !withoutTime[2].contains("client="))
        #expect(!all.contains { $0.hasSuffix("(at once)") }, "an info line may wait for the writer")
    }

    @Test func theTextTimestampIsLocalTimeToTheSecond() throws {
        let first = TextLogHandler.timestamp()
        #expect(first.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}/) != nil, "\(first)")
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        let parsed = try #require(parser.date(from: first))
        #expect(abs(parsed.timeIntervalSinceNow) < 5, "the cached text is this second's, not a stale one")
    }
}
