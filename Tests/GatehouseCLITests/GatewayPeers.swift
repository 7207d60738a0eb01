import Foundation
import Testing

/// A program a gateway test starts beside `gatehouse serve` (Python's echo upstream, nginx): its
/// output goes to a file, never to a pipe the test would have to drain, and it is stopped at the end.
final class PeerProcess: @unchecked Sendable {
    let process = Process()
    let logFile: URL

    init(_ executable: String, _ arguments: [String], directory: URL, name: String) throws {
        logFile = directory.appending(path: "\(name).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try log.close()
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Stops the program with SIGKILL: a process started from a test inherits the spawning thread's
    /// signal mask, in which SIGTERM is blocked, so `terminate()` would not stop it.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Runs `process` (no input) to its end on a thread of its own, never blocking the test's
    /// executor, and returns its standard output.
    static func output(of process: Process) async throws -> Data {
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: data)
            }
        }
    }

    /// Waits (for another process, not for time to pass) until `file` exists; returns its text.
    static func waitForFile(_ file: URL, seconds: Int) async -> String? {
        for _ in 0..<(seconds * 20) {
            if let text = try? String(contentsOf: file, encoding: .utf8), !text.isEmpty { return text }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}

/// Python's http.server echoing what it received (scripts/gateway/echo_upstream.py).
struct EchoUpstream {
    let peer: PeerProcess
    let port: Int

    static func start(in directory: URL) async throws -> EchoUpstream {
        let portFile = directory.appending(path: "upstream.port")
        let script = BrowserEndToEndTests.repositoryRoot.appending(path: "scripts/gateway/echo_upstream.py").path
        let peer = try PeerProcess("/usr/bin/env", ["python3", script, "--port-file", portFile.path], directory: directory, name: "upstream")
        guard let text = await PeerProcess.waitForFile(portFile, seconds: 30), let port = Int(text) else {
            peer.stop()
            throw PeerFailure("the echo upstream did not start: \(peer.log)")
        }
        return EchoUpstream(peer: peer, port: port)
    }
}

struct PeerFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A `gatehouse serve` process; its standard error is collected.
struct ServeProcess {
    let process: Process
    let log: LogCollector
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts `gatehouse serve` with `arguments`; with `openFileLimit`, under that `ulimit -n`.
    static func start(
        _ cli: CLIRunner, _ arguments: [String], withDatabase: Bool = true, openFileLimit: Int? = nil, environment: [String: String]? = nil
    ) async throws -> ServeProcess {
        let server = Process()
        server.executableURL = CLIRunner.executable
        server.arguments = ["serve", "--port", "0"] + (withDatabase ? ["--database", cli.database] : []) + arguments
        if withDatabase, cli.database.hasPrefix("postgres"), !arguments.contains("--database-timeout") {
            server.arguments? += ["--database-timeout", "60"]  // a loaded test machine can be slower than the default 5 s
        }
        if let openFileLimit {
            server.arguments = ["-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", CLIRunner.executable.path] + (server.arguments ?? [])
            server.executableURL = URL(filePath: "/bin/sh")
        }
        server.currentDirectoryURL = cli.workingDirectory
        var variables = ProcessInfo.processInfo.environment
        variables["GATEHOUSE_SECRET_KEY"] = "gateway-peers-secret-0123456789abcdefghijklmnop"
        if let environment { variables = environment }
        variables.removeValue(forKey: "GATEHOUSE_DATABASE_URL")
        server.environment = variables
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        server.standardInput = FileHandle.nullDevice
        try server.run()
        let log = LogCollector(errors.fileHandleForReading)
        guard let port = await log.waitForPort(seconds: 60) else {
            server.terminate()
            throw PeerFailure("serve did not start: \(log.text)")
        }
        return ServeProcess(process: server, log: log, port: port)
    }

    /// SIGTERM (serve stops cleanly on it), then SIGKILL if it is still running after 10 s.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<200 where process.isRunning { usleep(50_000) }  // waiting for the process, not for time to pass
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The process's peak resident memory (VmHWM) in bytes.
    var peakMemory: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }
}

/// curl with a cookie jar, run on a thread of its own (never blocking the test's executor).
struct Curl {
    struct Result {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: String

        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    }

    let jar: URL

