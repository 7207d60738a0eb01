public import Gatehouse
public import HTTPTypes

/// The names of the headers that tell an upstream application who is asking. The defaults are
/// `X-Gatehouse-User` (username), `X-Gatehouse-User-Id` and `X-Gatehouse-Groups`
/// (comma-separated); an application that expects others (`Remote-User`, `X-Forwarded-User`) names
/// them here.
///
/// ```swift
/// let names = try IdentityHeaderNames(user: "Remote-User", userID: "Remote-User-Id", groups: "Remote-Groups")
/// ```
public struct IdentityHeaderNames: Sendable, Hashable {
    /// The username's header.
    public var user: HTTPField.Name
    /// The user id's header.
    public var userID: HTTPField.Name
    /// The groups' header.
    public var groups: HTTPField.Name

    /// Gatehouse's own names, `X-Gatehouse-User`, `X-Gatehouse-User-Id` and `X-Gatehouse-Groups`.
    public init() {
        self.user = HTTPField.Name("X-Gatehouse-User")!
        self.userID = HTTPField.Name("X-Gatehouse-User-Id")!
        self.groups = HTTPField.Name("X-Gatehouse-Groups")!
    }

    /// Names of your own; throws for a name that is not a valid header name or names that collide
    /// once `_` is read as `-` and case ignored.
    public init(user: String, userID: String, groups: String) throws {
        guard let user = HTTPField.Name(user), let userID = HTTPField.Name(userID), let groups = HTTPField.Name(groups) else {
            throw GatewayPolicyError.invalid("an identity header name is not a valid header name", line: nil)
        }
        let spellings = Set([user, userID, groups].map { ProxyHeaders.spelling($0.rawName) })
        guard spellings.count == 3 else {
            throw GatewayPolicyError.invalid("the three identity header names must differ (case and _ for - aside)", line: nil)
        }
        self.user = user
        self.userID = userID
        self.groups = groups
    }

    /// All three.
    public var all: [HTTPField.Name] { [user, userID, groups] }
}

/// Sets the identity headers: the username (`X-Gatehouse-User` by default), the user id and the
/// groups (comma-separated). Values are percent-encoded UTF-8 (letters, digits and `-._~@+` kept
/// as they are), so a username or group name with non-ASCII characters, commas or control
/// characters arrives intact and unambiguous.
///
/// ```swift
/// IdentityHeaders.apply(user: alice, groups: ["editors"], to: &headers)
/// ```
public enum IdentityHeaders {
    /// `X-Gatehouse-User`.
    public static let user = IdentityHeaderNames().user
    /// `X-Gatehouse-User-Id`.
    public static let userID = IdentityHeaderNames().userID
    /// `X-Gatehouse-Groups`.
    public static let groups = IdentityHeaderNames().groups
    /// All three default names.
    public static let all = IdentityHeaderNames().all

    /// Removes any identity header (a client may send them to impersonate someone), then adds the
    /// user's when there is one.
    public static func apply(
        user account: (any UserAccount)?,
        groups names: [String],
        to headers: inout HTTPFields,
        names header: IdentityHeaderNames = IdentityHeaderNames()
    ) {
        for name in header.all { headers[name] = nil }
        guard let account, account.isAuthenticated, let id = account.userID else { return }
        headers[header.user] = encode(account.username)
        headers[header.userID] = String(id)
        headers[header.groups] = names.sorted().map(encode).joined(separator: ",")
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
