/// The connection parameters of a `postgres://` URL's query that Gatehouse reads, as libpq reads them.
///
/// `host`, `port`, `user`, `password` and `dbname` in the query replace the URL's own parts and are
/// not kept here. Every other libpq parameter is refused by ``DatabaseURL/init(_:)`` rather than ignored.
///
/// ```swift
/// let url = try DatabaseURL("postgres://app@db.example.com/app?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem")
/// print(url.postgresParameters.sslMode)   // verifyFull
/// ```
public struct PostgresURLParameters: Sendable, Hashable {
    /// `sslmode`: ``PostgresSSLMode/prefer`` unless the URL says otherwise, as in libpq.
    public var sslMode: PostgresSSLMode
    /// `sslrootcert`: a PEM file of trusted root certificates, or `system` for the system's trust store.
    /// Without it libpq's default file, `~/.postgresql/root.crt`, is used when it exists.
    public var sslRootCert: String?
    /// `options`: command-line options sent to the server at connection start, e.g. `-c search_path=app`.
    public var options: String?
    /// `application_name`: the name the server shows in `pg_stat_activity`.
    public var applicationName: String?
    /// `connect_timeout`: seconds to wait for a connection (none given: postgres-nio's 10 seconds).
    public var connectTimeoutSeconds: Int?

    /// Creates parameters; every one is libpq's default unless given.
    public init(
        sslMode: PostgresSSLMode = .prefer, sslRootCert: String? = nil, options: String? = nil, applicationName: String? = nil,
        connectTimeoutSeconds: Int? = nil
    ) {
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
        self.options = options
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }
}
