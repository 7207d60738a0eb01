import Foundation
import GatehouseTestSupport
import Testing

/// `gatehouse migrate` and `serve` on a PostgreSQL Unix-domain socket URL, both forms libpq reads,
/// and a TLS refusal reported clearly by the real binary.
@Suite("gatehouse on a PostgreSQL Unix socket", .enabled(if: TLSPostgresCluster.enabled))
struct CLIPostgresSocketTests {
    @Test func migrateAndServeThroughTheSocket() async throws {
        let cluster = try TLSPostgresCluster.start()
        defer { cluster.stop() }
        let directory = cluster.directory.appending(path: "cli")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let inQuery = "postgresql:///\(cluster.database)?host=\(cluster.dataDirectory)&port=\(cluster.port)&user=postgres"
        let cli = CLIRunner(database: inQuery, workingDirectory: directory)

        let migrated = try await cli.run(["migrate"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("Applied 0001_django_auth_schema."))
        let created = try await cli.run(["users", "create", "sockets", "--stdin"], stdin: "\(CLITests.goodPassword)\n")
        #expect(created.status == 0, "\(created.stderr)")

        // The percent-encoded host form, through serve.
        let encodedHost = cluster.dataDirectory.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let inAuthority = "postgresql://postgres@\(encodedHost):\(cluster.port)/\(cluster.database)"
        let server = Process()
        server.executableURL = CLIRunner.executable
        server.arguments = ["serve", "--port", "0", "--database", inAuthority]
        server.currentDirectoryURL = directory
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let log = LogCollector(errors.fileHandleForReading)
        let port = try #require(await log.waitForPort(seconds: 60), "server did not start: \(log.text)")
        let jar = directory.appending(path: "jar")
        #expect(try ServeTests.curl(["http://127.0.0.1:\(port)/accounts/login/"], jar: jar).status == 200)
        #expect(try ServeTests.curl(["http://127.0.0.1:\(port)/_gatehouse/ready"], jar: jar).status == 200)
        let listed = try await CLIRunner(database: inAuthority, workingDirectory: directory).run(["users", "list"])
        #expect(listed.stdout.contains("sockets"), "\(listed.stderr)")
        server.terminate()
        _ = await log.waitForExit(of: server, seconds: 15)
    }

    @Test func aRefusedTLSConnectionIsExplainedWithoutThePassword() async throws {
        let cluster = try TLSPostgresCluster.start()
        defer { cluster.stop() }
        let directory = cluster.directory.appending(path: "cli")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let password = "Pw-\(UUID().uuidString)"
        let plain = CLIRunner(database: "postgresql://postgres:\(password)@127.0.0.1:\(cluster.port)/\(cluster.database)?sslmode=disable", workingDirectory: directory)
        let refused = try await plain.run(["migrate"])
        #expect(refused.status != 0 && refused.stderr.contains("no pg_hba.conf entry"), "\(refused.stderr)")
        #expect(!refused.stderr.contains(password) && !refused.stdout.contains(password))
        let other = try TestCertificates.make(in: directory, name: "other").caCertificate.path
        let untrusted = CLIRunner(
            database: "postgresql://postgres:\(password)@localhost:\(cluster.port)/\(cluster.database)?sslmode=verify-full&sslrootcert=\(other)",
            workingDirectory: directory
        )
        let failed = try await untrusted.run(["migrate"])
        #expect(failed.status != 0 && failed.stderr.contains("not signed by a trusted root certificate"), "\(failed.stderr)")
        #expect(!failed.stderr.contains(password))
        let trusted = CLIRunner(
            database: "postgresql://postgres:\(password)@localhost:\(cluster.port)/\(cluster.database)?sslmode=verify-full&sslrootcert=\(cluster.certificates.caCertificate.path)",
            workingDirectory: directory
        )
        let migrated = try await trusted.run(["migrate"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
    }
}
