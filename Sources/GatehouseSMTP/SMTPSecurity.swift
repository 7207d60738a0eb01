/// How an SMTP connection is protected: not at all, upgraded with STARTTLS, or TLS from the first
/// byte.
public struct SMTPSecurity: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case plain
        case startTLS
        case tls
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// No TLS (port 25 by default): for a relay on the same host or network. Credentials are refused
    /// on such a connection unless ``SMTPConfiguration/allowsInsecureAuthentication`` is set.
    public static let plain = SMTPSecurity(.plain)
    /// A plain connection upgraded with STARTTLS before anything else is said (port 587 by default,
    /// "submission"). A server that does not offer STARTTLS is an error, never a silent downgrade.
    public static let startTLS = SMTPSecurity(.startTLS)
    /// Implicit TLS from the first byte (port 465 by default, "smtps", RFC 8314).
    public static let tls = SMTPSecurity(.tls)

    /// The port used when none is given: 25, 587 or 465.
    public var defaultPort: Int {
        switch base {
        case .plain: 25
        case .startTLS: 587
        case .tls: 465
        }
    }

    /// `plain`, `STARTTLS` or `TLS`.
    public var description: String {
        switch base {
        case .plain: "plain"
        case .startTLS: "STARTTLS"
        case .tls: "TLS"
        }
    }
}
