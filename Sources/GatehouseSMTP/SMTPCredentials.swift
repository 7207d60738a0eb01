/// A user name and password for SMTP AUTH (PLAIN, or LOGIN when the server offers only that).
///
/// Its descriptions and its reflection show the user name only, so a configuration that is printed
/// or dumped does not reveal the password.
public struct SMTPCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The user name.
    public var username: String
    /// The password; never logged.
    public var password: String

    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `SMTPCredentials(username: alice, password: ***)`.
    public var description: String { "SMTPCredentials(username: \(username), password: ***)" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// The user name only.
    public var customMirror: Mirror { Mirror(self, children: ["username": username], displayStyle: .struct) }
}
