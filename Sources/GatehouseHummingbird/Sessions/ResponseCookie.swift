import Foundation
import Hummingbird

/// The Set-Cookie values Gatehouse writes (session and CSRF), built with Hummingbird's `Cookie` so
/// dates and attributes are formatted the framework's way.
enum ResponseCookie {
    static func make(
        name: String,
        value: String,
        expires: Date?,
        maxAge: Int?,
        domain: String?,
        path: String,
        secure: Bool,
        httpOnly: Bool,
        sameSite: String?
    ) -> Cookie {
        let policy: Cookie.SameSite? = switch sameSite?.lowercased() {
        case "lax": .lax
        case "strict": .strict
        case "none": Cookie.SameSite.none
        default: nil
        }
        if let policy {
            return Cookie(
                name: name, value: value, expires: expires, maxAge: maxAge, domain: domain, path: path,
                secure: secure, httpOnly: httpOnly, sameSite: policy
            )
        }
        return Cookie(
            name: name, value: value, expires: expires, maxAge: maxAge, domain: domain, path: path,
            secure: secure, httpOnly: httpOnly
        )
    }
}
