import GatehouseHummingbird

/// A policy path: a prefix (`/static/`), or a glob when it contains `*` or `?` (`/reports/*/pdf`),
/// where `*` matches within one path segment, `**` across segments, `?` one character; a glob must
/// match the whole path.
///
/// A request path matches with or without a trailing slash (a rule `/admin/` covers `/admin`,
/// `/files/*/raw` covers `/files/x/raw/`), and, unless the policy says `case_sensitive: true`,
/// whatever the letters' case (`/ADMIN/` is `/admin/`), because many servers (IIS, Windows and
/// macOS file systems, case-insensitive routers) serve both as one resource.
///
/// ```swift
/// PathPattern("/reports/*/pdf").matches("/reports/2024/pdf")   // true
/// PathPattern("/static/").matches("/static/css/app.css")       // true
/// PathPattern("/admin/").matches("/admin")                     // true
/// ```
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    /// Whether it is a glob rather than a prefix.
    public let isGlob: Bool

    /// The pattern with its letters lowercased, for case-insensitive matching.
    let folded: String

    /// Creates the pattern.
    public init(_ text: String) {
        self.text = text
        self.folded = text.lowercased()
        self.isGlob = text.contains("*") || text.contains("?")
    }

    /// The pattern as written.
    public var description: String { text }

    /// How specific the pattern is: its characters other than wildcards.
    public var literalCount: Int { text.count { $0 != "*" && $0 != "?" } }

    /// Whether `path` (normalized, see ``normalize(_:)``) is matched, with or without its trailing
    /// slash. Case-insensitive unless `caseSensitive`; a caller matching many patterns lowercases
    /// the path once and passes `caseSensitive: true` with ``folded`` patterns instead.
    public func matches(_ path: String, caseSensitive: Bool = false) -> Bool {
        caseSensitive ? matches(exactly: path, pattern: text) : matches(exactly: Self.folded(path), pattern: folded)
    }

    /// `text` lowercased, without a copy when it has nothing to lower (ASCII without capitals).
    static func folded(_ text: String) -> String {
        text.utf8.contains { $0 >= 0x80 || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) } ? text.lowercased() : text
    }

    /// Whether `path`, already lowercased when matching without case, is matched.
    func matches(exactly path: String, pattern: String) -> Bool {
        // Bytes, not `Character`s: `/secret/` followed by a combining mark is one `Character` that
        // is not `/`, yet still under `/secret/` (found by the `path` fuzz target).
        if !isGlob {
            // A prefix of the path, or the path with a slash added (`/secret` is under `/secret/`).
            // The path without its trailing slash needs no test: what starts it starts the path.
            if path.utf8.starts(with: pattern.utf8) { return true }
            return path.utf8.last != UInt8(ascii: "/") && pattern.utf8.count == path.utf8.count + 1
                && pattern.utf8.last == UInt8(ascii: "/") && pattern.utf8.starts(with: path.utf8)
        }
        let other: String
        if path.utf8.count > 1, path.utf8.last == UInt8(ascii: "/") {
            other = String(decoding: path.utf8.dropLast(), as: UTF8.self)
        } else {
            other = path + "/"
        }
        let bytes = Array(pattern.utf8)
        return Self.glob(bytes, Array(path.utf8)) || Self.glob(bytes, Array(other.utf8))
    }

    /// Whether the glob matches the whole path, in time proportional to pattern length × path length:
    /// `matched[p][s]` (pattern from `p`, path from `s`), filled from the ends, one pattern position
    /// at a time. Trying every split for every `*`, as it did, took time exponential in the number of
    /// `*`s (found by the `path` fuzz target: `/**/**/**/x` against a long path is a request anyone
    /// could send).
    private static func glob(_ pattern: [UInt8], _ path: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        let slash = UInt8(ascii: "/")
        let count = path.count
        var next = [Bool](repeating: false, count: count + 1)  // matched[p + 1]
        var afterNext = next  // matched[p + 2]
        next[count] = true  // the empty pattern matches the empty rest
        if pattern.isEmpty { return path.isEmpty }
        var current = next
        for p in stride(from: pattern.count - 1, through: 0, by: -1) {
            current = [Bool](repeating: false, count: count + 1)
            let first = pattern[p]
            if first == star {
                let crossesSegments = p + 1 < pattern.count && pattern[p + 1] == star
                let rest = crossesSegments ? afterNext : next  // `**` is one token: matched[p + 2]
                for s in stride(from: count, through: 0, by: -1) {
                    current[s] = rest[s] || (s < count && (crossesSegments || path[s] != slash) && current[s + 1])
                }
            } else {
                for s in 0..<count where first == UInt8(ascii: "?") ? path[s] != slash : path[s] == first {
                    current[s] = next[s + 1]
                }
            }
            afterNext = next
            next = current
        }
        return current[0]
    }

    /// Why a request path is refused before any rule (answered with 400).
    public enum Refusal: String, Error, Sendable, Hashable, CustomStringConvertible {
        /// Not a path starting with `/`.
        case notAPath = "the path does not start with /"
        /// `%2F`, `%5C`, `%00` or `%25`: the escape changes the path's structure, and servers
        /// decode it differently (or twice).
        case structuralEscape = "an escaped /, \\, NUL or % (servers decode it differently)"
        /// A `%` not followed by two hex digits.
        case malformedEscape = "a % not followed by two hex digits"
        /// Escapes that decode to bytes that are not UTF-8.
        case notUTF8 = "escapes that are not UTF-8"
        /// A control character, raw or escaped, or a raw backslash.
        case controlCharacter = "a control character or a backslash"
        /// A `;` in a segment: Tomcat and Spring cut `;parameters` off (`/..;/` is `/../`), others
        /// keep them.
        case segmentParameter = "a ; in a segment (Java servers strip ;parameters, others keep them)"
        /// A segment ending in `.` or a space: Windows and IIS drop them (`/admin./` is `/admin/`).
        case trailingDotOrSpace = "a segment ending in a dot or a space (Windows servers drop them)"
        /// A `.` or `..` segment, raw or escaped. Browsers and curl resolve them before sending, so only
        /// a crafted request has one; and an application that routes on the raw path would read
        /// `/admin/../public/` as under `/admin/`, while others resolve it.
        case dotSegment = "a . or .. segment (clients resolve them before sending)"
        /// A character that must be percent-escaped in a path (RFC 3986): a space, `#`, `{`, `"`,
        /// a backslash, non-ASCII bytes. URL parsers disagree on them (a `#` starts a fragment).
        case invalidCharacter = "a character that must be escaped in a path (space, #, {, \\, non-ASCII...)"

        /// The reason, for logs and `gatehouse policy explain`.
        public var description: String { rawValue }
    }

    /// The path a policy decides on, or ``Refusal`` when common servers could read the path
    /// differently from each other (and so from the policy). docs/gateway.md has the table.
    ///
    /// Percent-escapes are decoded (`/caf%C3%A9` is `/café`, `/%41DMIN/` is `/ADMIN/`), except
    /// `%2F`, `%5C`, `%00` and `%25`, which are refused; repeated slashes are collapsed. Refused
    /// too: characters RFC 3986 does not allow raw in a path, control characters, escapes that are
    /// not UTF-8, `.` and `..` segments, `;` in a segment, and a segment ending in a dot or space.
    /// The policy decides on the decoded path; the application receives the path as the client
    /// sent it, which is safe because nothing in it needs resolving.
    ///
    /// ```swift
    /// PathPattern.decoded("/secret//%61")     // .success("/secret/a")
    /// PathPattern.decoded("/a%2Fb")           // .failure(.structuralEscape)
    /// PathPattern.decoded("/a/../b")          // .failure(.dotSegment)
    /// ```
    public static func decoded(_ path: String) -> Result<String, Refusal> {
        guard path.utf8.first == UInt8(ascii: "/") else { return .failure(.notAPath) }
        return isCanonical(path) ? .success(path) : decodedInFull(path)
    }

    /// ``decoded(_:)`` without the one-pass shortcut for paths that are already canonical.
    package static func decodedInFull(_ path: String) -> Result<String, Refusal> {
        guard path.utf8.first == UInt8(ascii: "/") else { return .failure(.notAPath) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        var input = Array(path.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard input.count >= 2, let high = FormFields.hexValue(input[input.startIndex]),
                    let low = FormFields.hexValue(input[input.startIndex + 1])
                else {
                    return .failure(.malformedEscape)
                }
                let decoded = high << 4 | low
                input = input.dropFirst(2)
                switch decoded {
                case UInt8(ascii: "/"), UInt8(ascii: "\\"), 0, UInt8(ascii: "%"): return .failure(.structuralEscape)
                default: break
                }
                bytes.append(decoded)
            } else {
                guard isAllowedRaw(byte) else { return .failure(.invalidCharacter) }
                bytes.append(byte)
            }
        }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) { return .failure(.controlCharacter) }
        if String(validating: bytes, as: UTF8.self) == nil { return .failure(.notUTF8) }
        var segments: [ArraySlice<UInt8>] = []
        for part in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if part.elementsEqual([UInt8(ascii: ".")]) || part.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                return .failure(.dotSegment)
            }
            if part.contains(UInt8(ascii: ";")) { return .failure(.segmentParameter) }
            if part.last == UInt8(ascii: ".") || part.last == UInt8(ascii: " ") { return .failure(.trailingDotOrSpace) }
            segments.append(part)
        }
        var result = "/" + segments.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
        if bytes.last == UInt8(ascii: "/"), !segments.isEmpty { result += "/" }
        return .success(result)
    }

    /// Whether `path` is already what ``decoded(_:)`` makes of it, checked in one pass without
    /// allocating (the common case): only unescaped `pchar`s other than `;`, no empty segment but a
    /// trailing slash, no `.` or `..` segment, no segment ending in a dot. Anything else takes the
    /// full decoding, which refuses or rewrites it.
    static func isCanonical(_ path: String) -> Bool {
        var segmentLength = 0
        var last: UInt8 = 0
        var first = true
        for byte in path.utf8 {
            if first {
                first = false  // the leading slash, checked by the caller
                last = byte
                continue
            }
            if byte == UInt8(ascii: "/") {
                // An empty segment (`//`), a dot segment, or one that ends in a dot.
                if segmentLength == 0 || last == UInt8(ascii: ".") { return false }
                segmentLength = 0
            } else {
                guard byte != UInt8(ascii: "%"), byte != UInt8(ascii: ";"), isAllowedRaw(byte) else { return false }
                segmentLength += 1
            }
            last = byte
        }
        return last != UInt8(ascii: ".")
    }

    /// RFC 3986's `pchar` and `/`: what may stand unescaped in a path.
    static func isAllowedRaw(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true  // unreserved
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            true  // sub-delims
        case UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"): true
        default: false
        }
    }

    /// ``decoded(_:)`` as an optional: `nil` for a refused path (answer 400).
    ///
    /// ```swift
    /// PathPattern.normalize("/secret//%61")   // "/secret/a"
    /// PathPattern.normalize("/a%2Fb")                   // nil
    /// ```
    public static func normalize(_ path: String) -> String? {
        try? decoded(path).get()
    }
}
