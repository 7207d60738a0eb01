public import Gatehouse
import SQLKit

extension SQLAuthStore {
    static func decodeContentType(_ row: any SQLRow) throws -> ContentType {
        ContentType(
            id: try row.decode(column: "id", as: Int64.self),
            appLabel: try row.decode(column: "app_label", as: String.self),
            model: try row.decode(column: "model", as: String.self)
        )
    }

    static func decodePermission(_ row: any SQLRow) throws -> Permission {
        Permission(
            id: try row.decode(column: "id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self),
            codename: try row.decode(column: "codename", as: String.self),
            contentType: ContentType(
                id: try row.decode(column: "content_type_id", as: Int64.self),
                appLabel: try row.decode(column: "app_label", as: String.self),
                model: try row.decode(column: "model", as: String.self)
            )
        )
    }

    /// Permissions joined with their content types, in Django's order, filtered by `condition`.
    static func permissionQuery(where condition: SQLQueryString) -> SQLQueryString {
        """
        SELECT p.id AS id, p.name AS name, p.codename AS codename, p.content_type_id AS content_type_id, \
        ct.app_label AS app_label, ct.model AS model FROM auth_permission p \
        JOIN django_content_type ct ON ct.id = p.content_type_id WHERE \(condition) \
        ORDER BY ct.app_label, ct.model, p.codename
        """
    }

    // MARK: Content types

    public func insertContentType(appLabel: String, model: String) async throws -> ContentType {
        let id = try await write(duplicate: .duplicate("app_label, model"), changesPermissions: false) { db in
            guard
                let row = try await db.raw(
                    "INSERT INTO django_content_type (app_label, model) VALUES (\(bind: appLabel), \(bind: model)) RETURNING id"
                ).first()
            else { throw StoreError.unavailable("insert returned no id") }
            return try row.decode(column: "id", as: Int64.self)
        }
        return ContentType(id: id, appLabel: appLabel, model: model)
    }

    public func contentType(id: Int64) async throws -> ContentType? {
        try await read { db in
            try await db.raw("SELECT id, app_label, model FROM django_content_type WHERE id = \(bind: id)").first()
        }.map(Self.decodeContentType)
    }

    public func contentType(appLabel: String, model: String) async throws -> ContentType? {
        try await read { db in
            try await db.raw(
                """
                SELECT id, app_label, model FROM django_content_type \
                WHERE app_label = \(bind: appLabel) AND model = \(bind: model)
                """
            ).first()
        }.map(Self.decodeContentType)
    }

    public func contentTypes() async throws -> [ContentType] {
        try await read { db in
            try await db.raw("SELECT id, app_label, model FROM django_content_type ORDER BY app_label, model").all()
        }.map(Self.decodeContentType)
    }

    public func deleteContentType(id: Int64) async throws -> Bool {
        try await write { db in
            let permissions: SQLQueryString = "SELECT id FROM auth_permission WHERE content_type_id = \(bind: id)"
            try await db.raw("DELETE FROM auth_user_user_permissions WHERE permission_id IN (\(permissions))").run()
            try await db.raw("DELETE FROM auth_group_permissions WHERE permission_id IN (\(permissions))").run()
            for table in ["gatehouse_user_object_permission", "gatehouse_group_object_permission"] {
                try await db.raw(
                    "DELETE FROM \(ident: table) WHERE content_type_id = \(bind: id) OR permission_id IN (\(permissions))"
                ).run()
            }
            try await db.raw("DELETE FROM auth_permission WHERE content_type_id = \(bind: id)").run()
            return try await db.raw("DELETE FROM django_content_type WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    // MARK: Permissions

    public func insertPermission(name: String, codename: String, contentTypeID: Int64) async throws -> Permission {
        let id = try await write(
            duplicate: .duplicate("content_type, codename"),
            invalidReference: .invalidReference("content type")
        ) { db in
            guard try await Self.exists(db, table: "django_content_type", id: contentTypeID) else {
                throw StoreError.invalidReference("content type")
            }
            guard
                let row = try await db.raw(
                    """
                    INSERT INTO auth_permission (name, content_type_id, codename) \
                    VALUES (\(bind: name), \(bind: contentTypeID), \(bind: codename)) RETURNING id
                    """
                ).first()
            else { throw StoreError.unavailable("insert returned no id") }
            return try row.decode(column: "id", as: Int64.self)
        }
        guard let permission = try await permission(id: id) else { throw StoreError.notFound("permission") }
        return permission
    }

    public func permission(id: Int64) async throws -> Permission? {
        try await read { db in
            try await db.raw(Self.permissionQuery(where: "p.id = \(bind: id)")).first()
        }.map(Self.decodePermission)
    }

    public func permission(appLabel: String, codename: String) async throws -> Permission? {
        try await read { db in
            try await db.raw(
                Self.permissionQuery(where: "ct.app_label = \(bind: appLabel) AND p.codename = \(bind: codename)")
            ).first()
        }.map(Self.decodePermission)
    }

    public func permissions() async throws -> [Permission] {
        try await read { db in
            try await db.raw(Self.permissionQuery(where: "1 = 1")).all()
        }.map(Self.decodePermission)
    }

    public func deletePermission(id: Int64) async throws -> Bool {
        try await write { db in
            try await db.raw("DELETE FROM auth_user_user_permissions WHERE permission_id = \(bind: id)").run()
            try await db.raw("DELETE FROM auth_group_permissions WHERE permission_id = \(bind: id)").run()
            try await db.raw("DELETE FROM gatehouse_user_object_permission WHERE permission_id = \(bind: id)").run()
            try await db.raw("DELETE FROM gatehouse_group_object_permission WHERE permission_id = \(bind: id)").run()
            return try await db.raw("DELETE FROM auth_permission WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    public func grant(_ permissionID: Int64, toUser userID: Int64) async throws {
        try await write(invalidReference: .invalidReference("user or permission")) { db in
            guard try await Self.exists(db, table: "auth_permission", id: permissionID) else {
                throw StoreError.invalidReference("permission")
            }
            guard try await Self.exists(db, table: "auth_user", id: userID) else {
                throw StoreError.invalidReference("user")
            }
            try await db.raw(
                """
                INSERT INTO auth_user_user_permissions (user_id, permission_id) \
                VALUES (\(bind: userID), \(bind: permissionID)) ON CONFLICT (user_id, permission_id) DO NOTHING
                """
            ).run()
        }
    }

    public func revoke(_ permissionID: Int64, fromUser userID: Int64) async throws -> Bool {
        try await write { db in
            try await db.raw(
                """
                DELETE FROM auth_user_user_permissions \
                WHERE user_id = \(bind: userID) AND permission_id = \(bind: permissionID) RETURNING id
                """
            ).first() != nil
        }
    }

    public func grant(_ permissionID: Int64, toGroup groupID: Int64) async throws {
        try await write(invalidReference: .invalidReference("group or permission")) { db in
            guard try await Self.exists(db, table: "auth_permission", id: permissionID) else {
                throw StoreError.invalidReference("permission")
            }
            guard try await Self.exists(db, table: "auth_group", id: groupID) else {
                throw StoreError.invalidReference("group")
            }
            try await db.raw(
                """
                INSERT INTO auth_group_permissions (group_id, permission_id) \
                VALUES (\(bind: groupID), \(bind: permissionID)) ON CONFLICT (group_id, permission_id) DO NOTHING
                """
            ).run()
        }
    }

    public func revoke(_ permissionID: Int64, fromGroup groupID: Int64) async throws -> Bool {
        try await write { db in
            try await db.raw(
                """
                DELETE FROM auth_group_permissions \
                WHERE group_id = \(bind: groupID) AND permission_id = \(bind: permissionID) RETURNING id
                """
            ).first() != nil
        }
    }

    public func userPermissions(userID: Int64) async throws -> [Permission] {
        try await read { db in
            try await db.raw(
                Self.permissionQuery(
                    where: "p.id IN (SELECT permission_id FROM auth_user_user_permissions WHERE user_id = \(bind: userID))"
                )
            ).all()
        }.map(Self.decodePermission)
    }

    public func groupPermissions(groupID: Int64) async throws -> [Permission] {
        try await read { db in
            try await db.raw(
                Self.permissionQuery(
                    where: "p.id IN (SELECT permission_id FROM auth_group_permissions WHERE group_id = \(bind: groupID))"
                )
            ).all()
        }.map(Self.decodePermission)
    }

    public func permissionsThroughGroups(userID: Int64) async throws -> [Permission] {
        try await read { db in
            try await db.raw(
                Self.permissionQuery(
                    where: """
                        p.id IN (SELECT gp.permission_id FROM auth_group_permissions gp \
                        JOIN auth_user_groups ug ON ug.group_id = gp.group_id WHERE ug.user_id = \(bind: userID))
                        """
                )
            ).all()
        }.map(Self.decodePermission)
    }
}
