public import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where and how an ``SMTPEmailSender`` delivers: the server, its TLS, credentials and timeouts.
///
/// ```swift
/// var configuration = SMTPConfiguration(host: "smtp.example.com", security: .startTLS)
/// configuration.credentials = SMTPCredentials(username: "gatehouse", password: "app password")
/// configuration.replyTimeout = .seconds(20)
/// ```
public struct SMTPConfiguration: Sendable {
    /// The server's host name or IP address.
    public var host: String
    /// The server's port: 25, 587 or 465 by default, after ``security``.
    public var port: Int
    /// How the connection is protected (``SMTPSecurity/startTLS`` by default).
    public var security: SMTPSecurity
    /// The user name and password for AUTH, if the server wants them.
    public var credentials: SMTPCredentials?
    /// Whether ``credentials`` may cross a connection without TLS (``SMTPSecurity/plain``). Off by
    /// default: such a send fails with ``SMTPError/insecureAuthentication`` before anything is sent.
    public var allowsInsecureAuthentication: Bool
    /// How long the TCP connection may take to open: 10 seconds by default.
    public var connectTimeout: Duration
    /// How long each reply of the server may take (the greeting, which includes an implicit TLS
    /// handshake, and the reply to every command): 30 seconds by default. A server that stops
    /// answering fails the send with ``SMTPError/timedOut`` after this long.
    public var replyTimeout: Duration
    /// The TLS settings for ``SMTPSecurity/startTLS`` and ``SMTPSecurity/tls``: the system's trust
    /// roots and full verification (chain and host name) by default. Set `trustRoots` to trust a
    /// private certificate authority.
    public var tlsConfiguration: TLSConfiguration
    /// The name this client gives in EHLO (or HELO): the machine's host name by default, or
    /// `localhost` when it has none that SMTP accepts.
    public var ehloName: String

    /// Creates a configuration; `port` defaults to the security's port (25, 587 or 465).
    public init(
        host: String,
        port: Int? = nil,
        security: SMTPSecurity = .startTLS,
        credentials: SMTPCredentials? = nil,
        allowsInsecureAuthentication: Bool = false,
        connectTimeout: Duration = .seconds(10),
        replyTimeout: Duration = .seconds(30),
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration(),
        ehloName: String? = nil
    ) {
        self.host = host
        self.port = port ?? security.defaultPort
        self.security = security
        self.credentials = credentials
        self.allowsInsecureAuthentication = allowsInsecureAuthentication
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
        self.tlsConfiguration = tlsConfiguration
        self.ehloName = ehloName ?? SMTPConfiguration.localHostName()
    }

    /// Throws ``SMTPError/invalidConfiguration`` for a configuration that cannot work.
    func validate() throws(SMTPError) {
        guard !host.isEmpty, host.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "/" && $0 != "@" }) else {
            throw .invalidConfiguration("the host is empty or has characters a host name cannot have")
        }
        guard (1...65_535).contains(port) else { throw .invalidConfiguration("the port must be between 1 and 65535") }
        guard SMTPConfiguration.isValidEHLOName(ehloName) else {
            throw .invalidConfiguration("the EHLO name must be a domain or address literal without spaces")
        }
        guard connectTimeout > .zero, replyTimeout > .zero else { throw .invalidConfiguration("timeouts must be positive") }
    }

    static func isValidEHLOName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255
            && name.unicodeScalars.allSatisfy { $0.isASCII && (("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-.[]:".unicodeScalars.contains($0)) }
    }

    private static func localHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return isValidEHLOName(name) ? name : "localhost"
    }
}
