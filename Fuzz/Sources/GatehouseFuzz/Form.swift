@testable import GatehouseHummingbird
import NIOCore

/// `application/x-www-form-urlencoded` bodies as the login view and the CSRF middleware read them,
/// each value then HTML-escaped as a page would show it: no `<`, `>`, `"` or `'` may survive.
enum FormTarget {
    static func run(_ data: [UInt8]) {
        let form = FormFields.parse(ByteBuffer(bytes: data))
        for name in ["username", "password", "next", "csrfmiddlewaretoken"] {
            _ = form.first(name)
            guard let value = form.last(name) else { continue }
            let escaped = HTMLEscaping.escape(value)
            precondition(!escaped.unicodeScalars.contains { "<>\"'".unicodeScalars.contains($0) }, "HTML escaping left a special character")
        }
    }
}
