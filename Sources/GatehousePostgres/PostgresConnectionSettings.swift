import Foundation
import GatehouseSQL
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Where and how to connect, from a ``GatehouseSQL/DatabaseURL`` read as libpq reads it: one value
/// that makes both the pool's and a single connection's configuration.
struct PostgresConnectionSettings {
    /// The TLS to use: libpq's `sslmode`, turned into swift-nio-ssl's verification settings.
    enum Security {
        case plain
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    let host: String
    let port: Int
    let username: String
    let password: String?
    let database: String?
    let parameters: PostgresURLParameters
    let security: Security

    /// libpq's default root certificate file.
    static var defaultRootCertificate: String {
        FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".postgresql/root.crt").path
    }

    /// Whether `host` names the directory of a Unix-domain socket (libpq: it starts with `/`).
    var isUnixSocket: Bool { host.hasPrefix("/") }

    /// The socket file in that directory, named after the port as the server names it.
    var socketPath: String { (host.hasSuffix("/") ? host : host + "/") + ".s.PGSQL.\(port)" }

    init(url: DatabaseURL) throws {
        guard case .postgres(let host, let port, let username, let password, let database) = url.kind else {
            throw DatabaseURLError.unsupportedScheme
        }
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.parameters = url.postgresParameters
        // libpq uses no TLS over a Unix-domain socket, whatever sslmode says.
        self.security = host.hasPrefix("/") ? .plain : try Self.security(for: url.postgresParameters)
    }

    private static func security(for parameters: PostgresURLParameters) throws -> Security {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch parameters.sslMode {
        case .disable:
            return .plain
        case .prefer:
            tls.certificateVerification = .none
            return .prefer(tls)
        case .require:
            // libpq: with a root certificate (given, or its default file present) require checks as verify-ca.
            let root = parameters.sslRootCert ?? (FileManager.default.fileExists(atPath: defaultRootCertificate) ? defaultRootCertificate : nil)
            if let root {
                tls.trustRoots = try trustRoots(root)
                tls.certificateVerification = .noHostnameVerification
            } else {
                tls.certificateVerification = .none
            }
            return .require(tls)
        case .verifyCA, .verifyFull:
            let root = parameters.sslRootCert ?? defaultRootCertificate
            if root != "system", !FileManager.default.fileExists(atPath: root) {
                throw PostgresConnectionError.rootCertificateMissing(path: root)
            }
            tls.trustRoots = try trustRoots(root)
            tls.certificateVerification = parameters.sslMode == .verifyFull ? .fullVerification : .noHostnameVerification
            return .require(tls)
        }
    }

    /// The certificates of a PEM file, read now so that a bad file stops the start rather than each connection.
    private static func trustRoots(_ path: String) throws -> NIOSSLTrustRoots {
        if path == "system" { return .default }
        guard FileManager.default.isReadableFile(atPath: path), let certificates = try? NIOSSLCertificate.fromPEMFile(path),
            !certificates.isEmpty
        else {
            throw PostgresConnectionError.rootCertificateUnreadable(path: path)
        }
        return .certificates(certificates)
    }

    /// The startup parameters libpq would send for the URL's `options` and `application_name`.
    private var startupParameters: [(String, String)] {
        var list: [(String, String)] = []
        if let options = parameters.options { list.append(("options", options)) }
        if let name = parameters.applicationName { list.append(("application_name", name)) }
        return list
    }

    /// The pool's configuration.
    var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if isUnixSocket {
            configuration = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch security {
            case .plain: tls = .disable
            case .prefer(let settings): tls = .prefer(settings)
            case .require(let settings): tls = .require(settings)
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        configuration.options.additionalStartupParameters = startupParameters
        if let seconds = parameters.connectTimeoutSeconds { configuration.options.connectTimeout = .seconds(seconds) }
        return configuration
    }

    /// One connection's configuration (for ``PostgresDatabaseProvider/checkConnection(to:logger:)``).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if isUnixSocket {
            configuration = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch security {
            case .plain: tls = .disable
            case .prefer(let settings): tls = .prefer(try NIOSSLContext(configuration: settings))
            case .require(let settings): tls = .require(try NIOSSLContext(configuration: settings))
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        configuration.options.additionalStartupParameters = startupParameters
        if let seconds = parameters.connectTimeoutSeconds { configuration.options.connectTimeout = .seconds(Int64(seconds)) }
        return configuration
    }

    /// The session cache's listening connection: one connection's configuration, named
    /// `gatehouse session listener` in `pg_stat_activity` whatever `application_name` the URL gives.
    func listenerConfiguration() throws -> PostgresConnection.Configuration {
        var configuration = try connectionConfiguration()
        configuration.options.additionalStartupParameters.removeAll { $0.0 == "application_name" }
        configuration.options.additionalStartupParameters.append(("application_name", SessionChangeListener.applicationName))
        return configuration
    }

    /// What went wrong, in words that name the cause and never the password.
    func explain(_ error: any Error) -> PostgresConnectionError {
        if let known = error as? PostgresConnectionError { return known }
        if let psql = error as? PSQLError {
            if psql.code == .sslUnsupported { return .tlsUnsupported }
            if psql.code == .server, let message = psql.serverInfo?[.message] {
                return .refusedByServer(message)
            }
            if let underlying = psql.underlying { return explain(underlying) }
            return .unreachable("\(psql.code)")
        }
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return .hostNameMismatch(host: host)
        }
        if let ssl = error as? NIOSSLError {
            if case .handshakeFailed(let reason) = ssl, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
                return .untrustedCertificate
            }
            return .tlsFailed("\(ssl)")
        }
        // NIO's socket errors name no credentials; say the system's reason and where.
        if let connection = error as? NIOConnectionError {
            if let failure = connection.connectionErrors.first { return explain(failure.error) }
            if let lookup = connection.dnsAError ?? connection.dnsAAAAError { return .unreachable("\(host) cannot be resolved (\(lookup))") }
        }
        if let io = error as? IOError {
            return .unreachable("\(String(cString: strerror(io.errnoCode)).lowercased()) (\(isUnixSocket ? socketPath : "\(host):\(port)"))")
        }
        return .unreachable("\(error)")
    }
}
