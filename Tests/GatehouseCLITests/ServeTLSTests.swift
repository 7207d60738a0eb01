import Foundation
import GatehouseTestSupport
import Testing

/// `gatehouse serve --tls-cert --tls-key`: the real binary answering HTTPS, HTTP/1.1 and HTTP/2, driven by curl.
@Suite("gatehouse serve over TLS", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
struct ServeTLSTests {
    /// Runs curl; returns the response head and body as one text, the HTTP version, the status and the
    /// seconds it took.
    static func curl(_ arguments: [String], jar: URL) throws -> (output: String, version: String, status: Int, seconds: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-D", "-", "-b", jar.path, "-c", jar.path, "-w", "\n%{http_version} %{http_code}", "--max-time", "10"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let started = Date()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let last = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let parts = last.split(separator: " ")
        return (text, parts.first.map(String.init) ?? "", Int(parts.last ?? "") ?? 0, Date().timeIntervalSince(started))
    }

    /// Starts `serve` with `arguments` on a new SQLite database; returns the process, its log and the port.
    static func serve(_ cli: CLIRunner, _ arguments: [String]) async throws -> (Process, LogCollector, Int) {
        let server = Process()
        server.executableURL = CLIRunner.executable
        server.arguments = ["serve", "--port", "0", "--database", cli.database] + arguments
        server.currentDirectoryURL = cli.workingDirectory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "GATEHOUSE_TLS_CERT")
        environment.removeValue(forKey: "GATEHOUSE_TLS_KEY")
        server.environment = environment
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        let log = LogCollector(errors.fileHandleForReading)
        guard let port = await log.waitForPort(seconds: 60) else {
            server.terminate()
            throw TestFailure("server did not start: \(log.text)")
        }
        return (server, log, port)
    }

    @Test func http1AndHTTP2AnswerAndCookiesAreSecure() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let certificates = try TestCertificates.make(in: cli.workingDirectory, name: "site")
        let (server, log, port) = try await Self.serve(
            cli, ["--tls-cert", certificates.serverCertificate.path, "--tls-key", certificates.serverKey.path]
        )
        defer { if server.isRunning { server.terminate() } }
        #expect(log.text.contains("at https://127.0.0.1:\(port)/accounts/login/"))
        let created = try await cli.run(["users", "create", "tls-user", "--stdin"], stdin: "\(CLITests.goodPassword)\n")
        #expect(created.status == 0, "\(created.stderr)")

        let base = "https://127.0.0.1:\(port)"
        let ca = certificates.caCertificate.path
        for (flag, version) in [("--http1.1", "1.1"), ("--http2", "2")] {
            let jar = cli.workingDirectory.appendingPathComponent("jar\(version)")
            let page = try Self.curl(["--cacert", ca, flag, "\(base)/accounts/login/"], jar: jar)
            #expect(page.status == 200 && page.version == version, "\(flag): \(page.output)")
            let csrfCookie = page.output.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("set-cookie: csrftoken=") }
            #expect(csrfCookie?.contains("; Secure") == true, "\(page.output)")
            #expect(page.output.lowercased().contains("strict-transport-security: max-age=31536000"))
            let token = try #require(
                page.output.range(of: #"name="csrfmiddlewaretoken" value=""#).map { String(page.output[$0.upperBound...].prefix(64)) }
            )
            let login = try Self.curl(
                ["--cacert", ca, flag, "-H", "Origin: \(base)", "-H", "Referer: \(base)/accounts/login/",
                 "--data-urlencode", "csrfmiddlewaretoken=\(token)", "--data-urlencode", "username=tls-user",
                 "--data-urlencode", "password=\(CLITests.goodPassword)", "\(base)/accounts/login/"],
                jar: jar
            )
            #expect(login.status == 302, "\(flag): \(login.output)")
            let sessionCookie = login.output.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("set-cookie: sessionid=") }
            #expect(sessionCookie?.contains("; Secure") == true, "\(login.output)")
            let profile = try Self.curl(["--cacert", ca, flag, "\(base)/accounts/profile/"], jar: jar)
            #expect(profile.status == 200 && profile.output.contains(#"<dd id="username">tls-user</dd>"#))
        }

        // Plain HTTP to the TLS port: refused at once, no hang.
        let plain = try Self.curl(["http://127.0.0.1:\(port)/accounts/login/"], jar: cli.workingDirectory.appendingPathComponent("plain"))
        #expect(plain.status == 0 && plain.seconds < 5, "\(plain)")
        // A client that does not trust the CA does not get through either.
        let untrusted = try Self.curl(["\(base)/accounts/login/"], jar: cli.workingDirectory.appendingPathComponent("untrusted"))
        #expect(untrusted.status == 0)
        // The server still answers afterwards.
        let again = try Self.curl(["--cacert", ca, "\(base)/_gatehouse/health"], jar: cli.workingDirectory.appendingPathComponent("again"))
        #expect(again.status == 200)
        #expect(!log.text.contains(CLITests.goodPassword))

        server.terminate()
        let stopped = await log.waitForExit(of: server, seconds: 15)
        #expect(stopped && server.terminationStatus == 0, "serve over TLS did not stop cleanly: \(log.text)")
    }

    @Test func aMissingUnreadableOrMismatchedCertificateOrKeyStopsTheStart() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let site = try TestCertificates.make(in: cli.workingDirectory, name: "site")
        let other = try TestCertificates.make(in: cli.workingDirectory, name: "other")
        let cert = site.serverCertificate.path
        let keyText = try String(contentsOf: site.serverKey, encoding: .utf8)
        let otherKeyText = try String(contentsOf: other.serverKey, encoding: .utf8)
        let keyBody = keyText.split(separator: "\n").dropFirst().first.map(String.init) ?? keyText
        let otherKeyBody = otherKeyText.split(separator: "\n").dropFirst().first.map(String.init) ?? otherKeyText

        let missing = try await cli.run(["serve", "--port", "0", "--tls-cert", cert, "--tls-key", "/nonexistent/key.pem"])
        #expect(missing.status != 0 && missing.stderr.contains("--tls-key /nonexistent/key.pem: no such file"), "\(missing.stderr)")
        let onlyCert = try await cli.run(["serve", "--port", "0", "--tls-cert", cert])
        #expect(onlyCert.status != 0 && onlyCert.stderr.contains("--tls-cert needs --tls-key"), "\(onlyCert.stderr)")
        // The certificate given as the key: no PEM private key there.
        let notAKey = try await cli.run(["serve", "--port", "0", "--tls-cert", cert, "--tls-key", cert])
        #expect(notAKey.status != 0 && notAKey.stderr.contains("holds no unencrypted PEM private key"), "\(notAKey.stderr)")
        // Another certificate's key, from the environment variables: a mismatch, without key material.
        let mismatched = try await cli.run(
            ["serve", "--port", "0"],
            environment: ["GATEHOUSE_TLS_CERT": cert, "GATEHOUSE_TLS_KEY": other.serverKey.path]
        )
        #expect(mismatched.status != 0 && mismatched.stderr.contains("is not the private key of the certificate"), "\(mismatched.stderr)")
        for result in [missing, onlyCert, notAKey, mismatched] {
            #expect(!result.stderr.contains("PRIVATE KEY") && !result.stderr.contains(keyBody) && !result.stderr.contains(otherKeyBody))
        }
        if getuid() != 0 {
            let unreadable = cli.workingDirectory.appendingPathComponent("unreadable.pem")
            try keyText.write(to: unreadable, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: unreadable.path)
            let denied = try await cli.run(["serve", "--port", "0", "--tls-cert", cert, "--tls-key", unreadable.path])
            #expect(denied.status != 0 && denied.stderr.contains("cannot be read"), "\(denied.stderr)")
        }
    }
}
