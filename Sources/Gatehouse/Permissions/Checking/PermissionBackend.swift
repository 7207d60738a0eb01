/// The object a permission is asked about, for object-level permissions: its content type and
/// primary key as text (Django's `object_pk`).
///
/// ```swift
/// let post = PermissionTarget(appLabel: "blog", model: "post", objectID: "42")
/// ```
public struct PermissionTarget: Sendable, Hashable {
    /// The object's application label.
    public var appLabel: String
    /// The object's model name, lowercased.
    public var model: String
    /// The object's primary key as text.
    public var objectID: String

    /// Creates a target.
    public init(appLabel: String, model: String, objectID: String) {
        self.appLabel = appLabel
        self.model = model
        self.objectID = objectID
    }
}

/// Thrown by a permission backend to refuse outright: no later backend is asked (Django's
/// `PermissionDenied` raised from `has_perm`).
///
/// ```swift
/// if account.username == "banned" { throw PermissionRefused(reason: "banned") }
/// ```
public struct PermissionRefused: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why, for logs.
    public var reason: String

    /// Creates the refusal.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { "permission refused: \(reason)" }
}

/// One source of permission answers, asked in order by a ``PermissionChecker``. Any backend's
/// grant wins; a backend that throws ``PermissionRefused`` ends the question with "no".
///
/// ```swift
/// struct AuthorsEditOwnPosts: PermissionBackend {
///     func hasPermission(_ account: any UserAccount, _ permission: String, on target: PermissionTarget?) async throws -> Bool {
///         permission == "blog.change_post" && target.map { isAuthor(account, $0) } ?? false
///     }
///     func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String> { [] }
/// }
/// ```
public protocol PermissionBackend: Sendable {
    /// Whether `account` holds `permission` (`app_label.codename`), globally or on `target`.
    func hasPermission(_ account: any UserAccount, _ permission: String, on target: PermissionTarget?) async throws -> Bool

    /// Every permission this backend grants `account`, globally or on `target`.
    func permissions(of account: any UserAccount, on target: PermissionTarget?) async throws -> Set<String>

    /// Whether `account` holds any permission of the application `appLabel`.
    func hasModulePermissions(_ account: any UserAccount, appLabel: String) async throws -> Bool
}

extension PermissionBackend {
    /// By default: whether ``permissions(of:on:)`` contains `permission`.
    public func hasPermission(_ account: any UserAccount, _ permission: String, on target: PermissionTarget?) async throws -> Bool {
        try await permissions(of: account, on: target).contains(permission)
    }

    /// By default: whether any global permission of ``permissions(of:on:)`` is in `appLabel`.
    public func hasModulePermissions(_ account: any UserAccount, appLabel: String) async throws -> Bool {
        try await permissions(of: account, on: nil).contains { $0.hasPrefix("\(appLabel).") }
    }
}
