/// An ``AuthStore`` in memory: for tests and small embedded uses.
///
/// It keeps the same rules as the SQL stores (normalized unique usernames, unique group names,
/// unique `(content type, codename)`, cascading deletes, references checked) and passes the same
/// conformance suite.
///
/// ```swift
/// let store = MemoryAuthStore()
/// let alice = try await store.insertUser(NewUser(username: "alice", password: hash, dateJoined: .now))
/// ```
public actor MemoryAuthStore: AuthStore, PermissionChangeTracking {
    /// Advanced by every change to grants, memberships, groups, permissions and content types.
    public nonisolated let permissionVersion = PermissionVersion()
    private var usersByID: [Int64: User] = [:]
    private var groupsByID: [Int64: Group] = [:]
    private var contentTypesByID: [Int64: ContentType] = [:]
    private var permissionRows: [Int64: (name: String, codename: String, contentTypeID: Int64)] = [:]
    private var memberships: Set<Link> = []
    private var userGrants: Set<Link> = []
    private var groupGrants: Set<Link> = []
    private var nextID: [Table: Int64] = [:]

    private enum Table { case user, group, contentType, permission }
    private struct Link: Hashable {
        var left: Int64
        var right: Int64
    }

    /// Creates an empty store.
    public init() {}

    private func allocateID(_ table: Table) -> Int64 {
        let id = (nextID[table] ?? 0) + 1
        nextID[table] = id
        return id
    }

    // MARK: Users

    public func insertUser(_ user: NewUser) throws -> User {
        let username = Username.normalize(user.username)
        guard !usersByID.values.contains(where: { $0.username == username }) else {
            throw StoreError.duplicate("username")
        }
        let saved = user.user(id: allocateID(.user))
        usersByID[saved.id] = saved
        return saved
    }

    public func user(id: Int64) -> User? { usersByID[id] }

    public func user(username: String) -> User? {
        let username = Username.normalize(username)
        return usersByID.values.first { $0.username == username }
    }

    public func updateUser(_ user: User) throws {
        guard usersByID[user.id] != nil else { throw StoreError.notFound("user") }
        var user = user
        user.username = Username.normalize(user.username)
        if usersByID.values.contains(where: { $0.username == user.username && $0.id != user.id }) {
            throw StoreError.duplicate("username")
        }
        usersByID[user.id] = user
    }

    public func deleteUser(id: Int64) -> Bool {
        permissionVersion.advance()
        guard usersByID.removeValue(forKey: id) != nil else { return false }
        memberships = memberships.filter { $0.left != id }
        userGrants = userGrants.filter { $0.left != id }
        return true
    }

    public func users(offset: Int, limit: Int) -> [User] {
        Array(usersByID.values.sorted { $0.id < $1.id }.dropFirst(max(0, offset)).prefix(max(0, limit)))
    }

    /// Active users whose email equals `email` ignoring ASCII case (as SQLite's `UPPER` compares).
    public func users(emailMatching email: String) -> [User] {
        let wanted = email.uppercasedASCII
        return usersByID.values.filter { $0.isActive && $0.email.uppercasedASCII == wanted }.sorted { $0.id < $1.id }
    }

    // MARK: Groups

    public func insertGroup(name: String) throws -> Group {
        guard !groupsByID.values.contains(where: { $0.name == name }) else { throw StoreError.duplicate("name") }
        let group = Group(id: allocateID(.group), name: name)
        groupsByID[group.id] = group
        return group
    }

    public func group(id: Int64) -> Group? { groupsByID[id] }

    public func group(name: String) -> Group? { groupsByID.values.first { $0.name == name } }

    public func updateGroup(_ group: Group) throws {
        guard groupsByID[group.id] != nil else { throw StoreError.notFound("group") }
        if groupsByID.values.contains(where: { $0.name == group.name && $0.id != group.id }) {
            throw StoreError.duplicate("name")
        }
        groupsByID[group.id] = group
    }

    public func deleteGroup(id: Int64) -> Bool {
        permissionVersion.advance()
        guard groupsByID.removeValue(forKey: id) != nil else { return false }
        memberships = memberships.filter { $0.right != id }
        groupGrants = groupGrants.filter { $0.right != id }
        return true
    }

    public func groups() -> [Group] { groupsByID.values.sorted { $0.name < $1.name } }

    public func addUser(_ userID: Int64, toGroup groupID: Int64) throws {
        permissionVersion.advance()
        guard usersByID[userID] != nil else { throw StoreError.invalidReference("user") }
        guard groupsByID[groupID] != nil else { throw StoreError.invalidReference("group") }
        memberships.insert(Link(left: userID, right: groupID))
    }

    public func removeUser(_ userID: Int64, fromGroup groupID: Int64) -> Bool {
        permissionVersion.advance()
        return memberships.remove(Link(left: userID, right: groupID)) != nil
    }

    public func groups(ofUser userID: Int64) -> [Group] {
        memberships.filter { $0.left == userID }.compactMap { groupsByID[$0.right] }.sorted { $0.name < $1.name }
    }

    public func users(inGroup groupID: Int64) -> [User] {
        memberships.filter { $0.right == groupID }.compactMap { usersByID[$0.left] }.sorted { $0.id < $1.id }
    }

    // MARK: Content types

    public func insertContentType(appLabel: String, model: String) throws -> ContentType {
        guard contentType(appLabel: appLabel, model: model) == nil else {
            throw StoreError.duplicate("app_label, model")
        }
        let contentType = ContentType(id: allocateID(.contentType), appLabel: appLabel, model: model)
        contentTypesByID[contentType.id] = contentType
        return contentType
    }

    public func contentType(id: Int64) -> ContentType? { contentTypesByID[id] }

    public func contentType(appLabel: String, model: String) -> ContentType? {
        contentTypesByID.values.first { $0.appLabel == appLabel && $0.model == model }
    }

    public func contentTypes() -> [ContentType] {
        contentTypesByID.values.sorted { ($0.appLabel, $0.model) < ($1.appLabel, $1.model) }
    }

    public func deleteContentType(id: Int64) -> Bool {
        permissionVersion.advance()
        guard contentTypesByID.removeValue(forKey: id) != nil else { return false }
        for (permissionID, row) in permissionRows where row.contentTypeID == id {
            _ = deletePermission(id: permissionID)
        }
        return true
    }

    // MARK: Permissions

    public func insertPermission(name: String, codename: String, contentTypeID: Int64) throws -> Permission {
        permissionVersion.advance()
        guard let contentType = contentTypesByID[contentTypeID] else {
            throw StoreError.invalidReference("content type")
        }
        if permissionRows.values.contains(where: { $0.contentTypeID == contentTypeID && $0.codename == codename }) {
            throw StoreError.duplicate("content_type, codename")
        }
        let id = allocateID(.permission)
        permissionRows[id] = (name, codename, contentTypeID)
        return Permission(id: id, name: name, codename: codename, contentType: contentType)
    }

    private func permissionValue(_ id: Int64) -> Permission? {
        guard let row = permissionRows[id], let contentType = contentTypesByID[row.contentTypeID] else { return nil }
        return Permission(id: id, name: row.name, codename: row.codename, contentType: contentType)
    }

    public func permission(id: Int64) -> Permission? { permissionValue(id) }

    public func permission(appLabel: String, codename: String) -> Permission? {
        permissions().first { $0.contentType.appLabel == appLabel && $0.codename == codename }
    }

    public func permissions() -> [Permission] {
        permissionRows.keys.compactMap(permissionValue).sorted(by: Permission.djangoOrder)
    }

    public func deletePermission(id: Int64) -> Bool {
        permissionVersion.advance()
        guard permissionRows.removeValue(forKey: id) != nil else { return false }
        userGrants = userGrants.filter { $0.right != id }
        groupGrants = groupGrants.filter { $0.left != id }
        return true
    }

    public func grant(_ permissionID: Int64, toUser userID: Int64) throws {
        permissionVersion.advance()
        guard permissionRows[permissionID] != nil else { throw StoreError.invalidReference("permission") }
        guard usersByID[userID] != nil else { throw StoreError.invalidReference("user") }
        userGrants.insert(Link(left: userID, right: permissionID))
    }

    public func revoke(_ permissionID: Int64, fromUser userID: Int64) -> Bool {
        permissionVersion.advance()
        return userGrants.remove(Link(left: userID, right: permissionID)) != nil
    }

    public func grant(_ permissionID: Int64, toGroup groupID: Int64) throws {
        permissionVersion.advance()
        guard permissionRows[permissionID] != nil else { throw StoreError.invalidReference("permission") }
        guard groupsByID[groupID] != nil else { throw StoreError.invalidReference("group") }
        groupGrants.insert(Link(left: permissionID, right: groupID))
    }

    public func revoke(_ permissionID: Int64, fromGroup groupID: Int64) -> Bool {
        permissionVersion.advance()
        return groupGrants.remove(Link(left: permissionID, right: groupID)) != nil
    }

    public func userPermissions(userID: Int64) -> [Permission] {
        userGrants.filter { $0.left == userID }.compactMap { permissionValue($0.right) }
            .sorted(by: Permission.djangoOrder)
    }

    public func groupPermissions(groupID: Int64) -> [Permission] {
        groupGrants.filter { $0.right == groupID }.compactMap { permissionValue($0.left) }
            .sorted(by: Permission.djangoOrder)
    }

    public func permissionsThroughGroups(userID: Int64) -> [Permission] {
        let groupIDs = Set(memberships.filter { $0.left == userID }.map(\.right))
        let permissionIDs = Set(groupGrants.filter { groupIDs.contains($0.right) }.map(\.left))
        return permissionIDs.compactMap(permissionValue).sorted(by: Permission.djangoOrder)
    }
}

extension String {
    /// The string with `a-z` made `A-Z` and nothing else changed.
    fileprivate var uppercasedASCII: String {
        String(decoding: utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
