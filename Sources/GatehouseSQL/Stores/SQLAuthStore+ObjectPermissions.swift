public import Gatehouse
import SQLKit

/// Object permissions in `gatehouse_user_object_permission` and `gatehouse_group_object_permission`
/// (migration `0002_gatehouse_object_permissions`).
extension SQLAuthStore: ObjectPermissionStore {
    /// Checks the object id, the permission, the content type and that they belong together.
    static func checkObjectGrant(_ db: any SQLDatabase, permissionID: Int64, object: ObjectReference) async throws {
        try object.validate()
        guard
            let row = try await db.raw("SELECT content_type_id FROM auth_permission WHERE id = \(bind: permissionID)").first()
        else { throw StoreError.invalidReference("permission") }
        guard try await exists(db, table: "django_content_type", id: object.contentTypeID) else {
            throw StoreError.invalidReference("content type")
        }
        guard try row.decode(column: "content_type_id", as: Int64.self) == object.contentTypeID else {
            throw ObjectPermissionError.contentTypeMismatch
        }
    }

    public func grant(_ permissionID: Int64, toUser userID: Int64, on object: ObjectReference) async throws {
        try await write(invalidReference: .invalidReference("user or permission")) { db in
            try await Self.checkObjectGrant(db, permissionID: permissionID, object: object)
            guard try await Self.exists(db, table: "auth_user", id: userID) else { throw StoreError.invalidReference("user") }
            try await db.raw(
                """
                INSERT INTO gatehouse_user_object_permission (user_id, permission_id, content_type_id, object_pk) \
                VALUES (\(bind: userID), \(bind: permissionID), \(bind: object.contentTypeID), \(bind: object.objectID)) \
                ON CONFLICT (user_id, permission_id, object_pk) DO NOTHING
                """
            ).run()
        }
    }

    public func revoke(_ permissionID: Int64, fromUser userID: Int64, on object: ObjectReference) async throws -> Bool {
        try await write { db in
            try await db.raw(
                """
                DELETE FROM gatehouse_user_object_permission WHERE user_id = \(bind: userID) \
                AND permission_id = \(bind: permissionID) AND content_type_id = \(bind: object.contentTypeID) \
                AND object_pk = \(bind: object.objectID) RETURNING id
                """
            ).first() != nil
        }
    }

    public func grant(_ permissionID: Int64, toGroup groupID: Int64, on object: ObjectReference) async throws {
        try await write(invalidReference: .invalidReference("group or permission")) { db in
            try await Self.checkObjectGrant(db, permissionID: permissionID, object: object)
            guard try await Self.exists(db, table: "auth_group", id: groupID) else { throw StoreError.invalidReference("group") }
            try await db.raw(
                """
                INSERT INTO gatehouse_group_object_permission (group_id, permission_id, content_type_id, object_pk) \
                VALUES (\(bind: groupID), \(bind: permissionID), \(bind: object.contentTypeID), \(bind: object.objectID)) \
                ON CONFLICT (group_id, permission_id, object_pk) DO NOTHING
                """
            ).run()
        }
    }

    public func revoke(_ permissionID: Int64, fromGroup groupID: Int64, on object: ObjectReference) async throws -> Bool {
        try await write { db in
            try await db.raw(
                """
                DELETE FROM gatehouse_group_object_permission WHERE group_id = \(bind: groupID) \
                AND permission_id = \(bind: permissionID) AND content_type_id = \(bind: object.contentTypeID) \
                AND object_pk = \(bind: object.objectID) RETURNING id
                """
            ).first() != nil
        }
    }

    public func objectPermissionGrants(on object: ObjectReference) async throws -> [ObjectPermissionGrant] {
        let rows = try await read { db in
            try await db.raw(
                """
                SELECT g.holder_kind AS holder_kind, g.holder_id AS holder_id, p.id AS id, p.name AS name, \
                p.codename AS codename, p.content_type_id AS content_type_id, ct.app_label AS app_label, ct.model AS model \
                FROM (SELECT 0 AS holder_kind, user_id AS holder_id, permission_id FROM gatehouse_user_object_permission \
                WHERE content_type_id = \(bind: object.contentTypeID) AND object_pk = \(bind: object.objectID) \
                UNION ALL SELECT 1 AS holder_kind, group_id AS holder_id, permission_id FROM gatehouse_group_object_permission \
                WHERE content_type_id = \(bind: object.contentTypeID) AND object_pk = \(bind: object.objectID)) g \
                JOIN auth_permission p ON p.id = g.permission_id JOIN django_content_type ct ON ct.id = p.content_type_id \
                ORDER BY g.holder_kind, g.holder_id, ct.app_label, ct.model, p.codename
                """
            ).all()
        }
        return try rows.map { row in
            let holderID = try row.decode(column: "holder_id", as: Int64.self)
            let holder: ObjectPermissionHolder =
                try row.decode(column: "holder_kind", as: Int.self) == 0 ? .user(holderID) : .group(holderID)
            return ObjectPermissionGrant(permission: try Self.decodePermission(row), holder: holder, object: object)
        }.sorted(by: ObjectPermissionGrant.listingOrder)
    }

    public func objectPermissions(userID: Int64, on object: ObjectReference) async throws -> [Permission] {
        try await read { db in
            try await db.raw(
                Self.permissionQuery(
                    where: """
                        p.id IN (SELECT permission_id FROM gatehouse_user_object_permission \
                        WHERE user_id = \(bind: userID) AND content_type_id = \(bind: object.contentTypeID) \
                        AND object_pk = \(bind: object.objectID) \
                        UNION SELECT gop.permission_id FROM gatehouse_group_object_permission gop \
                        JOIN auth_user_groups ug ON ug.group_id = gop.group_id WHERE ug.user_id = \(bind: userID) \
                        AND gop.content_type_id = \(bind: object.contentTypeID) AND gop.object_pk = \(bind: object.objectID))
                        """
                )
            ).all()
        }.map(Self.decodePermission)
    }

    public func objectIDs(userID: Int64, permission permissionID: Int64, contentType contentTypeID: Int64) async throws -> [String] {
        // One query; sorted here so that every engine and collation gives the same order.
        try await read { db in
            try await db.raw(
                """
                SELECT object_pk FROM gatehouse_user_object_permission WHERE user_id = \(bind: userID) \
                AND permission_id = \(bind: permissionID) AND content_type_id = \(bind: contentTypeID) \
                UNION SELECT gop.object_pk AS object_pk FROM gatehouse_group_object_permission gop \
                JOIN auth_user_groups ug ON ug.group_id = gop.group_id WHERE ug.user_id = \(bind: userID) \
                AND gop.permission_id = \(bind: permissionID) AND gop.content_type_id = \(bind: contentTypeID)
                """
            ).all()
        }.map { try $0.decode(column: "object_pk", as: String.self) }.sorted()
    }
}
