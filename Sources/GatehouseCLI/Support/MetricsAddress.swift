/// Where the metrics listener binds: a host name or address and a port.
struct MetricsAddress: Equatable, CustomStringConvertible {
    let host: String
    let port: Int

    /// Parses `host:port` or `[v6]:port`; `nil` for anything else.
    init?(_ text: String) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            if host.contains(":") { return nil }
        }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }),
            !port.isEmpty, port.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let number = Int(port),
            (0...65_535).contains(number)
        else { return nil }
        self.host = String(host)
        self.port = number
    }

    var description: String { Self.display(host: host, port: port) }

    /// `host:port`, with an IPv6 address in brackets.
    static func display(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
