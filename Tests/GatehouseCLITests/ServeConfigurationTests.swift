import Foundation
import Testing

/// `serve`'s settings from flags, `GATEHOUSE_*` variables and a `--config` YAML file, through the
/// real binary: flag > environment > file > default, for every option `serve` declares.
@Suite("serve: settings from the environment and a config file")
struct ServeConfigurationTests {
    /// `--print-config`'s lines as name → (value, source).
    static func printed(_ cli: CLIRunner, _ arguments: [String], environment: [String: String] = [:]) async throws -> [String: (value: String, source: String)] {
        let result = try await cli.run(["serve", "--print-config"] + arguments, environment: environment, withDatabase: false)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        var settings: [String: (String, String)] = [:]
        for line in result.stdout.split(separator: "\n") where !line.hasPrefix("#") {
            guard let colon = line.range(of: ": "), let comment = line.range(of: "  # ", options: .backwards) else { continue }
            settings[String(line[..<colon.lowerBound])] = (String(line[colon.upperBound..<comment.lowerBound]), String(line[comment.upperBound...]))
        }
        return settings
    }

    /// Every named option of `serve` as `--experimental-dump-help` declares it (the enumeration a new
    /// flag joins by being declared), with a value it accepts.
    static func serveOptions(_ cli: CLIRunner) async throws -> [(name: String, isFlag: Bool, isRepeating: Bool, value: String)] {
        let dump = try await cli.run(["serve", "--experimental-dump-help"], withDatabase: false)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let command = try #require(json["command"] as? [String: Any])
        let arguments = try #require(command["arguments"] as? [[String: Any]])
        var options: [(String, Bool, Bool, String)] = []
        for argument in arguments {
            let kind = argument["kind"] as? String
            guard kind == "option" || kind == "flag",
                let name = (argument["names"] as? [[String: Any]])?.first(where: { $0["kind"] as? String == "long" })?["name"] as? String,
                !["help", "config", "print-config", "print-config-table"].contains(name)
            else { continue }
            let value = (argument["allValues"] as? [String])?.last ?? (kind == "flag" ? "true" : "7")
            options.append((name, kind == "flag", argument["isRepeating"] as? Bool ?? false, value))
        }
        return options
    }

    static func variable(_ name: String) -> String { "GATEHOUSE_" + name.uppercased().replacingOccurrences(of: "-", with: "_") }

    @Test func flagBeatsEnvironmentBeatsFileBeatsDefault() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let file = cli.workingDirectory.appending(path: "gatehouse.yaml")
        try """
            # a comment
            upstream-timeout: 11
            session-cookie-name: from-file
            trusted-proxy:
              - 10.0.0.1
              - 10.0.0.2
            https: yes
            """.write(to: file, atomically: true, encoding: .utf8)
        let environment = [
            "GATEHOUSE_UPSTREAM_TIMEOUT": "22", "GATEHOUSE_SESSION_COOKIE_NAME": "from-env",
            "GATEHOUSE_TRUSTED_PROXY": " 10.0.0.3, 10.0.0.4 ", "GATEHOUSE_HTTPS": "false",
        ]
        let flags = ["--upstream-timeout", "33", "--session-cookie-name=from-flag", "--trusted-proxy", "10.0.0.5", "--https"]

        let defaults = try await Self.printed(cli, [])
        #expect(defaults["upstream-timeout"]?.value == "30" && defaults["upstream-timeout"]?.source == "default")
        #expect(defaults["session-cookie-name"]?.value == "sessionid" && defaults["trusted-proxy"]?.value == "[]")
        #expect(defaults["https"]?.value == "false" && defaults["https"]?.source == "default")

        let fromFile = try await Self.printed(cli, ["--config", "gatehouse.yaml"])
        #expect(fromFile["upstream-timeout"]?.value == "11" && fromFile["upstream-timeout"]?.source == "file gatehouse.yaml:2")
        #expect(fromFile["session-cookie-name"]?.value == "from-file" && fromFile["session-cookie-name"]?.source == "file gatehouse.yaml:3")
        #expect(fromFile["trusted-proxy"]?.value == "[10.0.0.1, 10.0.0.2]" && fromFile["trusted-proxy"]?.source == "file gatehouse.yaml:4")
        #expect(fromFile["https"]?.value == "true" && fromFile["https"]?.source == "file gatehouse.yaml:7")
        #expect(fromFile["port"]?.value == "8000" && fromFile["port"]?.source == "default")

        // GATEHOUSE_CONFIG names the file too.
        let fromEnvironment = try await Self.printed(cli, [], environment: environment.merging(["GATEHOUSE_CONFIG": "gatehouse.yaml"]) { $1 })
        #expect(fromEnvironment["upstream-timeout"]?.value == "22" && fromEnvironment["upstream-timeout"]?.source == "env GATEHOUSE_UPSTREAM_TIMEOUT")
        #expect(fromEnvironment["session-cookie-name"]?.value == "from-env")
        #expect(fromEnvironment["trusted-proxy"]?.value == "[10.0.0.3, 10.0.0.4]" && fromEnvironment["trusted-proxy"]?.source == "env GATEHOUSE_TRUSTED_PROXY")
        #expect(fromEnvironment["https"]?.value == "false" && fromEnvironment["https"]?.source == "env GATEHOUSE_HTTPS")

