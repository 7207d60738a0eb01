import Foundation

/// Reads a `postgres://` or `postgresql://` URL as libpq reads a connection URI:
/// `postgresql://[user[:password]@][host][:port][/dbname][?param=value&...]`, every part
/// percent-decoded, a host that starts with `/` naming the directory of a Unix-domain socket (also
/// percent-encoded in the authority: `postgresql://%2Fvar%2Frun%2Fpostgresql/db`), and the query's
/// `host`, `port`, `user`, `password` and `dbname` replacing the URL's own.
struct PostgresURLParser {
    /// The query parameters accepted; libpq knows more, and refuses unknown ones as this does.
    static let acceptedParameters = [
        "host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "options", "application_name", "connect_timeout",
    ]

    var host = ""
    var port = 5432
    var username: String?
    var password: String?
    var database: String?
    var parameters = PostgresURLParameters()

    init(_ string: String) throws(DatabaseURLError) {
        guard let schemeEnd = string.range(of: "://") else { throw .unsupportedScheme }
        var rest = Substring(string[schemeEnd.upperBound...])
        guard !rest.contains("#") else { throw .invalid("a postgres URL has no #fragment") }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        let authority: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty { database = try Self.decode(path, "the database name") }
        } else {
            authority = rest
        }
        var hostAndPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostAndPort = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                username = try Self.decode(userInfo[..<colon], "the user name")
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], "the password")
            } else {
                username = try Self.decode(userInfo, "the user name")
            }
        }
        try readHostAndPort(hostAndPort)
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw .invalid("a URL parameter has no value (write name=value)")
            }
            let name = try Self.decode(pair[..<equals], "a parameter name")
            let value = try Self.decode(pair[pair.index(after: equals)...], "the value of \(name)")
            try apply(name: name, value: value)
        }
        guard !host.isEmpty else {
            throw .invalid(
                "a postgres URL needs a host: postgres://user@host:port/database, or for a Unix-domain socket postgresql:///database?host=/var/run/postgresql"
            )
        }
        guard !host.contains(",") else { throw .invalid("a postgres URL with several hosts is not supported: give one") }
        if username?.isEmpty ?? true {
            // libpq's default: the operating-system user running the program.
            username = ProcessInfo.processInfo.userName
        }
        if database?.isEmpty == true { database = nil }
    }

    private mutating func readHostAndPort(_ text: Substring) throws(DatabaseURLError) {
        var hostPart = text
        var portPart: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalid("an IPv6 host needs its closing ]") }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalid("unexpected text after the IPv6 host") }
                portPart = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        host = try Self.decode(hostPart, "the host")
        if let portPart, !portPart.isEmpty { port = try Self.port(String(portPart)) }
    }

    private mutating func apply(name: String, value: String) throws(DatabaseURLError) {
        switch name {
        case "host": host = value
        case "port": port = try Self.port(value)
        case "user": username = value
        case "password": password = value
        case "dbname": database = value
        case "sslmode":
            guard let mode = PostgresSSLMode(rawValue: value) else {
                if value == "allow" {
                    throw .invalid("sslmode=allow is not supported (plain first, TLS only when the server insists): use prefer or require")
                }
                throw .invalid("sslmode must be one of disable, prefer, require, verify-ca, verify-full")
            }
            parameters.sslMode = mode
        case "sslrootcert": parameters.sslRootCert = value.isEmpty ? nil : value
        case "options": parameters.options = value.isEmpty ? nil : value
        case "application_name": parameters.applicationName = value.isEmpty ? nil : value
        case "connect_timeout":
            guard let seconds = Int(value), (0...86_400).contains(seconds) else {
                throw .invalid("connect_timeout is a whole number of seconds")
            }
            // libpq: 0 (or nothing) waits without limit; here that is postgres-nio's default.
            parameters.connectTimeoutSeconds = seconds == 0 ? nil : max(2, seconds)
        default:
            throw .invalid(
                "the URL parameter '\(name.prefix(40))' is not supported (accepted: \(Self.acceptedParameters.joined(separator: ", ")))"
            )
        }
    }

    private static func port(_ text: String) throws(DatabaseURLError) -> Int {
        guard text.allSatisfy(\.isASCII), let port = Int(text), (1...65_535).contains(port) else {
            throw .invalid("the port must be a number between 1 and 65535")
        }
        return port
    }

    /// Percent-decodes `text`; `+` stays a plus sign, as libpq reads it.
    private static func decode(_ text: Substring, _ what: String) throws(DatabaseURLError) -> String {
        guard let decoded = String(text).removingPercentEncoding else { throw .invalid("\(what) has a malformed percent-escape") }
        // Checked after decoding: `%00` is a NUL too, and would cut the value short in C.
        guard !decoded.utf8.contains(0) else { throw .invalid("\(what) contains a NUL character") }
        return decoded
    }
}
