/// The fields of a user that password validators compare a password with, for saved users and for
/// ones not saved yet.
///
/// Attributes are named as Django's fields: `username`, `first_name`, `last_name`, `email`, plus any
/// ``additional`` ones a custom user model has.
///
/// ```swift
/// let attributes = PasswordUserAttributes(user)   // from a stored User
/// let draft = PasswordUserAttributes(username: "alice", email: "alice@example.com")
/// try PasswordValidators.defaults.validate("alice2024", user: draft)   // throws: too similar, ...
/// ```
public struct PasswordUserAttributes: Sendable, Hashable {
    /// The username.
    public var username: String
    /// Given name.
    public var firstName: String
    /// Family name.
    public var lastName: String
    /// Email address.
    public var email: String
    /// Other text attributes by Django field name, for ``UserAttributeSimilarityValidator``'s
    /// `userAttributes` option.
    public var additional: [String: String]

    /// Creates the attributes; leave out what is not known.
    ///
    /// ```swift
    /// let attributes = PasswordUserAttributes(username: "alice", email: "alice@example.com")
    /// ```
    public init(
        username: String = "",
        firstName: String = "",
        lastName: String = "",
        email: String = "",
        additional: [String: String] = [:]
    ) {
        self.username = username
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.additional = additional
    }

    /// The attributes of a stored user.
    ///
    /// ```swift
    /// try validators.validate(newPassword, user: PasswordUserAttributes(user))
    /// ```
    public init(_ user: User) {
        self.init(username: user.username, firstName: user.firstName, lastName: user.lastName, email: user.email)
    }

    /// The attributes of a user about to be created.
    ///
    /// ```swift
    /// try validators.validate(password, user: PasswordUserAttributes(draft))
    /// ```
    public init(_ user: NewUser) {
        self.init(username: user.username, firstName: user.firstName, lastName: user.lastName, email: user.email)
    }

    /// The value of the attribute with Django's field name `name`, or `nil` when there is none.
    ///
    /// ```swift
    /// attributes["first_name"]   // "Alice"
    /// ```
    public subscript(name: String) -> String? {
        switch name {
        case "username": username
        case "first_name": firstName
        case "last_name": lastName
        case "email": email
        default: additional[name]
        }
    }
}