        let fromFlags = try await Self.printed(cli, flags + ["--config", "gatehouse.yaml"], environment: environment)
        #expect(fromFlags["upstream-timeout"]?.value == "33" && fromFlags["upstream-timeout"]?.source == "flag --upstream-timeout")
        #expect(fromFlags["session-cookie-name"]?.value == "from-flag" && fromFlags["session-cookie-name"]?.source == "flag --session-cookie-name")
        #expect(fromFlags["trusted-proxy"]?.value == "[10.0.0.5]" && fromFlags["https"]?.value == "true" && fromFlags["https"]?.source == "flag --https")
    }

    /// The layered values reach the running server, not only `--print-config`.
    @Test func theServerRunsOnTheLayeredValues() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        try "session-cookie-name: file_session\ncsrf-cookie-name: file_csrf\n".write(
            to: cli.workingDirectory.appending(path: "gatehouse.yaml"), atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["GATEHOUSE_SECRET_KEY"] = "config-secret-0123456789abcdefghijklmnopqrstu"
        environment["GATEHOUSE_CONFIG"] = "gatehouse.yaml"
        environment["GATEHOUSE_CSRF_COOKIE_NAME"] = "env_csrf"
        let server = try await ServeProcess.start(cli, [], environment: environment)
        defer { server.stop() }
        let curl = Curl(jar: cli.workingDirectory.appending(path: "config.jar"))
        let page = try await curl(["\(server.base)/accounts/login/"])
        #expect(page.status == 200)
        #expect(page.headers.contains { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("env_csrf=") }, "\(page.headers)")
        let created = try await cli.run(["users", "create", "layered", "--stdin"], stdin: "\(CLITests.goodPassword)\n")
        #expect(created.status == 0, "\(created.stderr)")
        let login = try await curl.logIn(server.base, username: "layered", password: CLITests.goodPassword)
        #expect(login.headers.contains { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix("file_session=") }, "\(login.headers)")
    }

    @Test func anUnknownKeyInTheFileFailsWithASuggestion() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        for (yaml, message) in [
            ("port: 8001\nupstream_timeout: 5\n", "gatehouse.yaml line 2: unknown key 'upstream_timeout'; did you mean 'upstream-timeout'?"),
            ("upstream-timout: 5\n", "gatehouse.yaml line 1: unknown key 'upstream-timout'; did you mean 'upstream-timeout'?"),
            ("allowed-hosts: [example.com]\n", "did you mean 'allowed-host'?"),
            ("colour: blue\n", "unknown key 'colour' (the keys are the long options of 'gatehouse serve'"),
        ] {
            try yaml.write(to: cli.workingDirectory.appending(path: "gatehouse.yaml"), atomically: true, encoding: .utf8)
            for arguments in [["serve", "--config", "gatehouse.yaml", "--print-config"], ["serve", "--config", "gatehouse.yaml", "--port", "70000"]] {
                let result = try await cli.run(arguments, withDatabase: false)
                #expect(result.status != 0 && result.stderr.contains(message), "\(yaml): \(result.stderr)")
            }
        }
    }

    @Test func aBadValueNamesItsSource() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let file = cli.workingDirectory.appending(path: "gatehouse.yaml")
        for (environment, yaml, message) in [
            (["GATEHOUSE_UPSTREAM_TIMEOUT": "soon"], nil, "Error: GATEHOUSE_UPSTREAM_TIMEOUT: 'soon' is not a valid value for --upstream-timeout <upstream-timeout>"),
            (["GATEHOUSE_HTTPS": "maybe"], nil, "Error: GATEHOUSE_HTTPS: 'maybe' is not a boolean (true, false, 1, 0, yes or no)"),
            (["GATEHOUSE_LOG_FORMAT": "xml"], nil, "GATEHOUSE_LOG_FORMAT: 'xml' is not a valid value for --log-format <format> (one of text, json)"),
            ([:], "\n\nupstream-timeout: eighty\n", "Error: gatehouse.yaml line 3: upstream-timeout: 'eighty' is not a valid value for --upstream-timeout <upstream-timeout>"),
            ([:], "https: maybe\n", "gatehouse.yaml line 1: https: 'maybe' is not a boolean"),
            ([:], "port: [1, 2]\n", "gatehouse.yaml line 1: 'port' takes one value, not a list"),
            ([:], "port:\n", "gatehouse.yaml line 1: 'port' has no value"),
            ([:], "port: 1\nport: 2\n", "gatehouse.yaml: 'port' is set twice"),
            ([:], "port: [1\n", "not valid YAML"),
            ([:], "- port\n", "gatehouse.yaml line 1: must be a mapping of settings"),
        ] {
            if let yaml { try yaml.write(to: file, atomically: true, encoding: .utf8) }
            let result = try await cli.run(["serve", "--port", "70000"] + (yaml == nil ? [] : ["--config", "gatehouse.yaml"]), environment: environment)
            #expect(result.status != 0 && result.stderr.contains(message), "\(environment) \(yaml ?? ""): \(result.stderr)")
        }
        // A check made after parsing names the variable too.
        let port = try await cli.run(["serve"], environment: ["GATEHOUSE_PORT": "70000"])
        #expect(port.status != 0 && port.stderr == "Error: --port must be between 0 and 65535 (set by GATEHOUSE_PORT)\n", "\(port.stderr)")
        for (path, message) in [("missing.yaml", "missing.yaml: no such file"), (".", ".: is not a regular file")] {
            let result = try await cli.run(["serve", "--config", path, "--print-config"], withDatabase: false)
            #expect(result.status != 0 && result.stderr.contains(message), "\(result.stderr)")
        }
        let named = try await cli.run(["serve", "--print-config"], environment: ["GATEHOUSE_CONFIG": "absent.yaml"], withDatabase: false)
        #expect(named.status != 0 && named.stderr.contains("absent.yaml: no such file"), "\(named.stderr)")
    }

    @Test func printConfigHidesSecrets() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try "email-url: smtp+starttls://mailer:mail-hunter2@smtp.example.com:587\nfrom-email: site@example.com\n".write(
            to: cli.workingDirectory.appending(path: "gatehouse.yaml"), atomically: true, encoding: .utf8)
        let environment = ["GATEHOUSE_DATABASE_URL": "postgres://app:db-hunter2@db.example.com:5432/app", "GATEHOUSE_CONFIG": "gatehouse.yaml"]
        let result = try await cli.run(["serve", "--print-config"], environment: environment, withDatabase: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("database: postgres://app:********@db.example.com:5432/app  # env GATEHOUSE_DATABASE_URL"), "\(result.stdout)")
        #expect(result.stdout.contains("email-url: smtp+starttls://mailer:********@smtp.example.com:587  # file gatehouse.yaml:1"), "\(result.stdout)")
        #expect(result.stdout.contains("from-email: site@example.com  # file gatehouse.yaml:2"))
        #expect(!result.stdout.contains("hunter2") && !result.stderr.contains("hunter2"))
        // The flag spells the same URL: hidden as well; a bad value never echoes a password.
        let flagged = try await cli.run(["serve", "--print-config", "--database", "postgres://app:flag-hunter2@db/app"], withDatabase: false)
        #expect(flagged.stdout.contains("database: postgres://app:********@db/app  # flag --database") && !flagged.stdout.contains("hunter2"))
    }

    /// Every option `serve` declares, including ones added after this test was written, is read from
    /// `GATEHOUSE_` + its name and from its key in the file.
    @Test func everyServeOptionComesFromItsVariableAndFromTheFile() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let options = try await Self.serveOptions(cli)
        #expect(options.count >= 30, "\(options.map(\.name))")
        var environment: [String: String] = [:]
        var yaml = ""
        for option in options {
            environment[Self.variable(option.name)] = option.value
            yaml += option.isRepeating ? "\(option.name): [\(option.value)]\n" : "\(option.name): \(option.value)\n"
        }
        try yaml.write(to: cli.workingDirectory.appending(path: "all.yaml"), atomically: true, encoding: .utf8)
        let fromEnvironment = try await Self.printed(cli, [], environment: environment)
        let fromFile = try await Self.printed(cli, ["--config", "all.yaml"])
        for option in options {
            let shown = ["key", "secret", "password", "token"].contains { option.name.contains($0) } ? "********" : option.value
            let expected = option.isRepeating ? "[\(shown)]" : shown
            #expect(fromEnvironment[option.name]?.source == "env \(Self.variable(option.name))", "\(option.name)")
            #expect(fromEnvironment[option.name]?.value == expected, "\(option.name)")
            #expect(fromFile[option.name]?.source.hasPrefix("file all.yaml:") == true, "\(option.name)")
            #expect(fromFile[option.name]?.value == expected, "\(option.name)")
        }
    }

    /// docs/operations.md's table of settings is what the binary prints with `--print-config-table`.
    @Test func theDocumentedTableIsTheBinarysOwn() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let table = try await cli.run(["serve", "--print-config-table"], withDatabase: false)
        #expect(table.status == 0, "\(table.stderr)")
        let docs = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../docs/operations.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- settings table: generated by `gatehouse serve --print-config-table` -->\n"))
        let end = try #require(text.range(of: "<!-- end of settings table -->", range: begin.upperBound..<text.endIndex))
        #expect(String(text[begin.upperBound..<end.lowerBound]) == table.stdout, "run `gatehouse serve --print-config-table` and paste it into docs/operations.md")
    }
}
