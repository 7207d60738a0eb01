@testable import Gatehouse
import GatehouseHummingbird
import HTTPTypes
import Hummingbird

/// `Cookie` headers (one per input line, bytes as received) read as the session and CSRF middleware
/// read them: the `sessionid` value checked as a session key, the `csrftoken` value as a CSRF secret.
enum CookieTarget {
    static func run(_ data: [UInt8]) {
        var fields = HTTPFields()
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            fields.append(HTTPField(name: .cookie, lenientValue: line))
        }
        let request = Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "testserver", path: "/", headerFields: fields),
            body: RequestBody(buffer: .init())
        )
        if let key = request.cookieValue("sessionid"), SessionKey.isValid(key) {
            precondition((8...40).contains(key.utf8.count), "session key of a refused length")
            precondition(key.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }, "session key outside a-z0-9")
        }
        let cookie = request.cookieValue("csrftoken")
        if let secret = CSRFToken.secret(fromCookie: cookie) {
            precondition(secret.utf8.count == CSRFToken.secretLength, "CSRF secret of the wrong length")
            let issued = CSRFToken.issue(cookie: cookie)
            precondition(CSRFToken.tokensMatch(given: issued.token, secret: secret), "issued token does not match its secret")
        }
        _ = CSRFToken.tokensMatch(given: cookie ?? "", secret: "abcdefghijklmnopqrstuvwxyzABCDEF")
    }
}
