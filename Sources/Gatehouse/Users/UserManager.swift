/// Creating users and setting passwords with Django's rules: normalized, validated usernames and
/// emails, password validators, and hashing with the preferred hasher.
///
/// ```swift
/// let manager = UserManager(store: store)
/// let draft = try manager.draft(username: "alice", email: "Alice@EXAMPLE.com")
/// try manager.validatePassword("correct horse battery staple", for: draft)
/// let alice = try await manager.create(draft, password: "correct horse battery staple")
/// ```
public struct UserManager: Sendable {
    /// Where users are saved.
    public let store: any UserStore
    /// How passwords are hashed.
    public let hashers: PasswordHashers
    /// The rules new passwords must pass.
    public let validators: PasswordValidators
    /// Stamps `date_joined`.
    public let clock: any WallClock

    /// Creates a manager; the defaults are Django's hashers and validators and the system clock.
    public init(
        store: any UserStore,
        hashers: PasswordHashers = PasswordHashers(),
        validators: PasswordValidators = .defaults,
        clock: any WallClock = SystemWallClock()
    ) {
        self.store = store
        self.hashers = hashers
        self.validators = validators
        self.clock = clock
    }

    /// The fields of a new user, normalized (NFKC username, lowercased email domain) and checked
    /// against Django's field rules. The password is set by ``create(_:password:)``.
    public func draft(
        username: String,
        email: String = "",
        firstName: String = "",
        lastName: String = "",
        isStaff: Bool = false,
        isSuperuser: Bool = false
    ) throws(ValidationError) -> NewUser {
        let username = Username.normalize(username)
        try Username.validate(username)
        let email = Email.normalize(email)
        if email.unicodeScalars.count > Email.maximumLength {
            throw ValidationError(code: "max_length", message: "Ensure the email address has at most \(Email.maximumLength) characters.")
        }
        if !email.isEmpty, !Email.isPlausible(email) {
            throw ValidationError(code: "invalid", message: "Enter a valid email address.")
        }
        for (field, value) in [("first name", firstName), ("last name", lastName)] where value.unicodeScalars.count > 150 {
            throw ValidationError(code: "max_length", message: "Ensure the \(field) has at most 150 characters.")
        }
        return NewUser(
            username: username, password: "", email: email, firstName: firstName, lastName: lastName,
            isStaff: isStaff, isSuperuser: isSuperuser, dateJoined: clock.now()
        )
    }

    /// Runs the password validators against `password` for the user `draft` describes.
    public func validatePassword(_ password: String, for draft: NewUser) throws {
        try validators.validate(
            password,
            user: PasswordUserAttributes(
                username: draft.username, firstName: draft.firstName, lastName: draft.lastName, email: draft.email
            )
        )
    }

    /// Runs the password validators against `password` for an existing user.
    public func validatePassword(_ password: String, for user: User) throws {
        try validators.validate(
            password,
            user: PasswordUserAttributes(
                username: user.username, firstName: user.firstName, lastName: user.lastName, email: user.email
            )
        )
    }

    /// Hashes `password` (`nil` gives an unusable password) and saves the user. Validators are not
    /// run here: call ``validatePassword(_:for:)-(_,NewUser)`` first, as Django's forms do.
    public func create(_ draft: NewUser, password: String?) async throws -> User {
        var draft = draft
        draft.password = try await hashers.makePassword(password)
        return try await store.insertUser(draft)
    }

    /// Hashes and saves a new password for `user` (`nil` gives an unusable password).
    @discardableResult
    public func setPassword(_ password: String?, for user: User) async throws -> User {
        var user = user
        user.password = try await hashers.makePassword(password)
        try await store.updateUser(user)
        return user
    }
}

extension Email {
    /// A light syntax check: one `@` with something on both sides and a dot-free-or-dotted domain
    /// without spaces. Django's full `EmailValidator` is stricter; this catches typos such as a
    /// missing `@`.
    public static func isPlausible(_ email: String) -> Bool {
        guard let at = email.lastIndex(of: "@") else { return false }
        let local = email[..<at]
        let domain = email[email.index(after: at)...]
        return !local.isEmpty && !domain.isEmpty && !email.contains(where: \.isWhitespace) && !domain.hasPrefix(".")
            && !domain.hasSuffix(".")
    }
}
