import Foundation
import Testing

// One end-to-end test in a real browser: headless Chromium, driven by selenium through
// scripts/e2e/browser_login.py, logs in to a running `gatehouse serve`, sees the profile page and
// logs out. Runs when GATEHOUSE_TEST_BROWSER=1 and GATEHOUSE_TEST_DJANGO_PYTHON (a Python with
// selenium: the Django venv's) are set; needs Debian's chromium and chromium-driver. .ci/run sets all
// of this up. Set GATEHOUSE_TEST_BROWSER_SCREENSHOTS=DIR to keep a PNG of every page.
// (Plain comments: Swift Testing would repeat a doc comment under every failure.)
@Suite("browser end to end")
struct BrowserEndToEndTests {
    static let environment = ProcessInfo.processInfo.environment
    static let python = environment["GATEHOUSE_TEST_DJANGO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static let browser = environment["GATEHOUSE_TEST_BROWSER"].flatMap { $0.isEmpty || $0 == "0" ? nil : $0 }

    static var repositoryRoot: URL {
        URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Whether the test can run; says why not when it cannot.
    static func isEnabled() -> Bool {
        var missing: [String] = []
        if browser == nil { missing.append("GATEHOUSE_TEST_BROWSER=1") }
        if python == nil { missing.append("GATEHOUSE_TEST_DJANGO_PYTHON (the Django venv's python, with selenium)") }
        if missing.isEmpty { return true }
        print("note: skipped the browser end-to-end test: set \(missing.joined(separator: " and ")); "
              + "it also needs Debian's chromium and chromium-driver (see scripts/e2e/README.md, .ci/run)")
        return false
    }

    @Test(
        "a browser logs in through the form, sees the profile and logs out",
        .enabled("needs GATEHOUSE_TEST_BROWSER=1 and GATEHOUSE_TEST_DJANGO_PYTHON") { BrowserEndToEndTests.isEnabled() },
        .timeLimit(.minutes(5))
    )
    func aBrowserLogsInAndOut() async throws {
        let python = try #require(Self.python)
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }

        let server = Process()
        server.executableURL = CLIRunner.executable
        server.arguments = ["serve", "--port", "0", "--database", cli.database]
        server.currentDirectoryURL = cli.workingDirectory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "GATEHOUSE_SECRET_KEY")
        environment.removeValue(forKey: "GATEHOUSE_DATABASE_URL")
        server.environment = environment
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let log = LogCollector(errors.fileHandleForReading)
        let port = try #require(await log.waitForPort(seconds: 60), "server did not start: \(log.text)")

        let username = "browser-alice"
        let created = try await cli.run(["users", "create", username, "--stdin"], stdin: "\(CLITests.goodPassword)\n")
        try #require(created.status == 0, "users create failed: \(created.stderr)")

        var arguments = [
            Self.repositoryRoot.appending(path: "scripts/e2e/browser_login.py").path,
            "http://127.0.0.1:\(port)", username, CLITests.goodPassword,
        ]
        if let screenshots = Self.environment["GATEHOUSE_TEST_BROWSER_SCREENSHOTS"], !screenshots.isEmpty {
            arguments += ["--screenshot", screenshots]
        }
        let pythonPath = python.hasPrefix("/") ? python : Self.repositoryRoot.appending(path: python).path
        let script = try await Self.run(pythonPath, arguments, seconds: 240)

        #expect(
            script.status == 0,
            """
            scripts/e2e/browser_login.py exited with \(script.status)\(script.timedOut ? " (killed after 240 s)" : "")
            --- script output ---
            \(script.output)
            --- server log ---
            \(log.text)
            (set GATEHOUSE_TEST_BROWSER_SCREENSHOTS=DIR to keep screenshots, failure.png included)
            """
        )
        let serverLog = log.text
        if script.status == 0 {
            #expect(serverLog.contains("path=/accounts/logout/"), "the logout did not reach the server")
        }
        #expect(!serverLog.contains(CLITests.goodPassword), "a password is in the server log")

        server.terminate()  // SIGTERM
        let stopped = await log.waitForExit(of: server, seconds: 15)
        #expect(stopped && server.terminationStatus == 0, "serve did not stop cleanly on SIGTERM: \(log.text)")
    }

    /// Runs `executable` with `arguments`, standard output and error merged; kills it (SIGTERM) after
    /// `seconds`. Blocking reads happen on a thread of their own, not on the test's executor.
    static func run(_ executable: String, _ arguments: [String], seconds: Double) async throws
        -> (status: Int32, output: String, timedOut: Bool)
    {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        let data = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: data)
            }
        }
        watchdog.cancel()
        let timedOut = Date().timeIntervalSince(started) >= seconds
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), timedOut)
    }
}
