import GatehouseSQL
import Testing

/// `postgres://` URLs read as libpq reads them: query parameters, Unix-domain sockets, refusals.
@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test func libpqDefaultsToPreferWithoutRootCertificate() throws {
        let url = try DatabaseURL("postgres://app:secret@db.example.com/app")
        #expect(url.kind == .postgres(host: "db.example.com", port: 5432, username: "app", password: "secret", database: "app"))
        #expect(url.postgresParameters == PostgresURLParameters())
        #expect(url.postgresParameters.sslMode == .prefer)
    }

    @Test(arguments: PostgresSSLMode.allCases)
    func everySSLModeIsRead(mode: PostgresSSLMode) throws {
        let url = try DatabaseURL("postgresql://app@db:5433/app?sslmode=\(mode.rawValue)&sslrootcert=%2Fetc%2Fca.pem")
        #expect(url.postgresParameters.sslMode == mode)
        #expect(url.postgresParameters.sslRootCert == "/etc/ca.pem")
        // The redacted form reads back as the same server and TLS settings.
        #expect(try DatabaseURL(url.redacted).postgresParameters == url.postgresParameters)
    }

    @Test func unixSocketInTheQueryAndPercentEncodedInTheAuthority() throws {
        let query = try DatabaseURL("postgresql:///gatehouse?host=/var/run/postgresql&user=app")
        #expect(query.kind == .postgres(host: "/var/run/postgresql", port: 5432, username: "app", password: nil, database: "gatehouse"))
        let authority = try DatabaseURL("postgresql://app@%2Fvar%2Frun%2Fpostgresql:5433/gatehouse")
        #expect(authority.kind == .postgres(host: "/var/run/postgresql", port: 5433, username: "app", password: nil, database: "gatehouse"))
        #expect(authority.redacted == "postgres://app@%2Fvar%2Frun%2Fpostgresql:5433/gatehouse")
        #expect(try DatabaseURL(authority.redacted) == authority)
    }

    @Test func optionsAndTheQueryReplacingTheURLsParts() throws {
        let url = try DatabaseURL(
            "postgres://app@db/one?options=-c%20search_path%3Dapp&application_name=gatehouse&connect_timeout=5&dbname=two&port=6000"
        )
        #expect(url.postgresParameters.options == "-c search_path=app")
        #expect(url.postgresParameters.applicationName == "gatehouse")
        #expect(url.postgresParameters.connectTimeoutSeconds == 5)
        #expect(url.kind == .postgres(host: "db", port: 6000, username: "app", password: nil, database: "two"))
        #expect(try DatabaseURL("postgres://u@[::1]:5432/d").kind == .postgres(host: "::1", port: 5432, username: "u", password: nil, database: "d"))
    }

    @Test(arguments: [
        ("postgres://app@db/app?sslmode=allow", "sslmode=allow is not supported"),
        ("postgres://app@db/app?sslmode=verify", "sslmode must be one of"),
        ("postgres://app@db/app?tlsmode=require", "'tlsmode' is not supported"),
        ("postgres://app@db/app?sslmode", "has no value"),
        ("postgres://app@db:99999/app", "port must be"),
        ("postgres://app@/app", "needs a host"),
        ("postgres://app@a,b/app", "several hosts"),
        ("postgres://app@db/app#x", "no #fragment"),
        ("postgres://app@db/a%00b", "NUL"),
        ("postgres://app@db/app?connect_timeout=soon", "connect_timeout"),
    ])
    func refusedClearly(text: String, reason: String) {
        #expect {
            try DatabaseURL(text)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func aPasswordNeverAppearsInTheRedactedFormOrAnError() throws {
        let url = try DatabaseURL("postgres://app:s3cr%40t-pw@db/app?password=other-pw&sslmode=require")
        #expect(url.kind == .postgres(host: "db", port: 5432, username: "app", password: "other-pw", database: "app"))
        #expect(!url.redacted.contains("pw") && url.redacted.contains(":***@"))
        #expect {
            try DatabaseURL("postgres://app:s3cr%ZZt-pw@db/app")
        } throws: { error in
            "\(error)".contains("percent-escape") && !"\(error)".contains("pw")
        }
    }
}
