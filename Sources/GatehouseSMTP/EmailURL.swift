public import Gatehouse
public import Logging
import NIOSSL

/// Where Gatehouse sends email, as one URL (`gatehouse serve --email-url`, `GATEHOUSE_EMAIL_URL`).
///
/// | URL | meaning |
/// | --- | --- |
/// | `console:` | the default: messages go to the log (``Gatehouse/ConsoleEmailSender``), nothing is sent |
/// | `smtp://host[:port]` | SMTP without TLS, port 25 by default |
/// | `smtp+starttls://[user:password@]host[:port]` | SMTP upgraded with STARTTLS, port 587 by default |
/// | `smtps://[user:password@]host[:port]` | SMTP over implicit TLS, port 465 by default |
///
/// The user name and password are percent-decoded (`%40` for `@`, `%3A` for `:`, `%25` for `%`).
/// Query parameters:
/// - `timeout=SECONDS`: how long each reply may take (30 by default);
/// - `connect_timeout=SECONDS`: how long connecting may take (10 by default);
/// - `allow_insecure_auth=true`: allow credentials on `smtp://` (without TLS); without it such a
///   URL is refused, since the password would cross the network in clear;
/// - `ca_file=PATH`: trust only the certificate authorities in this PEM file (a private CA) instead
///   of the system's;
/// - `ehlo_name=NAME`: the name given in EHLO (the machine's host name by default).
///
/// Anything else (another scheme, a path, a fragment, an unknown parameter, a bad port) is an
/// ``SMTPError/invalidConfiguration`` error whose description never contains the password.
/// ``description`` shows the URL with the password replaced by `***`.
///
/// ```swift
/// let url = try EmailURL("smtp+starttls://gatehouse:app%20password@smtp.example.com")
/// let sender = url.makeSender()  // an SMTPEmailSender to smtp.example.com:587
/// print(url)                     // smtp+starttls://gatehouse:***@smtp.example.com:587
/// ```
public struct EmailURL: Sendable, CustomStringConvertible {
    /// The SMTP configuration, or `nil` for `console:`.
    public let smtp: SMTPConfiguration?

    /// `console:`, the default.
    public static let console = EmailURL(smtp: nil)

    private init(smtp: SMTPConfiguration?) {
        self.smtp = smtp
    }

