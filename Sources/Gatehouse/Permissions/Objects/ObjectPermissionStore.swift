/// One object that permissions are granted on: its content type and its primary key as text
/// (Django's `object_pk`, at most 255 characters).
///
/// ```swift
/// let post42 = ObjectReference(contentTypeID: post.id, objectID: "42")
/// ```
public struct ObjectReference: Sendable, Hashable, Codable {
    /// The longest object id the tables hold (`varchar(255)`), in Unicode scalars.
    public static let maximumObjectIDLength = 255

    /// The object's content type.
    public var contentTypeID: Int64
    /// The object's primary key as text.
    public var objectID: String

    /// Creates a reference.
    public init(contentTypeID: Int64, objectID: String) {
        self.contentTypeID = contentTypeID
        self.objectID = objectID
    }

    /// Throws ``ObjectPermissionError/invalidObjectID`` unless the object id has 1 to 255 characters.
    ///
    /// ```swift
    /// try ObjectReference(contentTypeID: post.id, objectID: "42").validate()
    /// ```
    public func validate() throws(ObjectPermissionError) {
        let length = objectID.unicodeScalars.count
        guard length > 0, length <= Self.maximumObjectIDLength else { throw .invalidObjectID }
    }
}

/// Who holds an object permission: a user or a group.
///
/// ```swift
/// if case .user(let id) = grant.holder { print("user", id) }
/// ```
public enum ObjectPermissionHolder: Sendable, Hashable, Codable {
    /// A user, by id.
    case user(Int64)
    /// A group, by id.
    case group(Int64)
}

/// A permission granted on one object to a user or a group.
///
/// ```swift
/// for grant in try await store.objectPermissionGrants(on: post42) { print(grant.permission.key, grant.holder) }
/// ```
public struct ObjectPermissionGrant: Sendable, Hashable, Codable {
    /// The permission granted.
    public var permission: Permission
    /// Who holds it.
    public var holder: ObjectPermissionHolder
    /// The object it is held on.
    public var object: ObjectReference

    /// Creates a grant value.
    public init(permission: Permission, holder: ObjectPermissionHolder, object: ObjectReference) {
        self.permission = permission
        self.holder = holder
        self.object = object
    }

    /// The order stores list grants in: users before groups, by holder id, then Django's permission order.
    ///
    /// ```swift
    /// let sorted = grants.sorted(by: ObjectPermissionGrant.listingOrder)
    /// ```
    public static func listingOrder(_ lhs: ObjectPermissionGrant, _ rhs: ObjectPermissionGrant) -> Bool {
        func key(_ holder: ObjectPermissionHolder) -> (Int, Int64) {
            switch holder {
            case .user(let id): (0, id)
            case .group(let id): (1, id)
            }
        }
        let (left, right) = (key(lhs.holder), key(rhs.holder))
        if left != right { return left < right }
        return Permission.djangoOrder(lhs.permission, rhs.permission)
    }
}

/// An object-permission request that can never be stored.
///
/// ```swift
/// do { try await store.grant(perm.id, toUser: alice.id, on: object) }
/// catch let error as ObjectPermissionError where error == .contentTypeMismatch { ... }
/// ```
public struct ObjectPermissionError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case invalidObjectID
        case contentTypeMismatch
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// The object id is empty or longer than 255 characters.
    public static let invalidObjectID = ObjectPermissionError(.invalidObjectID)
    /// The permission belongs to another content type than the object (as django-guardian, a
    /// permission is only granted on objects of its own model).
    public static let contentTypeMismatch = ObjectPermissionError(.contentTypeMismatch)

    /// A one-line explanation.
    public var description: String {
        switch base {
        case .invalidObjectID: "an object id has 1 to \(ObjectReference.maximumObjectIDLength) characters"
        case .contentTypeMismatch: "the permission belongs to another content type than the object"
        }
    }
}

/// Where permissions granted on single objects are kept (Gatehouse's own tables
/// `gatehouse_user_object_permission` and `gatehouse_group_object_permission`).
///
/// A permission is granted only on objects of its own content type. Deleting a user, group,
/// permission or content type deletes its object grants. The store keeps raw grants: whether the
/// user is active or a superuser is for ``ObjectPermissionBackend`` to decide.
///
/// ```swift
/// let post42 = ObjectReference(contentTypeID: post.id, objectID: "42")
/// try await store.grant(change.id, toUser: alice.id, on: post42)
/// let editable = try await store.objectIDs(userID: alice.id, permission: change.id, contentType: post.id)   // ["42"]
/// ```
public protocol ObjectPermissionStore: Sendable {
    /// Grants a permission to a user on one object; granting twice changes nothing. Throws
    /// ``StoreError/invalidReference(_:)`` (`permission`, `user`, `content type`) or
    /// ``ObjectPermissionError``.
    func grant(_ permissionID: Int64, toUser userID: Int64, on object: ObjectReference) async throws
    /// Revokes a user's grant on one object; `false` when there was none.
    @discardableResult
    func revoke(_ permissionID: Int64, fromUser userID: Int64, on object: ObjectReference) async throws -> Bool
    /// Grants a permission to a group on one object; granting twice changes nothing.
    func grant(_ permissionID: Int64, toGroup groupID: Int64, on object: ObjectReference) async throws
    /// Revokes a group's grant on one object; `false` when there was none.
    @discardableResult
    func revoke(_ permissionID: Int64, fromGroup groupID: Int64, on object: ObjectReference) async throws -> Bool
    /// Every grant on the object, in ``ObjectPermissionGrant/listingOrder(_:_:)``.
    func objectPermissionGrants(on object: ObjectReference) async throws -> [ObjectPermissionGrant]
    /// The permissions the user holds on the object, directly or through its groups, in Django's
    /// order without repeats.
    func objectPermissions(userID: Int64, on object: ObjectReference) async throws -> [Permission]
    /// The ids of the objects of `contentTypeID` on which the user holds `permissionID`, directly or
    /// through any of its groups, without repeats, sorted as text.
    func objectIDs(userID: Int64, permission permissionID: Int64, contentType contentTypeID: Int64) async throws -> [String]
}
