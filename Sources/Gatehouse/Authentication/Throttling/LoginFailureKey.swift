#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What failed logins are counted under: a username and a client address together, an address, or
/// a username, each in the normalized form the store keeps (see ``normalizedUsername(_:)`` and
/// ``normalizedAddress(_:)``).
///
/// ```swift
/// let key = LoginFailureKey.usernameAndAddress(username: "alice", address: "203.0.113.9")
/// ```
public enum LoginFailureKey: Sendable, Hashable, CustomStringConvertible {
    /// One username from one address.
    case usernameAndAddress(username: String, address: String)
    /// One address, any username.
    case address(String)
    /// One username, any address.
    case username(String)

    /// The three kinds of key, each with its own limit.
    ///
    /// ```swift
    /// configuration.limit(for: .usernameAndAddress)
    /// ```
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Username and address together.
        case usernameAndAddress = "username+address"
        /// Address alone.
        case address
        /// Username alone.
        case username
    }

    /// The keys a login of `username` from `address` counts under, both already normalized.
    ///
    /// ```swift
    /// LoginFailureKey.all(username: "alice", address: "203.0.113.9").count   // 3
    /// ```
    public static func all(username: String, address: String) -> [LoginFailureKey] {
        [.usernameAndAddress(username: username, address: address), .address(address), .username(username)]
    }

    /// The kind of key.
    public var kind: Kind {
        switch self {
        case .usernameAndAddress: .usernameAndAddress
        case .address: .address
        case .username: .username
        }
    }

    /// The username of the key, if it has one.
    public var username: String? {
        switch self {
        case .usernameAndAddress(let username, _), .username(let username): username
        case .address: nil
        }
    }

    /// The address of the key, if it has one.
    public var address: String? {
        switch self {
        case .usernameAndAddress(_, let address), .address(let address): address
        case .username: nil
        }
    }

    /// The key for logs: control characters of the username are replaced, and it is shortened.
    public var description: String {
        switch self {
        case .usernameAndAddress(let username, let address):
            "username+address \(Self.scrubbed(username)) \(address)"
        case .address(let address): "address \(address)"
        case .username(let username): "username \(Self.scrubbed(username))"
        }
    }

    // MARK: Normalization

    /// The form of a typed username that failures are counted under: Unicode NFKC (as user lookup
    /// normalizes it), without leading and trailing white space or control characters, lowercased,
    /// and with any other control character replaced by U+FFFD (no valid username has one, and a
    /// database need not store one).
    ///
    /// Every spelling that could reach the same account counts under one key, so an attacker gains
    /// nothing by adding spaces or changing case; lookups stay case-sensitive, so `Alice` and
    /// `alice` share a count even where they are two accounts (a failure for one counts for both).
    ///
    /// ```swift
    /// LoginFailureKey.normalizedUsername(" Ａlice\t")   // "alice"
    /// ```
    public static func normalizedUsername(_ username: String) -> String {
        let trimmed = Username.normalize(username).unicodeScalars
            .drop { isIgnorable($0) }
            .reversed().drop { isIgnorable($0) }.reversed()
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: trimmed.map { $0.properties.generalCategory == .control ? "\u{FFFD}" : $0 })
        return String(scalars).lowercased()
    }

    /// The form of a client address that failures are counted under: IPv4 as dotted text; IPv6 as
    /// its /64 network (`2001:db8:1:2::/64`), since one client commonly holds a whole /64 and could
    /// otherwise change address at every try; an IPv4-mapped IPv6 address as IPv4. Anything else
    /// (a Unix socket, a name) is kept as given, trimmed, lowercased, at most 100 characters and
    /// without control characters; an unknown address (`nil`)
    /// is the empty string, one address shared by every client whose address is unknown.
    ///
    /// ```swift
    /// LoginFailureKey.normalizedAddress("2001:DB8:1:2:aaaa::1")   // "2001:db8:1:2::/64"
    /// ```
    public static func normalizedAddress(_ address: String?) -> String {
        guard let address else { return "" }
        var text = address.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return format(family: AF_INET, &v4) ?? text }
        var v6 = in6_addr()
        guard text.contains(":"), inet_pton(AF_INET6, text, &v6) == 1 else {
            return String(String.UnicodeScalarView(text.unicodeScalars.prefix(100).map { $0.properties.generalCategory == .control ? "\u{FFFD}" : $0 }))
        }
        var bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        for index in 8..<16 { bytes[index] = 0 }
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
        return (format(family: AF_INET6, &v6) ?? text) + "/64"
    }

    private static func format<Address>(family: Int32, _ address: inout Address) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let count = buffer.count
        let done = withUnsafePointer(to: &address) { pointer in
            buffer.withUnsafeMutableBufferPointer { inet_ntop(family, pointer, $0.baseAddress, socklen_t(count)) }
        }
        guard done != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func isIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
            || scalar.properties.generalCategory == .format
    }

    /// `text` with control and format characters replaced by `?` and at most 150 characters: safe
    /// to put in one log line.
    ///
    /// ```swift
    /// LoginFailureKey.scrubbed("eve\nFAKE LOG LINE")   // "eve?FAKE LOG LINE"
    /// ```
    public static func scrubbed(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(150) {
            let category = scalar.properties.generalCategory
            let unsafe = category == .control || category == .format || category == .lineSeparator
                || category == .paragraphSeparator
            scalars.append(unsafe ? "?" : scalar)
        }
        return String(scalars)
    }
}
