import Mustache

/// HTML escaping for text put into pages, by templates and by hand.
///
/// It works on UTF-8 bytes, not on grapheme clusters: a quote followed by a combining mark
/// (`"\u{338}`) is one `Character` in Swift, and an escaper that compares characters leaves that
/// quote as it is, so `value="x"̸ onclick=…` would end the attribute. Every `&`, `<`, `>`, `"` and
/// `'` byte is replaced, whatever follows it.
package enum HTMLEscaping {
    package static func escape(_ text: String) -> String {
        let utf8 = text.utf8
        // Most text needs nothing: no copy then.
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): result.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): result.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): result.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): result.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): result.append(contentsOf: "&#x27;".utf8)
            default: result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// The content type Gatehouse's templates are rendered with: ``HTMLEscaping`` instead of
/// swift-mustache's own HTML escaping, which compares grapheme clusters (see ``HTMLEscaping``).
/// Every template Gatehouse registers, built in or overridden, starts with
/// `{{%CONTENT_TYPE:GATEHOUSE_HTML}}`.
struct GatehouseHTMLContentType: MustacheContentType {
    /// The name it is registered under.
    static let name = "GATEHOUSE_HTML"
    /// Registers the content type with swift-mustache, once per process.
    static let registered: Void = MustacheContentTypes.register(GatehouseHTMLContentType(), named: name)
    /// What every Gatehouse template starts with.
    static var pragma: String {
        _ = registered
        return "{{%CONTENT_TYPE:\(name)}}"
    }

    func escapeText(_ text: String) -> String { HTMLEscaping.escape(text) }
}
