public import Gatehouse
import SQLKit

extension SQLAuthStore {
    static func decodeGroup(_ row: any SQLRow) throws -> Group {
        Group(id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self))
    }

    public func insertGroup(name: String) async throws -> Group {
        let id = try await write(duplicate: .duplicate("name"), changesPermissions: false) { db in
            guard let row = try await db.raw("INSERT INTO auth_group (name) VALUES (\(bind: name)) RETURNING id").first()
            else { throw StoreError.unavailable("insert returned no id") }
            return try row.decode(column: "id", as: Int64.self)
        }
        return Group(id: id, name: name)
    }

    public func group(id: Int64) async throws -> Group? {
        try await read { db in
            try await db.raw("SELECT id, name FROM auth_group WHERE id = \(bind: id)").first()
        }.map(Self.decodeGroup)
    }

    public func group(name: String) async throws -> Group? {
        try await read { db in
            try await db.raw("SELECT id, name FROM auth_group WHERE name = \(bind: name)").first()
        }.map(Self.decodeGroup)
    }

    public func updateGroup(_ group: Group) async throws {
        try await write(duplicate: .duplicate("name"), changesPermissions: false) { db in
            let row = try await db.raw(
                "UPDATE auth_group SET name = \(bind: group.name) WHERE id = \(bind: group.id) RETURNING id"
            ).first()
            if row == nil { throw StoreError.notFound("group") }
        }
    }

    public func deleteGroup(id: Int64) async throws -> Bool {
        try await write { db in
            try await db.raw("DELETE FROM auth_user_groups WHERE group_id = \(bind: id)").run()
            try await db.raw("DELETE FROM auth_group_permissions WHERE group_id = \(bind: id)").run()
            try await db.raw("DELETE FROM gatehouse_group_object_permission WHERE group_id = \(bind: id)").run()
            return try await db.raw("DELETE FROM auth_group WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    public func groups() async throws -> [Group] {
        try await read { db in
            try await db.raw("SELECT id, name FROM auth_group ORDER BY name").all()
        }.map(Self.decodeGroup)
    }

    public func addUser(_ userID: Int64, toGroup groupID: Int64) async throws {
        try await write(invalidReference: .invalidReference("user or group")) { db in
            guard try await Self.exists(db, table: "auth_user", id: userID) else {
                throw StoreError.invalidReference("user")
            }
            guard try await Self.exists(db, table: "auth_group", id: groupID) else {
                throw StoreError.invalidReference("group")
            }
            try await db.raw(
                """
                INSERT INTO auth_user_groups (user_id, group_id) VALUES (\(bind: userID), \(bind: groupID)) \
                ON CONFLICT (user_id, group_id) DO NOTHING
                """
            ).run()
        }
    }

    public func removeUser(_ userID: Int64, fromGroup groupID: Int64) async throws -> Bool {
        try await write { db in
            try await db.raw(
                """
                DELETE FROM auth_user_groups WHERE user_id = \(bind: userID) AND group_id = \(bind: groupID) \
                RETURNING id
                """
            ).first() != nil
        }
    }

    public func groups(ofUser userID: Int64) async throws -> [Group] {
        try await read { db in
            try await db.raw(
                """
                SELECT g.id AS id, g.name AS name FROM auth_group g \
                JOIN auth_user_groups ug ON ug.group_id = g.id WHERE ug.user_id = \(bind: userID) ORDER BY g.name
                """
            ).all()
        }.map(Self.decodeGroup)
    }

    public func users(inGroup groupID: Int64) async throws -> [User] {
        try await read { db in
            try await db.raw(
                """
                SELECT \(Self.userColumns) FROM auth_user WHERE id IN \
                (SELECT user_id FROM auth_user_groups WHERE group_id = \(bind: groupID)) ORDER BY id
                """
            ).all()
        }.map(decodeUser)
    }
}
