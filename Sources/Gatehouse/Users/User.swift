public import Foundation

/// A user account with every field of Django's `auth_user` table.
///
/// `password` holds an encoded hash (`pbkdf2_sha256$...`), never a plain password. Its description and
/// mirror leave the hash out, so printing or logging a `User` does not leak it.
///
/// ```swift
/// if let user = try await store.user(username: "alice"), user.isActive {
///     print(user.username, user.isStaff)
/// }
/// ```
public struct User: Sendable, Hashable, Codable, Identifiable {
    /// The primary key (`auth_user.id`).
    public var id: Int64
    /// The encoded password hash, or an unusable password (`!` followed by 40 characters).
    public var password: String
    /// When the user last logged in, if ever.
    public var lastLogin: Date?
    /// Whether the user has every permission without being granted it.
    public var isSuperuser: Bool
    /// The NFKC-normalized username: at most 150 characters of letters, digits and `@.+-_`.
    public var username: String
    /// Given name, at most 150 characters.
    public var firstName: String
    /// Family name, at most 150 characters.
    public var lastName: String
    /// Email address with a lowercased domain, at most 254 characters; may be empty.
    public var email: String
    /// Whether the user may use staff-only pages.
    public var isStaff: Bool
    /// Whether the account may log in. Deactivate accounts instead of deleting them.
    public var isActive: Bool
    /// When the account was created.
    public var dateJoined: Date

    /// Creates a user value; stores assign `id` when inserting a ``NewUser``.
    public init(
        id: Int64,
        password: String,
        lastLogin: Date? = nil,
        isSuperuser: Bool = false,
        username: String,
        firstName: String = "",
        lastName: String = "",
        email: String = "",
        isStaff: Bool = false,
        isActive: Bool = true,
        dateJoined: Date
    ) {
        self.id = id
        self.password = password
        self.lastLogin = lastLogin
        self.isSuperuser = isSuperuser
        self.username = username
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.isStaff = isStaff
        self.isActive = isActive
        self.dateJoined = dateJoined
    }

    /// Whether the stored password can ever match: an unusable password starts with `!`, as in Django.
    public var hasUsablePassword: Bool { !password.hasPrefix("!") }

    /// First and last name joined by a space, trimmed, as Django's `get_full_name`.
    public var fullName: String {
        "\(firstName) \(lastName)".trimmingCharacters(in: .whitespaces)
    }
}

extension User: UserAccount {
    /// Always `true` for a stored user.
    public var isAuthenticated: Bool { true }
    /// The user's id.
    public var userID: Int64? { id }
}

extension User: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The username and id; never the password hash.
    public var description: String { "User(id: \(id), username: \(username))" }
    /// The same as ``description``.
    public var debugDescription: String { description }
    /// A mirror without the password hash.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "id": id, "username": username, "email": email, "isActive": isActive, "isStaff": isStaff,
                "isSuperuser": isSuperuser, "lastLogin": lastLogin as Any, "dateJoined": dateJoined,
            ],
            displayStyle: .struct
        )
    }
}

/// The fields of a user that a store has not saved yet.
///
/// ```swift
/// let draft = NewUser(username: "alice", password: encoded, email: "alice@example.com", dateJoined: .now)
/// let alice = try await store.insertUser(draft)
/// ```
public struct NewUser: Sendable, Hashable {
    /// The username; stores normalize it with NFKC before saving.
    public var username: String
    /// The encoded password hash.
    public var password: String
    /// Email address.
    public var email: String
    /// Given name.
    public var firstName: String
    /// Family name.
    public var lastName: String
    /// Staff flag.
    public var isStaff: Bool
    /// Superuser flag.
    public var isSuperuser: Bool
    /// Active flag.
    public var isActive: Bool
    /// When the account was created.
    public var dateJoined: Date
    /// Last login, usually `nil` for a new account.
    public var lastLogin: Date?

    /// Creates the fields of a new user.
    public init(
        username: String,
        password: String,
        email: String = "",
        firstName: String = "",
        lastName: String = "",
        isStaff: Bool = false,
        isSuperuser: Bool = false,
        isActive: Bool = true,
        dateJoined: Date,
        lastLogin: Date? = nil
    ) {
        self.username = username
        self.password = password
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.isStaff = isStaff
        self.isSuperuser = isSuperuser
        self.isActive = isActive
        self.dateJoined = dateJoined
        self.lastLogin = lastLogin
    }

    /// The user these fields make once a store has given them `id`.
    public func user(id: Int64) -> User {
        User(
            id: id, password: password, lastLogin: lastLogin, isSuperuser: isSuperuser,
            username: Username.normalize(username), firstName: firstName, lastName: lastName,
            email: email, isStaff: isStaff, isActive: isActive, dateJoined: dateJoined
        )
    }
}

extension NewUser: CustomStringConvertible {
    /// The username; never the password hash.
    public var description: String { "NewUser(username: \(username))" }
}
