import Foundation

/// Python 3.13's `urllib.parse.urlsplit` and `SplitResult.geturl()`, reproduced on Unicode scalars
/// (Python's characters are code points), because Django's redirect and CSRF checks are defined by what
/// that parser makes of a URL, quirks included.
///
/// `split` returns `nil` where Python raises `ValueError`: unbalanced or invalid bracketed hosts
/// (`http://[::1`, `http://[1.2.3.4]/`) and non-ASCII network locations that NFKC-normalise to one of
/// `/?#@:` (`http://a\u{2100}b/`).
struct PythonURLSplit: Sendable, Hashable {
    var scheme: [Unicode.Scalar]
    var netloc: [Unicode.Scalar]
    var path: [Unicode.Scalar]
    var query: [Unicode.Scalar]
    var fragment: [Unicode.Scalar]

    /// Python's `urlsplit(url)` (default scheme `""`, fragments allowed); `nil` where it raises.
    static func split(_ url: String) -> PythonURLSplit? {
        split(Array(url.unicodeScalars))
    }

    /// Python's `urlsplit` on code points; `nil` where it raises `ValueError`.
    static func split(_ input: [Unicode.Scalar]) -> PythonURLSplit? {
        // Leading C0 controls and spaces go; so do tabs and line breaks anywhere.
        var start = 0
        while start < input.count, input[start].value <= 0x20 { start += 1 }
        var url = input[start...].filter { $0 != "\t" && $0 != "\r" && $0 != "\n" }

        var scheme: [Unicode.Scalar] = []
        if let colon = url.firstIndex(of: ":"), colon > 0, isASCIILetter(url[0]),
            url[..<colon].allSatisfy(isSchemeCharacter)
        {
            scheme = url[..<colon].map(asciiLowercased)
            url = Array(url[(colon + 1)...])
        }

        var netloc: [Unicode.Scalar] = []
        if url.count >= 2, url[0] == "/", url[1] == "/" {
            let end = url[2...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.count
            netloc = Array(url[2..<end])
            url = Array(url[end...])
            let opens = netloc.contains("[")
            let closes = netloc.contains("]")
            if opens != closes { return nil }
            if opens, let open = netloc.firstIndex(of: "[") {
                let afterOpen = netloc[(open + 1)...]
                let host = afterOpen.firstIndex(of: "]").map { Array(afterOpen[..<$0]) } ?? Array(afterOpen)
                guard isValidBracketedHost(host) else { return nil }
            }
        }

        var fragment: [Unicode.Scalar] = []
        if let hash = url.firstIndex(of: "#") {
            fragment = Array(url[(hash + 1)...])
            url = Array(url[..<hash])
        }
        var query: [Unicode.Scalar] = []
        if let question = url.firstIndex(of: "?") {
            query = Array(url[(question + 1)...])
            url = Array(url[..<question])
        }
        guard netlocSurvivesNFKC(netloc) else { return nil }
        return PythonURLSplit(scheme: scheme, netloc: netloc, path: url, query: query, fragment: fragment)
    }

    /// Python's `SplitResult.geturl()` (`urlunsplit`) for the cases Django formats: it drops an empty
    /// query or fragment and re-adds `//` before a network location.
    var url: String {
        var out: [Unicode.Scalar] = []
        var rest = path
        if !netloc.isEmpty {
            if !rest.isEmpty, rest[0] != "/" { rest.insert("/", at: 0) }
            rest = ["/", "/"] + netloc + rest
        } else if rest.count >= 2, rest[0] == "/", rest[1] == "/" {
            rest = ["/", "/"] + rest
        } else if !scheme.isEmpty, Self.usesNetloc.contains(String(String.UnicodeScalarView(scheme))),
            rest.isEmpty || rest[0] == "/"
        {
            rest = ["/", "/"] + rest
        }
        if !scheme.isEmpty { out = scheme + [":"] }
        out += rest
        if !query.isEmpty { out += ["?"] + query }
        if !fragment.isEmpty { out += ["#"] + fragment }
        return String(String.UnicodeScalarView(out))
    }

    var schemeString: String { String(String.UnicodeScalarView(scheme)) }
    var netlocString: String { String(String.UnicodeScalarView(netloc)) }

    /// `urllib.parse.uses_netloc`.
    private static let usesNetloc: Set<String> = [
        "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp", "snews",
        "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git", "git+ssh", "ws", "wss",
        "itms-services",
    ]

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }

