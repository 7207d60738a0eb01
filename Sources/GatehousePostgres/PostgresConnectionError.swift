import Foundation

/// A PostgreSQL connection could not be made, or its URL's TLS settings cannot be used. The message
/// names the cause (TLS refused, certificate not trusted, host name not in the certificate, the
/// server's own refusal) and never the URL's password.
///
/// ```swift
/// do {
///     try await PostgresDatabaseProvider.checkConnection(to: DatabaseURL("postgres://app@db/app?sslmode=verify-full"))
/// } catch {
///     print(error)   // e.g. "the server's certificate is not signed by a trusted root certificate (sslrootcert) ..."
/// }
/// ```
public struct PostgresConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case rootCertificateMissing(path: String)
        case rootCertificateUnreadable(path: String)
        case tlsUnsupported
        case untrustedCertificate
        case hostNameMismatch(host: String)
        case tlsFailed(String)
        case refusedByServer(String)
        case unreachable(String)
    }

    private let base: Base

    /// `sslmode=verify-ca` or `verify-full` without a root certificate file.
    static func rootCertificateMissing(path: String) -> Self { Self(base: .rootCertificateMissing(path: path)) }
    /// The root certificate file holds no PEM certificate, or cannot be read.
    static func rootCertificateUnreadable(path: String) -> Self { Self(base: .rootCertificateUnreadable(path: path)) }
    /// The server does not offer TLS, and the URL's `sslmode` requires it.
    static let tlsUnsupported = Self(base: .tlsUnsupported)
    /// The server's certificate chain does not end at a trusted root.
    static let untrustedCertificate = Self(base: .untrustedCertificate)
    /// The certificate is valid but names another host (`verify-full`).
    static func hostNameMismatch(host: String) -> Self { Self(base: .hostNameMismatch(host: host)) }
    /// Another TLS failure.
    static func tlsFailed(_ reason: String) -> Self { Self(base: .tlsFailed(reason)) }
    /// The server answered with an error (`pg_hba.conf`, authentication, an unknown database).
    static func refusedByServer(_ message: String) -> Self { Self(base: .refusedByServer(message)) }
    /// No connection at all (refused, timed out, no socket file).
    static func unreachable(_ reason: String) -> Self { Self(base: .unreachable(reason)) }

    /// A one-line explanation.
    public var description: String {
        switch base {
        case .rootCertificateMissing(let path):
            "sslmode verify-ca and verify-full need a root certificate: \(path) does not exist (give the CA's file with sslrootcert=/path/ca.pem, or sslrootcert=system)"
        case .rootCertificateUnreadable(let path):
            "the root certificate file \(path) cannot be read or holds no PEM certificate (sslrootcert)"
        case .tlsUnsupported:
            "the server does not offer TLS, and the URL's sslmode requires it (use sslmode=prefer or disable to allow a plain connection)"
        case .untrustedCertificate:
            "the server's certificate is not signed by a trusted root certificate (sslrootcert), or is not valid now"
        case .hostNameMismatch(let host):
            "the server's certificate does not name \(host) (sslmode=verify-full checks the host name; connect by a name the certificate lists)"
        case .tlsFailed(let reason): "TLS with the server failed: \(reason)"
        case .refusedByServer(let message): "the server refused the connection: \(message)"
        case .unreachable(let reason): "no connection: \(reason)"
        }
    }
}
