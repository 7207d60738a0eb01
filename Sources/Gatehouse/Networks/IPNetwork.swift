/// A range of addresses in CIDR notation (`10.0.0.0/8`, `fd00::/8`), or one address (`127.0.0.1`,
/// `::1`): for trusted proxies, and for policy rules on client networks.
///
/// ```swift
/// let network = try IPNetwork("10.0.0.0/8")
/// let inside = network.contains(IPAddress("10.1.2.3")!)   // true
/// ```
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the range (host bits cleared).
    public let address: IPAddress
    /// The number of leading bits that every address of the range shares.
    public let prefixLength: Int

    /// Parses `address/prefix` or a single address. Host bits set below the prefix
    /// (`10.0.0.1/8`) are an error, since they usually mean a typo.
    public init(_ text: String) throws(IPNetworkError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { throw IPNetworkError(text, .notAnAddress) }
        let bits = address.bytes.count * 8
        var length = bits
        if parts.count == 2 {
            // An IPv4-mapped IPv6 range is written with the IPv6 length; it becomes an IPv4 one.
            let written = parts[0].contains(":") && address.isIPv4 ? 128 : bits
            guard parts[1].count <= 3, parts[1].allSatisfy({ $0 >= "0" && $0 <= "9" }), let value = Int(parts[1]),
                value >= written - bits, value <= written
            else { throw IPNetworkError(text, .prefixOutOfRange(lowest: written - bits, highest: written)) }
            length = value - (written - bits)
        }
        let first = Self.masked(address.bytes, length)
        guard first == address.bytes else {
            throw IPNetworkError(text, .hostBitsSet(suggestion: "\(IPAddress(bytes: first))/\(parts.count == 2 ? String(parts[1]) : "")"))
        }
        self.address = address
        self.prefixLength = length
    }

    /// Whether `candidate` is in the range. An IPv4 address is never in an IPv6 range or the other
    /// way round (IPv4-mapped IPv6 addresses are IPv4 addresses, see ``IPAddress``).
    public func contains(_ candidate: IPAddress) -> Bool {
        candidate.bytes.count == address.bytes.count && Self.masked(candidate.bytes, prefixLength) == address.bytes
    }

    /// `address/prefixLength`.
    public var description: String { "\(address)/\(prefixLength)" }

    static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let keep = min(8, max(0, length - index * 8))
            return keep == 8 ? byte : byte & ~(UInt8(0xFF) >> keep)
        }
    }
}

/// A network that could not be parsed: what is wrong, with the text as given.
public struct IPNetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    fileprivate enum Kind: Hashable {
        case notAnAddress
        case prefixOutOfRange(lowest: Int, highest: Int)
        case hostBitsSet(suggestion: String)
    }

    /// The text as given.
    public let text: String
    private let kind: Kind

    fileprivate init(_ text: String, _ kind: Kind) {
        self.text = text
        self.kind = kind
    }

    /// What is wrong, and what to write instead when that is clear.
    public var description: String {
        let quoted = "\"\(text.prefix(100))\""
        switch kind {
        case .notAnAddress:
            return "\(quoted) is not an IPv4 or IPv6 address or CIDR range (10.0.0.0/8, fd00::/8, 127.0.0.1)"
        case .prefixOutOfRange(let lowest, let highest):
            return "\(quoted) has a prefix length outside \(lowest)...\(highest)"
        case .hostBitsSet(let suggestion):
            return "\(quoted) has address bits set past its prefix length: did you mean \(suggestion)?"
        }
    }
}