    func callAsFunction(_ arguments: [String], seconds: Int = 20) async throws -> Result {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/curl")
        process.arguments = ["-s", "-b", jar.path, "-c", jar.path, "-D", "-", "-w", "\n%{http_code}", "--max-time", String(seconds)] + arguments
        let data = try await PeerProcess.output(of: process)
        var text = String(decoding: data, as: UTF8.self)
        let status = Int(text.split(separator: "\n", omittingEmptySubsequences: false).last ?? "") ?? 0
        if let newline = text.lastIndex(of: "\n") { text = String(text[..<newline]) } else { text = "" }
        // Every header block (a 100 Continue may come first), then the body.
        var headers: [(String, String)] = []
        while text.hasPrefix("HTTP/"), let end = text.range(of: "\r\n\r\n") {
            headers = text[..<end.lowerBound].split(separator: "\r\n").dropFirst().compactMap { line in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            text = String(text[end.upperBound...])
        }
        return Result(status: status, headers: headers, body: text)
    }

    /// A cookie from the jar (Netscape format; HttpOnly ones are prefixed `#HttpOnly_`).
    func cookie(_ name: String) -> String? {
        let text = (try? String(contentsOf: jar, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 7, fields[5] == name { return String(fields[6]) }
        }
        return nil
    }

    /// Logs in through the form at `base` (directly or through a proxy in front).
    func logIn(_ base: String, username: String, password: String) async throws -> Result {
        let page = try await self(["\(base)/accounts/login/"])
        guard let range = page.body.range(of: #"name="csrfmiddlewaretoken" value=""#) else {
            throw PeerFailure("no login form at \(base): \(page.status) \(page.body.prefix(300))")
        }
        let token = String(page.body[range.upperBound...].prefix(64))
        return try await self([
            "-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(token)", "--data-urlencode", "username=\(username)",
            "--data-urlencode", "password=\(password)", "\(base)/accounts/login/",
        ])
    }
}

/// The accounts, groups and permissions the gateway tests decide on, made with the CLI, and the
/// policy file that uses every kind of requirement.
enum GatewayPeople {
    static let password = CLITests.goodPassword
    /// alice: refapp.view_secret, member of editors; bob: reports.view; stella: staff; root: superuser (and staff).
    static let users = ["alice", "bob", "stella", "root"]

    static let policy = """
        default: authenticated
        rules:
          - path: /static/
            require: public
          - path: /secret/
            require:
              permissions: [refapp.view_secret]
          - path: /reports/
            methods: [GET, HEAD]
            require:
              any_permissions: [reports.view, reports.admin]
          - path: /reports/*/pdf
            require:
              permissions: [reports.admin]
          - path: /staff/
            require: staff
          - path: /root/
            require: superuser
          - path: /team/
            require:
              groups: [editors, admins]
          - path: /closed/
            require: deny
        """

    /// Creates everyone in the CLI's database and writes the policy file; returns its path.
    static func make(_ cli: CLIRunner) async throws -> String {
        func run(_ arguments: [String], stdin: String = "") async throws {
            let result = try await cli.run(arguments, stdin: stdin)
            guard result.status == 0 else { throw PeerFailure("gatehouse \(arguments.joined(separator: " ")): \(result.stderr)") }
        }
        try await run(["migrate"])
        try await run(["users", "create", "alice", "--stdin"], stdin: password + "\n")
        try await run(["users", "create", "bob", "--stdin"], stdin: password + "\n")
        try await run(["users", "create", "stella", "--staff", "--stdin"], stdin: password + "\n")
        try await run(["users", "create", "root", "--superuser", "--staff", "--stdin"], stdin: password + "\n")  // as createsuperuser
        try await run(["permissions", "register", "refapp.Secret"])
        try await run(["permissions", "create", "reports.view", "--model", "report"])
        try await run(["permissions", "create", "reports.admin", "--model", "report"])
        try await run(["permissions", "grant", "alice", "refapp.view_secret"])
        try await run(["permissions", "grant", "bob", "reports.view"])
        try await run(["groups", "create", "editors"])
        try await run(["groups", "add-member", "editors", "alice"])
        let file = cli.workingDirectory.appending(path: "policy.yaml")
        try policy.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// What each user gets for (method, path) under ``policy``: `nil` for anonymous visitors.
    static let expectations: [(method: String, path: String, allowed: Set<String?>)] = [
        ("GET", "/static/app.css", [nil, "alice", "bob", "stella", "root"]),
        ("GET", "/secret/plans", ["alice", "root"]),
        ("GET", "/reports/q3", ["bob", "root"]),
        ("HEAD", "/reports/q3", ["bob", "root"]),
        ("POST", "/reports/q3", ["alice", "bob", "stella", "root"]),  // not GET/HEAD: the default, authenticated
        ("GET", "/reports/q3/pdf", ["root"]),
        ("GET", "/staff/desk", ["stella", "root"]),
        ("GET", "/root/console", ["root"]),
        ("GET", "/team/board", ["alice"]),
        ("GET", "/closed/", []),
        ("GET", "/elsewhere", ["alice", "bob", "stella", "root"]),
    ]
    /// Logged-in curl sessions at `base` for every user (and an anonymous one, under `nil`).
    static func sessions(_ cli: CLIRunner, base: String) async throws -> [String?: Curl] {
        var sessions: [String?: Curl] = [nil: Curl(jar: cli.workingDirectory.appending(path: "anonymous.jar"))]
        for user in users {
            let curl = Curl(jar: cli.workingDirectory.appending(path: "\(user).jar"))
            let login = try await curl.logIn(base, username: user, password: password)
            try #require(login.status == 302, "\(user) could not log in: \(login.status) \(login.body.prefix(300))")
            sessions[user] = curl
        }
        return sessions
    }

    /// Asks for every (method, path) of ``expectations`` as every user: allowed ones reach the
    /// upstream with the user's identity, anonymous visitors are sent to log in, others get 403.
    static func checkDecisions(_ sessions: [String?: Curl], base: String) async throws {
        for (method, path, allowed) in expectations {
            for (user, curl) in sessions {
                var arguments = method == "HEAD" ? ["-I"] : ["-X", method]
                if method == "POST" { arguments += ["-H", "Origin: \(base)", "--data-binary", "x=1"] }
                let answer = try await curl(arguments + ["\(base)\(path)"])
                let expected = allowed.contains(user) ? 200 : (user == nil && path != "/closed/" ? 302 : 403)
                #expect(answer.status == expected, "\(method) \(path) by \(user ?? "anonymous"): \(answer.status)")
                if answer.status == 302 {
                    #expect(answer.header("Location")?.hasPrefix("/accounts/login/?next=") == true, "\(answer.headers)")
                }
                if answer.status == 200, method != "HEAD" {
                    #expect(answer.body.contains("method=\(method)\n"), "reached the upstream: \(answer.body)")
                    #expect(answer.body.contains("x-gatehouse-user: \(user ?? "-")\n") == (user != nil), "\(answer.body)")
                }
            }
        }
    }
}
