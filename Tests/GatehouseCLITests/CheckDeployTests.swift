import Foundation
import Gatehouse
import Testing

@testable import GatehouseCLI

/// `gatehouse check --deploy` through the real binary, and its checks one by one.
@Suite("gatehouse check --deploy")
struct CheckDeployTests {
    static let strongKey = "k3y-" + String(repeating: "0123456789abcdefghij", count: 3)
    static let productionFlags = [
        "--host", "0.0.0.0", "--https", "--allowed-host", "example.com", "--email-url", "smtp+starttls://mail.example.com",
    ]

    static func ids(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").compactMap { line in
            line.split(separator: " ").dropFirst().first.map { String($0.dropLast()) }.flatMap { $0.hasPrefix("gatehouse.") ? $0 : nil }
        })
    }

    @Test func aProductionSetupHasNoIssuesAndExitsZero() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let result = try await cli.run(["check", "--deploy"] + Self.productionFlags, environment: ["GATEHOUSE_SECRET_KEY": Self.strongKey])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("gatehouse check --deploy: no issues"))
        // Checking writes nothing: no database, no key file.
        #expect(!FileManager.default.fileExists(atPath: cli.sqlitePath))
        #expect(!FileManager.default.fileExists(atPath: cli.workingDirectory.appendingPathComponent("gatehouse-secret-key").path))
    }

    @Test func theDefaultsOfALaptopWarnAndExitOne() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let result = try await cli.run(["check", "--deploy", "--host", "0.0.0.0"])
        #expect(result.status == 1)
        #expect(Self.ids(result.stdout) == ["gatehouse.W002", "gatehouse.W004", "gatehouse.W005", "gatehouse.W011", "gatehouse.W013"], "\(result.stdout)")
        #expect(result.stdout.contains("HINT:"))
        // Without --deploy, the same settings are valid.
        #expect(try await cli.run(["check", "--host", "0.0.0.0"]).status == 0)
    }

    @Test func theSettingsComeFromTheEnvironmentAndTheConfigFileAsForServe() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let file = cli.workingDirectory.appendingPathComponent("gatehouse.yaml")
        try "host: 0.0.0.0\nallowed-host: [example.com]\nemail-url: smtp://mail.example.com\n".write(to: file, atomically: true, encoding: .utf8)
        let variables = ["GATEHOUSE_SECRET_KEY": Self.strongKey, "GATEHOUSE_HTTPS": "false", "GATEHOUSE_FAIL_LEVEL": "error"]
        let result = try await cli.run(["check", "--deploy", "--config", file.path], environment: variables)
        // The file's host and the environment's --https off: W004 and W005; check's own --fail-level
        // is the command line's alone, so the warnings still fail it.
        #expect(result.status == 1)
        #expect(Self.ids(result.stdout) == ["gatehouse.W004", "gatehouse.W005"], "\(result.stdout)\(result.stderr)")
        var fixed = variables
        fixed["GATEHOUSE_HTTPS"] = "true"
        #expect(try await cli.run(["check", "--deploy", "--config", file.path], environment: fixed).status == 0)
    }

    @Test func failLevelAndSilence() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let errorsOnly = try await cli.run(["check", "--deploy", "--fail-level", "error"])
        #expect(errorsOnly.status == 0 && Self.ids(errorsOnly.stdout).contains("gatehouse.W005"))
        let silenced = try await cli.run(
            ["check", "--deploy", "--silence", "gatehouse.W002", "--silence", "gatehouse.W005", "--silence", "gatehouse.W013"]
        )
        #expect(silenced.status == 0 && silenced.stdout.contains("no issues (3 silenced)"), "\(silenced.stdout)")
        let bad = try await cli.run(["check", "--fail-level", "loud"])
        #expect(bad.status == 64)
    }

    @Test func eachWarningFires() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let policy = cli.workingDirectory.appendingPathComponent("open.yaml")
        try "default: public\nrules: []\n".write(to: policy, atomically: true, encoding: .utf8)
        let cases: [(flags: [String], key: String?, id: String)] = [
            ([], "short-key", "gatehouse.W001"),
            ([], "django-insecure-" + Self.strongKey, "gatehouse.W001"),
            ([], String(repeating: "ab", count: 40), "gatehouse.W001"),
            (["--hsts-seconds", "0"], Self.strongKey, "gatehouse.W006"),
            (["--policy", policy.path], Self.strongKey, "gatehouse.W007"),
            (["--preferred-hasher", "pbkdf2_sha1"], Self.strongKey, "gatehouse.W009"),
            (["--login-failure-limit", "0", "--login-failure-limit-address", "0", "--login-failure-limit-user", "0"], Self.strongKey, "gatehouse.W010"),
            (["--trusted-proxy", "::/0"], Self.strongKey, "gatehouse.W012"),
            (["--metrics-address", "0.0.0.0:9090"], Self.strongKey, "gatehouse.W014"),
        ]
        for item in cases {
            let flags = Self.productionFlags + item.flags
            let result = try await cli.run(["check", "--deploy"] + flags, environment: item.key.map { ["GATEHOUSE_SECRET_KEY": $0] } ?? [:])
            #expect(result.status == 1, "\(item.flags)")
            #expect(Self.ids(result.stdout) == [item.id], "\(item.flags): \(result.stdout)")
        }
    }

    @Test func aKeyFileOthersCanReadIsReported() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let file = cli.workingDirectory.appendingPathComponent("gatehouse-secret-key")
        try (Self.strongKey + "\n").write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let open = try await cli.run(["check", "--deploy"] + Self.productionFlags)
        #expect(Self.ids(open.stdout) == ["gatehouse.W002", "gatehouse.W003"], "\(open.stdout)")
        #expect(!open.stdout.contains(Self.strongKey), "the key itself is never printed")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(Self.ids(try await cli.run(["check", "--deploy"] + Self.productionFlags).stdout) == ["gatehouse.W002"])
    }

    @Test func settingsServeWouldRefuseAreErrors() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        let result = try await cli.run(
            ["check", "--trusted-proxy", "10.0.0.1/8", "--policy", "/no/such/policy.yaml", "--preferred-hasher", "rot13", "--metrics-address", "9090",
             "--tls-cert", "/no/such/cert.pem", "--tls-key", "/no/such/key.pem"]
        )
        #expect(result.status == 1)
        #expect(Self.ids(result.stdout) == ["gatehouse.E003", "gatehouse.E005", "gatehouse.E008", "gatehouse.E010", "gatehouse.E011"], "\(result.stdout)")
        #expect(result.stdout.contains("did you mean 10.0.0.0/8?"))
    }

    @Test func aDatabaseOnANetworkFilesystemIsReported() {
        let mounts = """
            /dev/vda / ext4 rw,relatime 0 0
            server:/export /srv/data nfs4 rw,relatime 0 0
            //nas/share /mnt/my\\040share cifs rw 0 0
            tmpfs /srv/data/cache tmpfs rw 0 0
            """
        #expect(FilesystemKind.networkFilesystem(at: "/srv/data/gatehouse.sqlite3", mounts: mounts) == "nfs4")
        #expect(FilesystemKind.networkFilesystem(at: "/srv/data", mounts: mounts) == "nfs4")
        #expect(FilesystemKind.networkFilesystem(at: "/srv/data/cache/db.sqlite3", mounts: mounts) == nil, "the deeper local mount decides")
        #expect(FilesystemKind.networkFilesystem(at: "/srv/database/db.sqlite3", mounts: mounts) == nil, "a sibling with a common prefix is not inside")
        #expect(FilesystemKind.networkFilesystem(at: "/mnt/my share/db.sqlite3", mounts: mounts) == "cifs")
        #expect(FilesystemKind.networkFilesystem(at: "/home/db.sqlite3", mounts: mounts) == nil)
        // This machine's temporary directory is local.
        #expect(FilesystemKind.networkFilesystem(at: FileManager.default.temporaryDirectory.path) == nil)

        var settings = DeploySettings(
            host: "127.0.0.1", https: true, hstsSeconds: 3600, secretKey: .environment(Self.strongKey), policyDefault: nil, policyFile: nil,
            sqliteFile: "/srv/data/gatehouse.sqlite3", preferredHasher: PBKDF2PasswordHasher(), throttle: LoginThrottleConfiguration(),
            onlyLocalHostsAllowed: false, trustedProxies: [], emailIsConsole: false
        )
        settings.networkFilesystem = { FilesystemKind.networkFilesystem(at: $0, mounts: mounts) }
        #expect(DeployChecks.run(settings).map(\.id) == ["gatehouse.W008"])
        settings.sqliteFile = "/home/gatehouse.sqlite3"
        #expect(DeployChecks.run(settings).isEmpty)
    }

    @Test func weakerHashersAreNamed() {
        #expect(DeployChecks.weakerHasher(PBKDF2PasswordHasher()) == nil)
        #expect(DeployChecks.weakerHasher(PBKDF2PasswordHasher(iterations: 100_000))?.contains("100000 iterations") == true)
        #expect(DeployChecks.weakerHasher(PBKDF2PasswordHasher(digest: .sha1)) != nil)
        #expect(DeployChecks.weakerHasher(Argon2PasswordHasher()) == nil)
        #expect(DeployChecks.weakerHasher(Argon2PasswordHasher(memoryCost: 1024)) != nil)
        #expect(DeployChecks.weakerHasher(BCryptSHA256PasswordHasher(cost: 10)) != nil)
    }
}
