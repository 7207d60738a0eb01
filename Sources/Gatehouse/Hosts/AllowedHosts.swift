/// The host names this site answers to, as Django's `ALLOWED_HOSTS` lists them: a request whose
/// `Host` matches none is refused, so that nobody can make the site build a link (a password reset
/// link above all) on a host the attacker chose.
///
/// A pattern is an exact host name or address (`example.com`, `127.0.0.1`, `[::1]`), a name with a
/// leading dot for the domain and all its subdomains (`.example.com` matches `example.com` and
/// `www.example.com`), or `*` for anything. Matching ignores case and the port, and a trailing dot
/// of the request's host, as Django's does.
///
/// ```swift
/// let hosts = AllowedHosts([".example.com", "10.0.0.5"])
/// hosts.allows(host: "www.example.com:8443")   // true
/// hosts.allows(host: "example.com.evil.test")  // false
/// ```
public struct AllowedHosts: Sendable, Hashable {
    /// The patterns, as given.
    public var patterns: [String]

    /// Gatehouse's default: this machine only (`localhost`, `127.0.0.1`, `[::1]`), the hosts a
    /// development server is reached at. A public site lists its own names.
    public static let local = AllowedHosts(["localhost", "127.0.0.1", "[::1]"])

    /// Creates the list from Django-style patterns.
    public init(_ patterns: [String]) {
        self.patterns = patterns
    }

    /// Whether `host` (a `Host` header's value: a name or address and an optional port) is one
    /// this site answers to. A value that is not a host name, IPv4 or bracketed IPv6 address with
    /// an optional numeric port is never allowed, whatever the patterns say.
    public func allows(host: String) -> Bool {
        guard let domain = Self.domain(ofHost: host) else { return false }
        return patterns.contains { Self.matches(domain: domain, pattern: $0) }
    }

    /// The host name or address of a `Host` value, lowercased and without its port or a trailing
    /// dot; `nil` when the value is not a host name, an IPv4 address or a bracketed IPv6 address
    /// with an optional numeric port (Django's `split_domain_port`).
    package static func domain(ofHost host: String) -> String? {
        // ASCII only: a byte outside it never matches, whatever a Unicode lowercasing would make of it.
        let lower = host.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
        var index = 0
        let domainEnd: Int
        if lower.first == UInt8(ascii: "[") {
            // `[` hex* `:` (hex | `.` | `:`)+ `]`
            guard let close = lower.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            let inner = lower[1..<close]
            guard let colon = inner.firstIndex(of: UInt8(ascii: ":")),
                inner[inner.startIndex..<colon].allSatisfy(isHex),
                colon + 1 < close,
                inner[(colon + 1)...].allSatisfy({ isHex($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") })
            else { return nil }
            domainEnd = close + 1
        } else {
            while index < lower.count, isNameByte(lower[index]) { index += 1 }
            guard index > 0 else { return nil }
            domainEnd = index
        }
        index = domainEnd
        if index < lower.count {
            // `:` digit+
            guard lower[index] == UInt8(ascii: ":"), index + 1 < lower.count,
                lower[(index + 1)...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { return nil }
        }
        var domain = lower[0..<domainEnd]
        if domain.last == UInt8(ascii: ".") { domain = domain.dropLast() }
        guard !domain.isEmpty else { return nil }
        return String(decoding: domain, as: UTF8.self)
    }

    /// Whether a lowercased host name matches one pattern (Django's `is_same_domain`, and `*`).
    package static func matches(domain: String, pattern: String) -> Bool {
        if pattern == "*" { return true }
        let pattern = pattern.lowercased()
        guard let first = pattern.first else { return false }
        if first == "." {
            return domain.hasSuffix(pattern) || domain == pattern.dropFirst()
        }
        return domain == pattern
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }
}
