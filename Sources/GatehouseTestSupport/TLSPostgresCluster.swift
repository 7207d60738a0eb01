public import Foundation

/// A throwaway PostgreSQL cluster with TLS on, started with scripts/pg/start.sh
/// (`GATEHOUSE_PG_TLS_CERT`/`GATEHOUSE_PG_TLS_KEY`): its server certificate is signed by a CA the test
/// makes and names only `localhost`; TCP is accepted only over TLS (pg_hba `hostssl`), the Unix
/// socket in its data directory in plain. The superuser is `postgres`, trusted without a password.
public struct TLSPostgresCluster: Sendable {
    /// Whether the tests that need one run: when `GATEHOUSE_TEST_POSTGRES_URL` is set (CI sets it), the
    /// PostgreSQL server programs are there.
    public static var enabled: Bool {
        if TestDatabases.postgresURL == nil {
            TestDatabases.reportSkip("PostgreSQL TLS", variable: "GATEHOUSE_TEST_POSTGRES_URL")
            return false
        }
        return true
    }

    /// The TCP port on 127.0.0.1, also the number in the socket file's name.
    public let port: Int
    /// The data directory, which is also the Unix-domain socket's directory.
    public let dataDirectory: String
    /// The CA (`caCertificate`) and the server's certificate and key.
    public let certificates: TestCertificates
    /// A scratch directory for the test's own files, removed by ``stop()``.
    public let directory: URL
    /// The database start.sh created.
    public let database = "gatehouse_test"

    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Makes the certificates and starts the cluster on a free port between 55600 and 55699.
    public static func start() throws -> TLSPostgresCluster {
        let directory = FileManager.default.temporaryDirectory.appending(path: "gh-pg-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificates = try TestCertificates.make(in: directory, name: "pg", names: "DNS:localhost")
        var lastError = ""
        for _ in 0..<8 {
            let port = Int.random(in: 55_600..<55_700)
            let process = Process()
            process.executableURL = URL(filePath: "/bin/bash")
            process.arguments = [repository.appending(path: "scripts/pg/start.sh").path]
            var environment = ProcessInfo.processInfo.environment
            environment["GATEHOUSE_PG_PORT"] = "\(port)"
            environment["GATEHOUSE_PG_TLS_CERT"] = certificates.serverCertificate.path
            environment["GATEHOUSE_PG_TLS_KEY"] = certificates.serverKey.path
            environment.removeValue(forKey: "PGDATA_DIR")
            process.environment = environment
            // Files, and no waiting for start.sh to exit: the server it leaves running inherits the
            // descriptors by which Foundation sees a child end, so neither a pipe's end nor
            // `waitUntilExit()` would come before the cluster stops. Its last line says it is done.
            let outputFile = directory.appending(path: "start-\(port).out")
            let errorFile = directory.appending(path: "start-\(port).err")
            _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
            let output = try FileHandle(forWritingTo: outputFile)
            let errors = try FileHandle(forWritingTo: errorFile)
            defer {
                try? output.close()
                try? errors.close()
            }
            process.standardOutput = output
            process.standardError = errors
            process.standardInput = FileHandle.nullDevice
            try process.run()
            var printed = ""
            var chatter = ""
            for _ in 0..<1_200 {
                printed = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
                chatter = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
                if printed.contains("export GATEHOUSE_PG_PORT=") || chatter.contains("ERROR:") { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            if let line = printed.split(separator: "\n").first(where: { $0.hasPrefix("export GATEHOUSE_PG_DATA=") }),
                printed.contains("export GATEHOUSE_PG_PORT=")
            {
                let data = String(line.dropFirst("export GATEHOUSE_PG_DATA=".count))
                return TLSPostgresCluster(port: port, dataDirectory: data, certificates: certificates, directory: directory)
            }
            lastError = chatter
            guard chatter.contains("already in use") else { break }
        }
        try? FileManager.default.removeItem(at: directory)
        throw TestFailure("could not start a TLS PostgreSQL cluster: \(lastError)")
    }

    /// A `postgresql://` URL to `host` (TCP) with `query` (e.g. `sslmode=verify-full&sslrootcert=...`).
    public func url(host: String = "localhost", query: String) -> String {
        "postgresql://postgres@\(host):\(port)/\(database)\(query.isEmpty ? "" : "?" + query)"
    }

    /// Stops the cluster and removes its files and the scratch directory.
    public func stop() {
        let process = Process()
        process.executableURL = URL(filePath: "/bin/bash")
        process.arguments = [Self.repository.appending(path: "scripts/pg/stop.sh").path, dataDirectory]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
