import GatehouseHummingbird

/// A policy path: a prefix (`/static/`), or a glob when it contains `*` or `?` (`/reports/*/pdf`),
/// where `*` matches within one path segment, `**` across segments, `?` one character; a glob must
/// match the whole path.
///
/// ```swift
/// PathPattern("/reports/*/pdf").matches("/reports/2024/pdf")   // true
/// PathPattern("/static/").matches("/static/css/app.css")       // true
/// ```
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    /// Whether it is a glob rather than a prefix.
    public let isGlob: Bool

    /// Creates the pattern.
    public init(_ text: String) {
        self.text = text
        self.isGlob = text.contains("*") || text.contains("?")
    }

    /// The pattern as written.
    public var description: String { text }

    /// How specific the pattern is: its characters other than wildcards.
    public var literalCount: Int { text.count { $0 != "*" && $0 != "?" } }

    /// Whether `path` (normalized) is matched.
    public func matches(_ path: String) -> Bool {
        guard isGlob else { return path.hasPrefix(text) }
        return Self.glob(Array(text.utf8)[...], Array(path.utf8)[...])
    }

    private static func glob(_ pattern: ArraySlice<UInt8>, _ path: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        let slash = UInt8(ascii: "/")
        if first == UInt8(ascii: "*") {
            let crossesSegments = pattern.dropFirst().first == UInt8(ascii: "*")
            let rest = pattern.dropFirst(crossesSegments ? 2 : 1)
            var candidate = path
            while true {
                if glob(rest, candidate) { return true }
                guard let next = candidate.first, crossesSegments || next != slash else { return false }
                candidate = candidate.dropFirst()
            }
        }
        guard let character = path.first else { return false }
        if first == UInt8(ascii: "?") {
            return character != slash && glob(pattern.dropFirst(), path.dropFirst())
        }
        return first == character && glob(pattern.dropFirst(), path.dropFirst())
    }

    /// The path a policy decides on: percent-escapes of unreserved characters decoded, `.` and `..`
    /// segments resolved, repeated slashes collapsed. `nil` (answer 400) for paths that would mean
    /// something else to the upstream than to the policy: an escaped `/`, `\` or `%`, a NUL, or a
    /// `..` above the root.
    ///
    /// ```swift
    /// PathPattern.normalize("/static/../secret/%61")   // "/secret/a"
    /// PathPattern.normalize("/a%2Fb")                   // nil
    /// ```
    public static func normalize(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return nil }
        var bytes: [UInt8] = []
        var input = Array(path.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard input.count >= 2, let high = FormFields.hexValue(input[input.startIndex]), let low = FormFields.hexValue(input[input.startIndex + 1]) else {
                    return nil
                }
                let decoded = high << 4 | low
                input = input.dropFirst(2)
                let unreserved = (decoded >= 0x30 && decoded <= 0x39) || (decoded >= 0x41 && decoded <= 0x5A)
                    || (decoded >= 0x61 && decoded <= 0x7A) || decoded == 0x2D || decoded == 0x2E || decoded == 0x5F || decoded == 0x7E
                guard unreserved else { return nil }  // keep the policy and the upstream reading the same bytes
                bytes.append(decoded)
            } else {
                guard byte != 0, byte != UInt8(ascii: "\\") else { return nil }
                bytes.append(byte)
            }
        }
        var segments: [ArraySlice<UInt8>] = []
        let parts = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        for part in parts {
            if part.elementsEqual([UInt8(ascii: ".")]) { continue }
            if part.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                guard !segments.isEmpty else { return nil }
                segments.removeLast()
                continue
            }
            segments.append(part)
        }
        var result = "/" + segments.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
        let last = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last
        let endsInDirectory = bytes.last == UInt8(ascii: "/") || last.map { $0.elementsEqual([46]) || $0.elementsEqual([46, 46]) } == true
        if endsInDirectory, !segments.isEmpty { result += "/" }
        return result
    }
}
