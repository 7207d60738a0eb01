@testable import Gatehouse

/// `next` URLs through `RedirectValidator`, with two checks: a URL safe when HTTPS is required is
/// safe without, and a URL called safe, read the way a browser reads it (WHATWG: C0 controls and
/// spaces trimmed, tabs and line breaks removed, `\` as `/`, any number of slashes before an
/// authority), has an http(s) scheme or none and a host that is empty (no URL for a browser) or
/// allowed.
enum RedirectTarget {
    static let hosts = ["testserver", "accounts.example.com", "example.com:8443"]
    static let validator = RedirectValidator(allowedHosts: Array(hosts.dropFirst()))

    static func run(_ data: [UInt8]) {
        let url = String(decoding: data, as: UTF8.self)
        _ = PythonURLSplit.split(url)
        let safeOverHTTPS = validator.isSafe(url, requestHost: hosts[0], requireHTTPS: true)
        let safe = validator.isSafe(url, requestHost: hosts[0], requireHTTPS: false)
        precondition(!safeOverHTTPS || safe, "safe over HTTPS but not over HTTP")
        guard safe else { return }
        var scalars = Array(url.unicodeScalars.drop { $0.value <= 0x20 }.reversed().drop { $0.value <= 0x20 }.reversed())
        scalars = scalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.map { $0 == "\\" ? "/" : $0 }
        var rest = scalars[...]
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first),
            rest[..<colon].allSatisfy({ $0.isASCII && (("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
        {
            let scheme = String(String.UnicodeScalarView(rest[..<colon])).lowercased()
            precondition(scheme == "http" || scheme == "https", "a safe URL with the scheme \(scheme) for a browser")
            rest = rest[(colon + 1)...]
        }
        let slashes = rest.prefix { $0 == "/" }.count
        let authority = rest.dropFirst(slashes).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        // An empty host (`//?x`), or one with white space (Python strips `\u{A0}` and the like before
        // checking, a browser does not, and IDNA maps them to a space, forbidden in hosts), does not
        // parse for a browser: it goes nowhere.
        guard slashes >= 2, !authority.isEmpty, !authority.contains(where: \.properties.isWhitespace) else { return }
        precondition(hosts.contains(String(String.UnicodeScalarView(authority))), "a safe URL leads a browser to another host")
    }
}
