/// An IPv4 or IPv6 address, parsed from its text form strictly: dotted-quad IPv4 (no leading zeros,
/// no shorter forms) and RFC 4291 IPv6 (with `::` and an IPv4 tail, without a zone). An IPv4-mapped
/// IPv6 address (`::ffff:10.0.0.1`, as a dual-stack socket reports an IPv4 peer) is the IPv4 address.
///
/// ```swift
/// let peer = IPAddress("::ffff:10.0.0.7")   // the IPv4 address 10.0.0.7
/// ```
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, network order.
    public let bytes: [UInt8]

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// An address of 4 or 16 bytes.
    package init(bytes: [UInt8]) {
        precondition(bytes.count == 4 || bytes.count == 16)
        self.bytes = bytes
    }

    /// Parses `text`; `nil` when it is not an address in the forms above.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= 45 else { return nil }
        if let v4 = Self.parseIPv4(utf8[...]) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(utf8) {
            let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
            bytes = Array(v6[0..<12]) == mapped ? Array(v6[12...]) : v6
        } else {
            return nil
        }
    }

    /// The address in its usual text form (IPv6 without compression, lowercase hexadecimal).
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    private static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            if part.count > 1, part.first == UInt8(ascii: "0") { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return nil }
            result.append(UInt8(value))
        }
        return result
    }

    private static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
        // Split at a single `::`, if any.
        var head = text[...]
        var tail: ArraySlice<UInt8>? = nil
        if let index = (0..<max(0, text.count - 1)).first(where: { text[$0] == UInt8(ascii: ":") && text[$0 + 1] == UInt8(ascii: ":") }) {
            head = text[..<index]
            tail = text[(index + 2)...]
            if let tail, tail.count >= 2, zip(tail, tail.dropFirst()).contains(where: { $0 == UInt8(ascii: ":") && $1 == UInt8(ascii: ":") }) {
                return nil
            }
        }
        func groups(_ part: ArraySlice<UInt8>, allowIPv4Tail: Bool) -> [UInt8]? {
            if part.isEmpty { return [] }
            let pieces = part.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            var result: [UInt8] = []
            for (offset, piece) in pieces.enumerated() {
                if allowIPv4Tail, offset == pieces.count - 1, piece.contains(UInt8(ascii: ".")) {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    result += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(String(decoding: piece, as: UTF8.self), radix: 16),
                    piece.allSatisfy({ isHexDigit($0) })
                else { return nil }
                result += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return result
        }
        guard let first = groups(head, allowIPv4Tail: tail == nil) else { return nil }
        guard let tail else { return first.count == 16 ? first : nil }
        guard let last = groups(tail, allowIPv4Tail: true), first.count + last.count <= 14 else { return nil }
        return first + [UInt8](repeating: 0, count: 16 - first.count - last.count) + last
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
