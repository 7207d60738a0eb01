/// One password hashing algorithm in Django's stored format (`algorithm$...`).
///
/// A hasher is an immutable value that knows its parameters (iterations, cost, ...). Every method is
/// synchronous and may take hundreds of milliseconds: call them through ``PasswordHashers``, which runs
/// them on a ``PasswordHashingPool`` instead of the cooperative thread pool.
///
/// `verify`, `mustUpdate`, `hardenRuntime` and `summary` accept any string, including hashes that are
/// truncated, hostile or of another algorithm: they return `false`/`nil` rather than throw or trap,
/// and they refuse parameters that would take unreasonable memory or time.
///
/// ```swift
/// let hasher = PBKDF2PasswordHasher(iterations: 1_000)
/// let encoded = try hasher.encode(password: "s3cret", salt: hasher.makeSalt())
/// assert(hasher.verify(password: "s3cret", encoded: encoded))
/// assert(hasher.mustUpdate(encoded: encoded) == false)
/// ```
public protocol PasswordHasher: Sendable {
    /// Django's name of the algorithm, the part of a stored hash before the first `$`.
    var algorithm: String { get }

    /// Whether ``encode(password:salt:)`` makes new hashes. `false` for hashers kept only to check old
    /// hashes (`md5`).
    var canEncode: Bool { get }

    /// A new random salt in the form ``encode(password:salt:)`` expects.
    func makeSalt() -> String

    /// The stored form of `password` with `salt` and this hasher's parameters.
    ///
    /// - Throws: ``PasswordError`` when the salt is not valid, the algorithm makes no new hashes, or the
    ///   algorithm cannot hash this password faithfully.
    func encode(password: String, salt: String) throws(PasswordError) -> String

    /// Whether `password` matches `encoded`. Malformed or foreign input gives `false`; never throws or
    /// traps. Comparisons take the same time wherever the values differ.
    func verify(password: String, encoded: String) -> Bool

    /// Whether `encoded` was made with other parameters (or a weaker salt) than this hasher's, so it
    /// should be replaced after the next successful login. `false` when `encoded` cannot be decoded.
    func mustUpdate(encoded: String) -> Bool

    /// Spends the work that `encoded` lacks compared with this hasher's parameters, so a wrong password
    /// against an old, cheaper hash takes as long as against a current one.
    func hardenRuntime(password: String, encoded: String)

    /// The parameters of `encoded` for display, with salt and hash masked; `nil` when `encoded` is not
    /// a hash this hasher can decode.
    func summary(encoded: String) -> PasswordHashSummary?
}

extension PasswordHasher {
    /// Hashers make new hashes unless they say otherwise.
    public var canEncode: Bool { true }

    /// Hashers without a work factor to catch up on do nothing.
    ///
    /// ```swift
    /// MD5PasswordHasher().hardenRuntime(password: given, encoded: stored)   // does nothing
    /// ```
    public func hardenRuntime(password: String, encoded: String) {}

    /// Encodes `password` with a new random salt.
    ///
    /// ```swift
    /// let encoded = try ScryptPasswordHasher().makePassword("s3cret")
    /// ```
    public func makePassword(_ password: String) throws(PasswordError) -> String {
        try encode(password: password, salt: makeSalt())
    }
}

/// The parameters of a stored hash, safe to show: salt and hash are masked as Django's `mask_hash` does
/// (the first few characters, then `*`).
///
/// Show it to administrators; do not log it, since even masked values narrow a search.
///
/// ```swift
/// if let summary = hashers.identifyHasher(user.password)?.summary(encoded: user.password) {
///     for field in summary.fields { print("\(field.name): \(field.value)") }
/// }
/// ```
public struct PasswordHashSummary: Sendable, Hashable {
    /// One named value, such as `iterations: 1500000`.
    ///
    /// ```swift
    /// let field = PasswordHashSummary.Field(name: "iterations", value: "1500000")
    /// ```
    public struct Field: Sendable, Hashable {
        /// The label Django uses, such as `work factor`.
        public var name: String
        /// The value as text.
        public var value: String

        /// Creates a field.
        ///
        /// ```swift
        /// PasswordHashSummary.Field(name: "work factor", value: "12")
        /// ```
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The algorithm of the hash.
    public var algorithm: String
    /// The fields in Django's order, starting with `algorithm`.
    public var fields: [Field]

    /// Creates a summary.
    ///
    /// ```swift
    /// PasswordHashSummary(algorithm: "custom", fields: [.init(name: "algorithm", value: "custom")])
    /// ```
    public init(algorithm: String, fields: [Field]) {
        self.algorithm = algorithm
        self.fields = fields
    }

    /// The value of the field called `name`.
    ///
    /// ```swift
    /// summary["iterations"]   // "1500000"
    /// ```
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Django's `mask_hash`: the first `show` characters, then one `*` for each remaining character.
    ///
    /// ```swift
    /// PasswordHashSummary.mask("abcdefghij")   // "abcdef****"
    /// ```
    public static func mask(_ value: some StringProtocol, show: Int = 6) -> String {
        let scalars = Array(value.unicodeScalars)
        let shown = min(max(show, 0), scalars.count)
        var result = String(String.UnicodeScalarView(scalars[..<shown]))
        result += String(repeating: "*", count: scalars.count - shown)
        return result
    }
}