    /// Parses `text`; throws ``SMTPError/invalidConfiguration`` with a reason that never contains
    /// the password.
    public init(_ text: String) throws(SMTPError) {
        let text = text.trimmingSpaces
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F }) else {
            throw Self.invalid("it has spaces, control characters or non-ASCII characters (percent-encode them)")
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw Self.invalid("it has no scheme: use console:, smtp://, smtp+starttls:// or smtps://")
        }
        let scheme = text[..<colon].lowercased()
        var rest = text[text.index(after: colon)...]
        if scheme == "console" {
            guard rest.isEmpty || rest == "//" || rest == "///" else { throw Self.invalid("console: takes nothing after it") }
            self.init(smtp: nil)
            return
        }
        let security: SMTPSecurity
        switch scheme {
        case "smtp": security = .plain
        case "smtp+starttls": security = .startTLS
        case "smtps": security = .tls
        default: throw Self.invalid("unknown scheme '\(scheme.prefix(20))': use console:, smtp://, smtp+starttls:// or smtps://")
        }
        guard rest.hasPrefix("//") else { throw Self.invalid("\(scheme): needs // and a host, as \(scheme)://host") }
        rest = rest.dropFirst(2)
        guard !rest.contains("#") else { throw Self.invalid("it has a fragment (#); percent-encode # in a password as %23") }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...] == "/" else { throw Self.invalid("it has a path; an SMTP URL has none") }
            rest = rest[..<slash]
        }
        var credentials: SMTPCredentials?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let separator = userinfo.firstIndex(of: ":") else {
                throw Self.invalid("it has a user name but no password (user:password@host)")
            }
            guard let username = Self.percentDecoded(userinfo[..<separator]), let password = Self.percentDecoded(userinfo[userinfo.index(after: separator)...])
            else {
                throw Self.invalid("the user name or password has a bad percent-encoding")
            }
            guard !username.isEmpty else { throw Self.invalid("the user name is empty") }
            credentials = SMTPCredentials(username: username, password: password)
        }
        let (host, port) = try Self.hostAndPort(rest)
        var configuration = SMTPConfiguration(host: host, port: port, security: security, credentials: credentials)
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? Self.percentDecoded(parts[1]) ?? "" : ""
            switch name {
            case "timeout": configuration.replyTimeout = try Self.seconds(value, name: name)
            case "connect_timeout": configuration.connectTimeout = try Self.seconds(value, name: name)
            case "allow_insecure_auth":
                switch value.lowercased() {
                case "true", "1", "yes": configuration.allowsInsecureAuthentication = true
                case "false", "0", "no": configuration.allowsInsecureAuthentication = false
                default: throw Self.invalid("allow_insecure_auth is true or false")
                }
            case "ca_file":
                guard !value.isEmpty else { throw Self.invalid("ca_file names a PEM file") }
                do {
                    configuration.tlsConfiguration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(value))
                } catch {
                    throw Self.invalid("ca_file \(value) cannot be read as PEM certificates")
                }
            case "ehlo_name":
                guard SMTPConfiguration.isValidEHLOName(value) else { throw Self.invalid("ehlo_name is a domain or address literal") }
                configuration.ehloName = value
            default:
                throw Self.invalid("unknown parameter '\(name.prefix(40))' (known: timeout, connect_timeout, allow_insecure_auth, ca_file, ehlo_name)")
            }
        }
        if credentials != nil, security == .plain, !configuration.allowsInsecureAuthentication {
            throw Self.invalid(
                "smtp:// would send the password without TLS: use smtp+starttls:// or smtps://, or add ?allow_insecure_auth=true")
        }
        try configuration.validate()
        self.init(smtp: configuration)
    }

    /// The sender this URL names: a ``Gatehouse/ConsoleEmailSender`` or an ``SMTPEmailSender``,
    /// logging to `logger`.
    public func makeSender(logger: Logger = Logger(label: "gatehouse.email")) -> any EmailSender {
        guard let smtp else { return ConsoleEmailSender(logger: logger) }
        return SMTPEmailSender(configuration: smtp, logger: logger)
    }

    /// The URL with its password replaced by `***`, and the port spelt out.
    public var description: String {
        guard let smtp else { return "console:" }
        let scheme = switch smtp.security {
        case .tls: "smtps"
        case .startTLS: "smtp+starttls"
        default: "smtp"
        }
        let user = smtp.credentials.map { "\(Self.percentEncoded($0.username)):***@" } ?? ""
        let host = smtp.host.contains(":") ? "[\(smtp.host)]" : smtp.host
        return "\(scheme)://\(user)\(host):\(smtp.port)"
    }

    private static func invalid(_ reason: String) -> SMTPError {
        .invalidConfiguration(reason)
    }

    private static func hostAndPort(_ authority: Substring) throws(SMTPError) -> (String, Int?) {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("an IPv6 address lacks its ]") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw invalid("the IPv6 address is malformed")
            }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
            guard !host.isEmpty else { throw invalid("it has no host") }
            guard host.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }) else {
                throw invalid("the host has characters a host name cannot have")
            }
        }
        guard let portText else { return (String(host), nil) }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText),
            (1...65_535).contains(port)
        else {
            throw invalid("the port must be a number between 1 and 65535")
        }
        return (String(host), port)
    }

    private static func seconds(_ text: String, name: String) throws(SMTPError) -> Duration {
        guard let value = Double(text), value.isFinite, value > 0, value <= 3600 else {
            throw invalid("\(name) is a number of seconds between 0 and 3600")
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0x0F)])"
            }
        }
        return result
    }
}
