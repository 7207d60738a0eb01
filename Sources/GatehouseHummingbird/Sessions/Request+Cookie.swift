public import Hummingbird

extension Request {
    /// The value of the first cookie named `name` in the request's `Cookie` headers, found without
    /// parsing the others (the session and CSRF middleware each want one cookie on every request).
    ///
    /// Pairs are separated by `;`, leading spaces and tabs are skipped, and the value is everything
    /// after the first `=` (Django's `parse_cookie` also splits once: `a==b` has the value `=b`, `a=`
    /// the empty value). Hummingbird's `request.cookies` differs only there: it skips repeated `=` and
    /// has no value for `a=`. Session keys and CSRF secrets never contain `=`, and an empty value is
    /// no session, so both readings lead to the same decisions.
    ///
    /// ```swift
    /// let key = request.cookieValue("sessionid")
    /// ```
    public func cookieValue(_ name: String) -> String? {
        let wanted = Array(name.utf8)
        for field in headers where field.name == .cookie {
            let bytes = Array(field.value.utf8)
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
                var nameStart = start
                while nameStart < end, bytes[nameStart] == UInt8(ascii: " ") || bytes[nameStart] == UInt8(ascii: "\t") {
                    nameStart += 1
                }
                if end - nameStart > wanted.count, bytes[nameStart + wanted.count] == UInt8(ascii: "="),
                    bytes[nameStart..<nameStart + wanted.count].elementsEqual(wanted)
                {
                    return String(decoding: bytes[(nameStart + wanted.count + 1)..<end], as: UTF8.self)
                }
                start = end + 1
            }
        }
        return nil
    }
}
