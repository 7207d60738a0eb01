import Foundation
import Testing

/// `gatehouse serve` as a newcomer runs it: a real server process on a free port, driven by curl.
@Suite("gatehouse serve")
struct ServeTests {
    /// Runs curl with a cookie jar; returns (status, body).
    static func curl(_ arguments: [String], jar: URL) throws -> (status: Int, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-b", jar.path, "-c", jar.path, "-w", "\n%{http_code}", "--max-time", "10"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func aNewcomerStartsTheServerCreatesAUserAndLogsIn() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        // The database does not exist yet: serve creates and migrates it.
        let server = Process()
        server.executableURL = CLIRunner.executable
        server.arguments = ["serve", "--port", "0", "--database", cli.database]
        server.currentDirectoryURL = cli.workingDirectory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "GATEHOUSE_SECRET_KEY")
        server.environment = environment
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }

        // Read the log until the server says where it listens.
        let log = LogCollector(errors.fileHandleForReading)
        let port = try #require(await log.waitForPort(seconds: 60), "server did not start: \(log.text)")
        #expect(log.text.contains("generated a new secret key"))
        let keyFile = cli.workingDirectory.appendingPathComponent("gatehouse-secret-key")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let created = try await cli.run(["users", "create", "newcomer", "--stdin"], stdin: "\(CLITests.goodPassword)\n")
        #expect(created.status == 0, "\(created.stderr)")

        let jar = cli.workingDirectory.appendingPathComponent("cookies.txt")
        let base = "http://127.0.0.1:\(port)"
        let page = try Self.curl(["\(base)/accounts/login/"], jar: jar)
        #expect(page.status == 200)
        let token = try #require(
            page.body.range(of: #"name="csrfmiddlewaretoken" value=""#).map { range in
                String(page.body[range.upperBound...].prefix(64))
            }
        )
        let login = try Self.curl(
            ["-H", "Origin: \(base)", "--data-urlencode", "csrfmiddlewaretoken=\(token)", "--data-urlencode", "username=newcomer",
             "--data-urlencode", "password=\(CLITests.goodPassword)", "\(base)/accounts/login/"],
            jar: jar
        )
        #expect(login.status == 302)
        let profile = try Self.curl(["\(base)/accounts/profile/"], jar: jar)
        #expect(profile.status == 200)
        #expect(profile.body.contains(#"<dd id="username">newcomer</dd>"#))
        #expect(!log.text.contains(CLITests.goodPassword), "no password in the log")

        server.terminate()  // SIGTERM
        let stopped = await log.waitForExit(of: server, seconds: 15)
        #expect(stopped && server.terminationStatus == 0, "serve did not stop cleanly on SIGTERM")
        #expect(log.text.contains("path=/accounts/profile/") && log.text.contains("status=200"), "one line per request")
    }
}

/// Collects a process's standard error in the background.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    init(_ handle: FileHandle) {
        handle.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            self?.lock.withLock { self?.buffer += String(decoding: data, as: UTF8.self) }
        }
    }

    var text: String { lock.withLock { buffer } }

    func waitForPort(seconds: Int) async -> Int? {
        for _ in 0..<(seconds * 10) {
            if let range = text.range(of: #"at https?://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                let match = text[range]
                let digits = match.drop(while: { $0 != ":" }).dropFirst().drop(while: { $0 != ":" }).dropFirst().prefix(while: \.isNumber)
                return Int(digits)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    func waitForExit(of process: Process, seconds: Int) async -> Bool {
        for _ in 0..<(seconds * 10) {
            if !process.isRunning { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return !process.isRunning
    }
}
