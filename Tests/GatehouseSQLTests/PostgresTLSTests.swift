import Foundation
import GatehousePostgres
import GatehouseSQL
import GatehouseTestSupport
import SQLKit
import Testing

/// Every `sslmode` against a real TLS-enabled PostgreSQL cluster whose certificate the test's own CA
/// signed (for `localhost` only), through ``PostgresDatabaseProvider``.
@Suite("PostgreSQL over TLS", .enabled(if: TLSPostgresCluster.enabled), .serialized)
struct PostgresTLSTests {
    /// Whether the connection that runs the query uses TLS, as the server sees it (pg_stat_ssl).
    static func usesTLS(_ text: String) async throws -> Bool {
        let provider = try PostgresDatabaseProvider(url: try DatabaseURL(text))
        do {
            let row = try await provider.read { db in
                try await db.raw("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first()
            }
            try await provider.shutdown()
            return try #require(row).decode(column: "ssl", as: Bool.self)
        } catch {
            try? await provider.shutdown()
            throw error
        }
    }

    /// The error of one direct connection attempt, or nil when it connects.
    static func failure(_ text: String) async -> String? {
        do {
            try await PostgresDatabaseProvider.checkConnection(to: try DatabaseURL(text))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func eachSSLModeMeansWhatItMeansInLibpq() async throws {
        let cluster = try TLSPostgresCluster.start()
        defer { cluster.stop() }
        let ca = cluster.certificates.caCertificate.path
        let other = try TestCertificates.make(in: cluster.directory, name: "other").caCertificate.path

        // verify-full with the CA that signed the certificate, by the name in it.
        #expect(try await Self.usesTLS(cluster.url(query: "sslmode=verify-full&sslrootcert=\(ca)")))
        // verify-full with another CA: refused, and said so.
        let untrusted = await Self.failure(cluster.url(query: "sslmode=verify-full&sslrootcert=\(other)"))
        #expect(untrusted?.contains("not signed by a trusted root certificate") == true, "\(untrusted ?? "connected")")
        // By a name the certificate does not list: verify-full refuses, verify-ca (chain only) connects.
        let mismatch = await Self.failure(cluster.url(host: "127.0.0.1", query: "sslmode=verify-full&sslrootcert=\(ca)"))
        #expect(mismatch?.contains("does not name 127.0.0.1") == true, "\(mismatch ?? "connected")")
        #expect(try await Self.usesTLS(cluster.url(host: "127.0.0.1", query: "sslmode=verify-ca&sslrootcert=\(ca)")))
        // require without a CA: TLS without verification; with another CA it verifies as verify-ca does.
        #expect(try await Self.usesTLS(cluster.url(host: "127.0.0.1", query: "sslmode=require")))
        let requireOther = await Self.failure(cluster.url(host: "127.0.0.1", query: "sslmode=require&sslrootcert=\(other)"))
        #expect(requireOther?.contains("not signed by a trusted root certificate") == true, "\(requireOther ?? "connected")")
        // prefer (also libpq's default) takes the TLS the server offers.
        #expect(try await Self.usesTLS(cluster.url(host: "127.0.0.1", query: "sslmode=prefer")))
        #expect(try await Self.usesTLS(cluster.url(host: "127.0.0.1", query: "")))
        // disable, where pg_hba.conf accepts only hostssl: the server's refusal, word for word.
        let plain = await Self.failure(cluster.url(host: "127.0.0.1", query: "sslmode=disable"))
        #expect(plain?.contains("no pg_hba.conf entry") == true && plain?.contains("no encryption") == true, "\(plain ?? "connected")")
        // verify-full without any root certificate file: a clear error before connecting.
        #expect {
            try PostgresDatabaseProvider(url: try DatabaseURL(cluster.url(query: "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")))
        } throws: { error in
            "\(error)".contains("/nonexistent/ca.pem does not exist")
        }
    }

    @Test func unixSocketsOptionsAndNoPasswordInErrors() async throws {
        let cluster = try TLSPostgresCluster.start()
        defer { cluster.stop() }
        let socket = cluster.dataDirectory
        // The socket: libpq uses no TLS there, whatever sslmode says; options set search_path.
        let query = "postgresql:///\(cluster.database)?host=\(socket)&port=\(cluster.port)&user=postgres&options=-c%20search_path%3Dgh_schema&sslmode=require"
        let provider = try PostgresDatabaseProvider(url: try DatabaseURL(query))
        let row = try await provider.read { db in try await db.raw("SHOW search_path").first() }
        let path = try #require(row).decode(column: "search_path", as: String.self)
        #expect(path == "gh_schema")
        try await provider.shutdown()
        let encoded = socket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? socket
        let onSocket = try await Self.usesTLS("postgresql://postgres@\(encoded):\(cluster.port)/\(cluster.database)")
        #expect(!onSocket)

        // A password in the URL never reaches an error.
        let password = "Pw-\(UUID().uuidString)"
        let refused = await Self.failure("postgresql://postgres:\(password)@127.0.0.1:\(cluster.port)/\(cluster.database)?sslmode=disable")
        let refusedText = try #require(refused)
        #expect(!refusedText.contains(password))
        let noServer = await Self.failure("postgresql://postgres:\(password)@127.0.0.1:1/\(cluster.database)")
        let noServerText = try #require(noServer)
        #expect(!noServerText.contains(password) && noServerText.contains("no connection"), "\(noServerText)")
    }
}
