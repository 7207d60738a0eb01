import GatehouseHummingbird
import HTTPTypes
import NIOHTTP1

/// Which client headers the reverse proxy passes on, and which of the application's it returns.
///
/// A header name is compared by its *spelling*: lowercased, with `_` read as `-`. CGI, WSGI, PHP
/// and Rack turn both `X-Gatehouse-User` and `X_Gatehouse_User` into `HTTP_X_GATEHOUSE_USER`, so a
/// check on the exact name alone would let a client name itself.
enum ProxyHeaders {
    /// A header name as CGI-style servers read it: lowercased, `_` as `-`.
    static func spelling(_ name: String) -> String {
        String(decoding: name.utf8.map { byte in
            switch byte {
            case UInt8(ascii: "_"): UInt8(ascii: "-")
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
            default: byte
            }
        }, as: UTF8.self)
    }

    /// RFC 9110 section 7.6.1's connection-specific headers, and the old `Proxy-Connection`.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade",
    ]

    /// Client headers that claim where a request came from, where it was going, or which method it
    /// really is: Gatehouse sets the forwarding ones itself (`X-Forwarded-*`, `Forwarded`), and the
    /// others are dropped, so that an application never believes a client about them.
    static let forwarding: Set<String> = [
        "forwarded", "x-real-ip", "x-client-ip", "true-client-ip", "x-cluster-client-ip", "client-ip", "cf-connecting-ip",
        "fastly-client-ip", "x-original-url", "x-rewrite-url", "x-original-uri", "x-original-method", "x-original-host",
        "x-host", "x-http-method-override", "x-http-method", "x-method-override", "x-proxyuser-ip", "x-forwarded",
        "forwarded-for", "x-remote-addr", "x-remote-ip", "x-originating-ip", "remote-addr", "x-cluster-client-ip",
        // Identity headers of other gateways (oauth2-proxy, Authelia, Apache): an application moved
        // behind Gatehouse may still believe them.
        "remote-user", "remote-email", "remote-groups", "remote-name", "x-remote-user", "x-user", "x-auth-request-user",
        "x-auth-request-email", "x-auth-request-groups", "x-auth-request-preferred-username",
    ]

    /// Headers set between the client and Gatehouse that the application must not see: `Host`
    /// (replaced by the upstream's), the length (the body is streamed), `Expect` (answered here).
    static let gatewayOwned: Set<String> = ["host", "content-length", "expect"]

    /// The headers to send the application for `request`: the client's, less hop-by-hop headers and
    /// those `Connection` names, less every spelling of an identity or forwarding header, less
    /// Gatehouse's cookies; then `X-Forwarded-For`, `-Proto`, `-Host` and `Forwarded` (RFC 7239).
    static func upstream(
        from client: HTTPFields,
        identityNames: IdentityHeaderNames,
        withoutCookies cookies: Set<String>,
        clientAddress: String?,
        isSecure: Bool,
        authority: String?
    ) -> HTTPHeaders {
        let named = Set(client[values: .connection].flatMap { $0.split(separator: ",") }.map { spelling($0.trimmingSpaces) })
        let identity = Set((identityNames.all + IdentityHeaders.all).map { spelling($0.rawName) })
        var headers = HTTPHeaders()
        for field in client {
            let name = spelling(field.name.rawName)
            if hopByHop.contains(name) || named.contains(name) || identity.contains(name) || forwarding.contains(name)
                || gatewayOwned.contains(name) || name.hasPrefix("x-forwarded-")
            {
                continue
            }
            if name == "cookie" {
                if let kept = cookieHeader(field.value, without: cookies) { headers.add(name: "Cookie", value: kept) }
                continue
            }
            headers.add(name: field.name.rawName, value: field.value)
        }
        let host = authority ?? ""
        let proto = isSecure ? "https" : "http"
        if !host.isEmpty { headers.add(name: "X-Forwarded-Host", value: host) }
        headers.add(name: "X-Forwarded-Proto", value: proto)
        var forwarded: [String] = []
        if let clientAddress {
            headers.add(name: "X-Forwarded-For", value: clientAddress)
            // RFC 7239: an IPv6 address is bracketed and, with its colons, quoted.
            forwarded.append(clientAddress.contains(":") ? "for=\"[\(clientAddress)]\"" : "for=\(clientAddress)")
        }
        forwarded.append("proto=\(proto)")
        if !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            forwarded.append("host=\"\(host)\"")
        }
        headers.add(name: "Forwarded", value: forwarded.joined(separator: ";"))
        return headers
    }

    /// The `Cookie` header without the cookies in `names` (compared as servers parse them: the name
    /// before the first `=`, spaces trimmed); `nil` when nothing is left.
    static func cookieHeader(_ header: String, without names: Set<String>) -> String? {
        let kept = header.split(separator: ";").map(\.trimmingSpaces).filter { pair in
            guard !pair.isEmpty else { return false }
            let name = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingSpaces
            return !names.contains(name)
        }
        return kept.isEmpty ? nil : kept.joined(separator: "; ")
    }

    /// The query as sent on: bytes RFC 3986 does not allow raw in a query are percent-encoded (and
    /// a `%` not starting an escape becomes `%25`), nothing else is touched, so the URL parser
    /// that builds the upstream request keeps it as it is (a raw `#` would start a fragment, and
    /// any invalid byte made it escape every `%` again).
    static func safeQuery(_ query: String) -> String {
        let bytes = Array(query.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "%") {
                let escape = index + 2 < bytes.count && FormFields.hexValue(bytes[index + 1]) != nil && FormFields.hexValue(bytes[index + 2]) != nil
                out.append(contentsOf: escape ? [byte] : Array("%25".utf8))
            } else if PathPattern.isAllowedRaw(byte) || byte == UInt8(ascii: "?") {
                out.append(byte)
            } else {
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The name of the cookie a `Set-Cookie` value sets (before the first `=`, spaces trimmed).
    static func setCookieName(_ value: String) -> String {
        let pair = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingSpaces
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}