    /// `urllib.parse.scheme_chars`: ASCII letters, digits, `+`, `-` and `.`.
    static func isSchemeCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetter(scalar) || isASCIIDigit(scalar) || scalar == "+" || scalar == "-" || scalar == "."
    }

    static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar
    }

    /// `_checknetloc`: a non-ASCII netloc (ignoring `@ : # ?`) must not gain any of `/ ? # @ :` under
    /// NFKC normalisation.
    static func netlocSurvivesNFKC(_ netloc: [Unicode.Scalar]) -> Bool {
        guard netloc.contains(where: { !$0.isASCII }) else { return true }
        let stripped = netloc.filter { $0 != "@" && $0 != ":" && $0 != "#" && $0 != "?" }
        let normalized = String(String.UnicodeScalarView(stripped)).precomposedStringWithCompatibilityMapping
        return !normalized.unicodeScalars.contains { "/?#@:".unicodeScalars.contains($0) }
    }

    /// `_check_bracketed_host`: `v<hex>.<anything>` (IPvFuture) or an IPv6 address that Python's
    /// `ipaddress.ip_address` accepts (an IPv4 address in brackets is refused).
    static func isValidBracketedHost(_ host: [Unicode.Scalar]) -> Bool {
        if host.first == "v" {
            guard let dot = host.firstIndex(of: "."), dot > 1 else { return false }
            guard host[1..<dot].allSatisfy(isHexDigit) else { return false }
            // `.+\Z`: at least one character, none of them a line feed (already removed by split).
            return dot + 1 < host.count && !host[(dot + 1)...].contains("\n")
        }
        return PythonIPAddress.isIPv6(host)
    }
}

/// The parts of Python's `ipaddress` that `urlsplit` relies on.
enum PythonIPAddress {
    /// `IPv4Address(text)` succeeds: four dot-separated ASCII decimal octets, 0...255, no leading zeros.
    static func isIPv4(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        ipv4Value(text) != nil
    }

    static func ipv4Value(_ text: ArraySlice<Unicode.Scalar>) -> UInt32? {
        if text.isEmpty || text.contains("/") { return nil }
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.allSatisfy(PythonURLSplit.isASCIIDigit), octet.count <= 3 else { return nil }
            if octet.count > 1, octet.first == "0" { return nil }
            var number: UInt32 = 0
            for digit in octet { number = number * 10 + (digit.value - 48) }
            guard number <= 255 else { return nil }
            value = value << 8 | number
        }
        return value
    }

    /// `IPv6Address(text)` succeeds (scope ids such as `%eth0` included).
    static func isIPv6(_ host: [Unicode.Scalar]) -> Bool {
        if host.isEmpty || host.contains("/") { return false }
        var address = host[...]
        if let percent = host.firstIndex(of: "%") {
            let scope = host[(percent + 1)...]
            if scope.isEmpty || scope.contains("%") { return false }
            address = host[..<percent]
        }
        if address.isEmpty { return false }
        var parts = address.split(separator: ":", omittingEmptySubsequences: false).map { Array($0) }
        if parts.count < 3 { return false }
        if let last = parts.last, last.contains(".") {
            guard ipv4Value(last[...]) != nil else { return false }
            parts.removeLast()
            // Two hextets stand in for the IPv4 suffix; their text does not matter beyond being valid.
            parts.append(["0"])
            parts.append(["0"])
        }
        let hextetCount = 8
        if parts.count > hextetCount + 1 { return false }
        var skipIndex: Int?
        if parts.count > 2 {
            for index in 1..<(parts.count - 1) where parts[index].isEmpty {
                if skipIndex != nil { return false }
                skipIndex = index
            }
        }
        var parsed: [[Unicode.Scalar]] = []
        if let skipIndex {
            var high = skipIndex
            var low = parts.count - skipIndex - 1
            if parts[0].isEmpty {
                high -= 1
                if high != 0 { return false }
            }
            if parts[parts.count - 1].isEmpty {
                low -= 1
                if low != 0 { return false }
            }
            if hextetCount - (high + low) < 1 { return false }
            parsed = Array(parts[0..<high]) + Array(parts[(parts.count - low)...])
        } else {
            if parts.count != hextetCount { return false }
            if parts[0].isEmpty || parts[parts.count - 1].isEmpty { return false }
            parsed = parts
        }
        return parsed.allSatisfy { hextet in
            !hextet.isEmpty && hextet.count <= 4 && hextet.allSatisfy(PythonURLSplit.isHexDigit)
        }
    }
}
