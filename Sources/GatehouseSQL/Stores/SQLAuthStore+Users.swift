public import Gatehouse
import Foundation
import SQLKit

extension SQLAuthStore {
    static let userColumns: SQLQueryString =
        "id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined"

    /// Decodes a user row; when the query also read the permission version (user loads do), the
    /// version is recorded.
    func decodeUser(_ row: any SQLRow) throws -> User {
        if row.contains(column: "gatehouse_permission_version") {
            permissionVersion.observe(try Self.decodePermissionVersion(row))
        }
        return User(
            id: try row.decode(column: "id", as: Int64.self),
            password: try row.decode(column: "password", as: String.self),
            lastLogin: try values.optionalDate(row, "last_login"),
            isSuperuser: try values.bool(row, "is_superuser"),
            username: try row.decode(column: "username", as: String.self),
            firstName: try row.decode(column: "first_name", as: String.self),
            lastName: try row.decode(column: "last_name", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            isStaff: try values.bool(row, "is_staff"),
            isActive: try values.bool(row, "is_active"),
            dateJoined: try values.date(row, "date_joined")
        )
    }

    public func insertUser(_ user: NewUser) async throws -> User {
        let draft = user.user(id: 0)
        let values = self.values
        let id = try await write(duplicate: .duplicate("username"), changesPermissions: false) { db in
            let row = try await db.raw(
                """
                INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, email, \
                is_staff, is_active, date_joined) VALUES (\(bind: draft.password), \(values.bind(draft.lastLogin)), \
                \(values.bind(draft.isSuperuser)), \(bind: draft.username), \(bind: draft.firstName), \
                \(bind: draft.lastName), \(bind: draft.email), \(values.bind(draft.isStaff)), \
                \(values.bind(draft.isActive)), \(values.bind(draft.dateJoined))) RETURNING id
                """
            ).first()
            guard let row else { throw StoreError.unavailable("insert returned no id") }
            return try row.decode(column: "id", as: Int64.self)
        }
        return user.user(id: id)
    }

    public func user(id: Int64) async throws -> User? {
        try await read { db in
            try await db.raw("SELECT \(Self.userColumns), \(Self.permissionVersionColumn) FROM auth_user WHERE id = \(bind: id)").first()
        }.map(decodeUser)
    }

    public func user(username: String) async throws -> User? {
        let username = Username.normalize(username)
        return try await read { db in
            try await db.raw(
                "SELECT \(Self.userColumns), \(Self.permissionVersionColumn) FROM auth_user WHERE username = \(bind: username)"
            ).first()
        }.map(decodeUser)
    }

    public func updateUser(_ user: User) async throws {
        var user = user
        user.username = Username.normalize(user.username)
        let saved = user
        let values = self.values
        try await write(duplicate: .duplicate("username"), changesPermissions: false) { db in
            let row = try await db.raw(
                """
                UPDATE auth_user SET password = \(bind: saved.password), last_login = \(values.bind(saved.lastLogin)), \
                is_superuser = \(values.bind(saved.isSuperuser)), username = \(bind: saved.username), \
                first_name = \(bind: saved.firstName), last_name = \(bind: saved.lastName), email = \(bind: saved.email), \
                is_staff = \(values.bind(saved.isStaff)), is_active = \(values.bind(saved.isActive)), \
                date_joined = \(values.bind(saved.dateJoined)) WHERE id = \(bind: saved.id) RETURNING id
                """
            ).first()
            if row == nil { throw StoreError.notFound("user") }
        }
    }

    public func deleteUser(id: Int64) async throws -> Bool {
        try await write { db in
            try await db.raw("DELETE FROM auth_user_groups WHERE user_id = \(bind: id)").run()
            try await db.raw("DELETE FROM auth_user_user_permissions WHERE user_id = \(bind: id)").run()
            try await db.raw("DELETE FROM gatehouse_user_object_permission WHERE user_id = \(bind: id)").run()
            return try await db.raw("DELETE FROM auth_user WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    public func users(offset: Int, limit: Int) async throws -> [User] {
        let offset = max(0, offset)
        let limit = max(0, limit)
        return try await read { db in
            try await db.raw(
                "SELECT \(Self.userColumns) FROM auth_user ORDER BY id LIMIT \(bind: limit) OFFSET \(bind: offset)"
            ).all()
        }.map(decodeUser)
    }

    /// Active users with `UPPER(email) = UPPER(email)`, Django's `email__iexact` on PostgreSQL (on
    /// SQLite, `UPPER` folds ASCII only, as Django's `LIKE` there does).
    public func users(emailMatching email: String) async throws -> [User] {
        let values = self.values
        return try await read { db in
            try await db.raw(
                "SELECT \(Self.userColumns) FROM auth_user WHERE UPPER(email) = UPPER(\(bind: email)) AND is_active = \(values.bind(true)) ORDER BY id"
            ).all()
        }.map(decodeUser)
    }
}
