import Foundation
import Gatehouse
import GatehouseConformance
import GatehousePostgres
import GatehouseSQL
import SQLKit
import GatehouseTestSupport
import Testing

@Suite("SQLAuthStore object permissions on SQLite")
struct SQLiteObjectPermissionConformanceTests {
    @Test(arguments: ObjectPermissionConformance.cases)
    func conformance(_ check: ObjectPermissionConformance.Case) async throws {
        try await TestDatabases.withSQLite { provider in
            try await check.run(on: SQLAuthStore(provider: provider))
        }
    }
}

@Suite("SQLAuthStore object permissions on PostgreSQL", .enabled(if: TestDatabases.postgresEnabled))
struct PostgresObjectPermissionConformanceTests {
    @Test(arguments: ObjectPermissionConformance.cases)
    func conformance(_ check: ObjectPermissionConformance.Case) async throws {
        try await TestDatabases.withPostgres { provider in
            try await check.run(on: SQLAuthStore(provider: provider))
        }
    }
}

/// Django's ORM deletes users, groups, permissions and content types without knowing Gatehouse's
/// tables; the foreign keys' `ON DELETE CASCADE` removes their object grants.
@Suite("Object grants follow rows that Django deletes")
struct ObjectPermissionForeignKeyTests {
    static func deleteBehindTheStoresBack(_ provider: any SQLDatabaseProvider) async throws {
        let store = SQLAuthStore(provider: provider)
        let post = try await store.insertContentType(appLabel: "blog", model: "post")
        let comment = try await store.insertContentType(appLabel: "blog", model: "comment")
        let view = try await store.insertPermission(name: "Can view post", codename: "view_post", contentTypeID: post.id)
        let change = try await store.insertPermission(name: "Can change post", codename: "change_post", contentTypeID: post.id)
        let viewComment = try await store.insertPermission(name: "Can view comment", codename: "view_comment", contentTypeID: comment.id)
        let alice = try await store.insertUser(NewUser(username: "alice", password: "!", dateJoined: .now))
        let bob = try await store.insertUser(NewUser(username: "bob", password: "!", dateJoined: .now))
        let editors = try await store.insertGroup(name: "editors")
        try await store.addUser(bob.id, toGroup: editors.id)
        let one = ObjectReference(contentTypeID: post.id, objectID: "1")
        try await store.grant(view.id, toUser: alice.id, on: one)
        try await store.grant(view.id, toUser: bob.id, on: one)
        try await store.grant(change.id, toUser: bob.id, on: one)
        try await store.grant(view.id, toGroup: editors.id, on: ObjectReference(contentTypeID: post.id, objectID: "2"))
        try await store.grant(viewComment.id, toUser: bob.id, on: ObjectReference(contentTypeID: comment.id, objectID: "3"))

        func count(_ table: String) async throws -> Int {
            try await provider.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decodingColumn: "n", as: Int.self) ?? -1
            }
        }
        func django(_ sql: String) async throws {
            try await provider.write { db in try await db.raw("\(unsafeRaw: sql)").run() }
        }
        #expect(try await count("gatehouse_user_object_permission") == 4)
        try await django("DELETE FROM auth_user_user_permissions WHERE user_id = \(alice.id)")
        try await django("DELETE FROM auth_user_groups WHERE user_id = \(alice.id)")
        try await django("DELETE FROM auth_user WHERE id = \(alice.id)")
        #expect(try await count("gatehouse_user_object_permission") == 3)
        try await django("DELETE FROM auth_user_groups WHERE group_id = \(editors.id)")
        try await django("DELETE FROM auth_group WHERE id = \(editors.id)")
        #expect(try await count("gatehouse_group_object_permission") == 0)
        try await django("DELETE FROM auth_permission WHERE id = \(change.id)")
        #expect(try await store.objectPermissions(userID: bob.id, on: one).map(\.key) == ["blog.view_post"])
        try await django("DELETE FROM auth_permission WHERE content_type_id = \(comment.id)")
        try await django("DELETE FROM django_content_type WHERE id = \(comment.id)")
        #expect(try await count("gatehouse_user_object_permission") == 1)
    }

    @Test func onSQLite() async throws {
        try await TestDatabases.withSQLite { provider in try await Self.deleteBehindTheStoresBack(provider) }
    }

    @Test(.enabled(if: TestDatabases.postgresEnabled))
    func onPostgres() async throws {
        try await TestDatabases.withPostgres { provider in try await Self.deleteBehindTheStoresBack(provider) }
    }
}

/// Migration `0002_gatehouse_object_permissions`: the unique rule and the object index exist.
@Suite("Object-permission tables")
struct ObjectPermissionSchemaTests {
    static let expected: Set<String> = [
        "gatehouse_user_object_permission_user_permission_object_uniq unique user_id,permission_id,object_pk",
        "gatehouse_user_object_permission_content_type_object content_type_id,object_pk",
        "gatehouse_user_object_permission_permission_id permission_id",
        "gatehouse_group_object_permission_group_permission_object_uniq unique group_id,permission_id,object_pk",
        "gatehouse_group_object_permission_content_type_object content_type_id,object_pk",
        "gatehouse_group_object_permission_permission_id permission_id",
    ]

    @Test func sqliteIndexes() async throws {
        let found = try await TestDatabases.withSQLite { provider in
            try await provider.read { db in
                try await db.raw(
                    """
                    SELECT il.name AS name, il."unique" AS is_unique, (SELECT group_concat(x.name, ',') FROM \
                    (SELECT ii.name AS name FROM pragma_index_info(il.name) AS ii ORDER BY ii.seqno) AS x) AS columns \
                    FROM sqlite_master AS m JOIN pragma_index_list(m.name) AS il \
                    WHERE m.type = 'table' AND m.name LIKE 'gatehouse_%object_permission'
                    """
                ).all().map { row in
                    let unique = try row.decode(column: "is_unique", as: Int.self) == 1 ? " unique" : ""
                    return "\(try row.decode(column: "name", as: String.self))\(unique) \(try row.decode(column: "columns", as: String.self))"
                }
            }
        }
        #expect(Set(found) == Self.expected)
    }

    @Test(.enabled(if: TestDatabases.postgresEnabled))
    func postgresIndexes() async throws {
        let found = try await TestDatabases.withPostgres { provider in
            try await provider.read { db in
                try await db.raw(
                    """
                    SELECT ic.relname::text AS name, (CASE WHEN i.indisunique THEN 1 ELSE 0 END) AS is_unique, \
                    array_to_string(ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) \
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS columns \
                    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid \
                    WHERE t.relname LIKE 'gatehouse_%object_permission' AND NOT i.indisprimary
                    """
                ).all().map { row in
                    let unique = try row.decode(column: "is_unique", as: Int.self) == 1 ? " unique" : ""
                    return "\(try row.decode(column: "name", as: String.self))\(unique) \(try row.decode(column: "columns", as: String.self))"
                }
            }
        }
        #expect(Set(found) == Self.expected)
    }
}
