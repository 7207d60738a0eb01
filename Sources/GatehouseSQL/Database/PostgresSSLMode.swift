/// How a PostgreSQL connection uses TLS: libpq's `sslmode`, with libpq's meanings.
///
/// ```swift
/// let mode = PostgresSSLMode(rawValue: "verify-full")   // .verifyFull
/// ```
public enum PostgresSSLMode: String, Sendable, Hashable, CaseIterable {
    /// Plain TCP only.
    case disable
    /// TLS when the server offers it, plain otherwise; the certificate is not checked (libpq's default).
    case prefer
    /// TLS or no connection. The certificate is not checked, unless a root certificate is given
    /// (`sslrootcert`, or `~/.postgresql/root.crt` exists): then it is checked as ``verifyCA`` does.
    case require
    /// TLS, and the server's certificate must be signed by the root certificate; the host name is not checked.
    case verifyCA = "verify-ca"
    /// TLS, the certificate must be signed by the root certificate and name the host connected to.
    case verifyFull = "verify-full"
}
