/// A permission on a content type (`auth_permission`), named `app_label.codename` in checks.
///
/// ```swift
/// let change = try await store.insertPermission(name: "Can change post", codename: "change_post", contentTypeID: post.id)
/// print(change.key)   // "blog.change_post"
/// ```
public struct Permission: Sendable, Hashable, Codable, Identifiable {
    /// Django's `max_length` for permission names.
    public static let maximumNameLength = 255
    /// Django's `max_length` for codenames.
    public static let maximumCodenameLength = 100

    /// The primary key.
    public var id: Int64
    /// The human-readable name, such as `Can change post`.
    public var name: String
    /// The codename, unique per content type, such as `change_post`.
    public var codename: String
    /// The content type the permission belongs to.
    public var contentType: ContentType

    /// Creates a permission value.
    public init(id: Int64, name: String, codename: String, contentType: ContentType) {
        self.id = id
        self.name = name
        self.codename = codename
        self.contentType = contentType
    }

    /// The name checks use: `app_label.codename`.
    public var key: String { "\(contentType.appLabel).\(codename)" }

    /// Django's ordering for permissions: app label, model, codename.
    public static func djangoOrder(_ lhs: Permission, _ rhs: Permission) -> Bool {
        (lhs.contentType.appLabel, lhs.contentType.model, lhs.codename)
            < (rhs.contentType.appLabel, rhs.contentType.model, rhs.codename)
    }
}

/// A permission name split into its application label and codename.
///
/// ```swift
/// let name = try PermissionName("blog.change_post")
/// print(name.appLabel, name.codename)   // blog change_post
/// ```
public struct PermissionName: Sendable, Hashable, CustomStringConvertible {
    /// The application label.
    public var appLabel: String
    /// The codename.
    public var codename: String

    /// Parses `app_label.codename`, splitting at the first dot as Django does.
    public init(_ string: String) throws(ValidationError) {
        guard let dot = string.firstIndex(of: "."),
            dot != string.startIndex,
            string.index(after: dot) != string.endIndex
        else {
            throw ValidationError(
                code: "invalid_permission",
                message: "Permission names have the form app_label.codename."
            )
        }
        self.appLabel = String(string[..<dot])
        self.codename = String(string[string.index(after: dot)...])
    }

    /// Creates a name from its parts.
    public init(appLabel: String, codename: String) {
        self.appLabel = appLabel
        self.codename = codename
    }

    /// `app_label.codename`.
    public var description: String { "\(appLabel).\(codename)" }
}
