import Foundation
import GatehouseTestSupport
import Testing

/// The files an operator deploys with (deploy/systemd/gatehouse.service, Dockerfile) against the real
/// binary. The systemd checks need `systemd-analyze` (Debian's systemd package): they run when
/// `GATEHOUSE_TEST_SYSTEMD_ANALYZE` names it (CI sets it) and are skipped otherwise. No container
/// engine runs here, so the Dockerfile is checked by what it tells the binary to do, not built.
@Suite("deploy files: the systemd unit and the Dockerfile")
struct DeployFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let unit = root.appendingPathComponent("deploy/systemd/gatehouse.service")
    static var systemdAnalyze: String? { ProcessInfo.processInfo.environment["GATEHOUSE_TEST_SYSTEMD_ANALYZE"] }

    /// The unit's `[Service]` settings, in order (a key may repeat).
    static func serviceSettings() throws -> [(key: String, value: String)] {
        var inService = false
        var settings: [(String, String)] = []
        for line in try String(contentsOf: unit, encoding: .utf8).split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("[") { inService = text == "[Service]" }
            guard inService, !text.hasPrefix("#"), let equals = text.firstIndex(of: "=") else { continue }
            settings.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
        }
        return settings
    }

    /// The unit with the binary's real path, in `directory`.
    static func unitCopy(in directory: URL, binary: String) throws -> URL {
        let text = try String(contentsOf: unit, encoding: .utf8).replacingOccurrences(of: "/usr/local/bin/gatehouse", with: binary)
        let copy = directory.appendingPathComponent("gatehouse.service")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        return copy
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: systemdAnalyze != nil, "GATEHOUSE_TEST_SYSTEMD_ANALYZE is not set"))
    func theUnitPassesSystemdAnalyze() async throws {
        let analyze = try #require(Self.systemdAnalyze)
        try await withTemporaryDirectory { directory in
            let copy = try Self.unitCopy(in: directory, binary: CLIRunner.executable.path)
            let verified = try Self.run(analyze, ["verify", copy.path])
            #expect(verified.status == 0 && verified.output.isEmpty, "\(verified.output)")
            // An exposure of at most 2.0 of 10 in systemd's own security review ("OK").
            let security = try Self.run(analyze, ["security", "--offline=yes", "--threshold=20", copy.path])
            #expect(security.status == 0, "\(security.output.split(separator: "\n").suffix(3).joined(separator: "\n"))")
            // A unit with a mistake fails the same check: the check can fail.
            try "[Service]\nExecStart=\(CLIRunner.executable.path) serve\nDynamicUsr=yes\n".write(to: copy, atomically: true, encoding: .utf8)
            #expect(try Self.run(analyze, ["verify", copy.path]).output.contains("Unknown key"))
        }
    }

    /// ExecStartPre and ExecStart as the unit has them, with its Environment=, WorkingDirectory=
    /// (StateDirectory=) and UMask=, as an unprivileged user when the test runs as root (DynamicUser=),
    /// with no new privileges, and the binary installed apart from its build folder.
    @Test func theBinaryStartsUnderTheUnitsSettings() async throws {
        let settings = try Self.serviceSettings()
        func value(_ key: String) -> String? { settings.last { $0.key == key }?.value }
        #expect(value("DynamicUser") == "yes" && value("StateDirectory") == "gatehouse" && value("NoNewPrivileges") == "yes")
        let umask = try #require(value("UMask"))
        try await withTemporaryDirectory { directory in
            // The layout docs/deploy.md installs: the binary and its resource bundle side by side.
            let bin = directory.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            let built = CLIRunner.executable.deletingLastPathComponent()
            try FileManager.default.copyItem(at: CLIRunner.executable, to: bin.appendingPathComponent("gatehouse"))
            try FileManager.default.copyItem(
                at: built.appendingPathComponent("Gatehouse_Gatehouse.resources"), to: bin.appendingPathComponent("Gatehouse_Gatehouse.resources")
            )
            let stateRoot = directory.appendingPathComponent("state")
            let state = stateRoot.appendingPathComponent("gatehouse")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            let asRoot = getuid() == 0
            for path in [directory, bin, stateRoot] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path) }
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: state.path)
            if asRoot { #expect(chown(state.path, 65534, 65534) == 0) }
            func expand(_ text: String) -> String {
                text.replacingOccurrences(of: "%S", with: stateRoot.path).replacingOccurrences(of: "/usr/local/bin/gatehouse", with: bin.path + "/gatehouse")
            }
            var environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "GATEHOUSE_SECRET_KEY": "deploy-test-" + String(repeating: "k3y", count: 20)]
            for (key, text) in settings where key == "Environment" {
                let pair = expand(text).split(separator: "=", maxSplits: 1).map(String.init)
                environment[pair[0]] = pair[1]
            }
            #expect(environment["GATEHOUSE_DATABASE_URL"] == "sqlite:///\(state.path)/gatehouse.sqlite3")
            func command(_ line: String, port: Int? = nil) -> Process {
                var words = expand(line).split(separator: " ").map(String.init)
                if let index = words.firstIndex(of: "--port"), let port { words[index + 1] = String(port) }
                let shell = "umask \(umask) && exec \"$@\""
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                let privileges = asRoot ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs"] : []
                process.arguments = ["-c", shell, "sh"] + privileges + words
                process.environment = environment
                process.currentDirectoryURL = URL(fileURLWithPath: expand(try! #require(value("WorkingDirectory"))))
                return process
            }
            let check = command(try #require(value("ExecStartPre")))
            let checkOutput = Pipe()
            check.standardOutput = checkOutput
            check.standardError = checkOutput
            try check.run()
            let checked = String(decoding: checkOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "ExecStartPre: \(checked)")

            let serve = command(try #require(value("ExecStart")), port: 0)
            let errors = Pipe()
            serve.standardError = errors
            serve.standardOutput = FileHandle.nullDevice
            try serve.run()
            let log = LogCollector(errors.fileHandleForReading)
            defer {
                if serve.isRunning { kill(serve.processIdentifier, SIGKILL) }
            }
            let port = try #require(await log.waitForPort(seconds: 60), "\(log.text)")
            let curl = Curl(jar: directory.appendingPathComponent("jar"))
            #expect(try await curl(["http://127.0.0.1:\(port)/_gatehouse/ready"]).status == 200)
            #expect(try await curl(["http://127.0.0.1:\(port)/accounts/login/"]).status == 200)
            // The files it made are its own and private (UMask=0077).
            let database = state.appendingPathComponent("gatehouse.sqlite3").path
            let attributes = try FileManager.default.attributesOfItem(atPath: database)
            #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0)
            if asRoot { #expect((attributes[.ownerAccountID] as? Int) == 65534) }
            #expect(log.text.contains("\"level\":"), "GATEHOUSE_LOG_FORMAT=json from the unit is in force")
            // ExecReload (SIGHUP) leaves it serving; stopping (SIGTERM) ends it cleanly.
            #expect(try #require(value("ExecReload")).contains("kill -HUP"))
            kill(serve.processIdentifier, SIGHUP)
            #expect(try await curl(["http://127.0.0.1:\(port)/_gatehouse/health"]).status == 200)
            serve.terminate()
            #expect(await log.waitForExit(of: serve, seconds: 30))
            #expect(serve.terminationStatus == 0, "\(log.text.suffix(500))")
        }
    }

    /// The Dockerfile's ENTRYPOINT, CMD, ENV, USER, EXPOSE and VOLUME agree with each other and with
    /// what the binary accepts.
    @Test func theDockerfileTellsTheBinaryWhatItAccepts() async throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        // The run stage: everything after the last FROM.
        let stage = String(text[try #require(text.range(of: "\nFROM ", options: .backwards)).upperBound...])
        func instruction(_ name: String) -> [String] {
            var found: [String] = []
            var current: String?
            for line in stage.split(separator: "\n", omittingEmptySubsequences: false) {
                if var continued = current {
                    continued += " " + line.trimmingCharacters(in: .whitespaces)
                    current = continued
                } else if line.hasPrefix(name + " ") {
                    current = String(line.dropFirst(name.count + 1))
                }
                if let done = current, !done.hasSuffix("\\") {
                    found.append(done)
                    current = nil
                } else if let open = current {
                    current = String(open.dropLast())
                }
            }
            return found
        }
        func array(_ json: String) throws -> [String] { try JSONDecoder().decode([String].self, from: Data(json.utf8)) }
        let entrypoint = try array(try #require(instruction("ENTRYPOINT").last))
        let cmd = try array(try #require(instruction("CMD").last))
        #expect(entrypoint == ["/usr/local/bin/gatehouse"])
        #expect(stage.contains("COPY --from=build /staging/ /usr/local/bin/") && text.contains("Gatehouse_Gatehouse.resources"))
        let user = try #require(instruction("USER").last)
        #expect(!user.hasPrefix("root") && !user.hasPrefix("0"))
        let port = try #require(cmd.firstIndex(of: "--port").map { cmd[$0 + 1] })
        #expect(instruction("EXPOSE").last == port)
        var environment: [String: String] = [:]
        for line in instruction("ENV") {
            for pair in line.split(separator: " ") where pair.contains("=") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                environment[parts[0]] = parts[1]
            }
        }
        let database = try #require(environment["GATEHOUSE_DATABASE_URL"])
        let volume = try array(try #require(instruction("VOLUME").last))
        #expect(volume.contains { database.hasPrefix("sqlite:///\($0)/") }, "the database is on the volume")

        // What the container runs is valid, and in production shape once the documented variables
        // are set: the only warnings left are the ones a TLS proxy (--https) and SMTP answer.
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        var variables = environment
        variables["GATEHOUSE_DATABASE_URL"] = cli.database
        #expect(try await cli.run(["check"] + cmd.dropFirst(), environment: variables, withDatabase: false).status == 0)
        variables["GATEHOUSE_SECRET_KEY"] = "docker-test-" + String(repeating: "s3cr", count: 12)
        variables["GATEHOUSE_ALLOWED_HOSTS"] = "auth.example.com"
        let deploy = try await cli.run(["check", "--deploy"] + cmd.dropFirst(), environment: variables, withDatabase: false)
        #expect(CheckDeployTests.ids(deploy.stdout) == ["gatehouse.W004", "gatehouse.W005", "gatehouse.W013"], "\(deploy.stdout)")
    }
}
