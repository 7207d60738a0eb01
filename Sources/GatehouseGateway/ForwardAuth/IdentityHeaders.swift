public import Gatehouse
public import HTTPTypes

/// The headers that tell an upstream application who is asking: `X-Gatehouse-User` (username),
/// `X-Gatehouse-User-Id` and `X-Gatehouse-Groups` (comma-separated). Values are percent-encoded
/// UTF-8 (letters, digits and `-._~@+` kept as they are), so a username or group name with
/// non-ASCII characters, commas or control characters arrives intact and unambiguous.
///
/// ```swift
/// IdentityHeaders.apply(user: alice, groups: ["editors"], to: &headers)
/// ```
public enum IdentityHeaders {
    /// `X-Gatehouse-User`.
    public static let user = HTTPField.Name("X-Gatehouse-User")!
    /// `X-Gatehouse-User-Id`.
    public static let userID = HTTPField.Name("X-Gatehouse-User-Id")!
    /// `X-Gatehouse-Groups`.
    public static let groups = HTTPField.Name("X-Gatehouse-Groups")!
    /// All three: removed from every client request before anything is forwarded.
    public static let all = [user, userID, groups]

    /// Removes any identity header (a client may send them to impersonate someone), then adds the
    /// user's when there is one.
    public static func apply(user account: (any UserAccount)?, groups names: [String], to headers: inout HTTPFields) {
        for name in all { headers[name] = nil }
        guard let account, account.isAuthenticated, let id = account.userID else { return }
        headers[user] = encode(account.username)
        headers[userID] = String(id)
        headers[groups] = names.sorted().map(encode).joined(separator: ",")
    }

    /// Percent-encodes all but letters, digits and `-._~@+`.
    ///
    /// ```swift
    /// IdentityHeaders.encode("zoë,admin")   // "zo%C3%AB%2Cadmin"
    /// ```
    public static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "@"), UInt8(ascii: "+"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
            }
        }
        return out
    }
}
