import SQLKit

/// The version counter behind never-stale permission caches: `gatehouse_permission_version`, one
/// row, advanced by triggers (all named `gatehouse_pv_*`) whenever a row of the tables that decide
/// permissions is inserted, changed or deleted, by Gatehouse, by the CLI in another process, by
/// Django, or by hand in `psql`.
///
/// Watched: `auth_user_groups`, `auth_user_user_permissions`, `auth_group_permissions`,
/// `auth_permission`, `auth_group`, `django_content_type` and Gatehouse's two object-permission
/// tables. (`is_active` and `is_superuser` need no trigger: caches key their entries by both.)
/// ``SQLAuthStore`` reads the counter in the query that loads a user, so a warm permission check
/// needs no query of its own.
///
/// A trigger lost to a table rebuild (SQLite recreates a table for some `ALTER TABLE`s, Django
/// migrations included) is put back by the next ``MigrationRunner/migrate()``.
enum GatehousePermissionVersion {
    static let name = "0004_gatehouse_permission_version"
    static let table = "gatehouse_permission_version"
    static let function = "gatehouse_pv_advance"

    static let watched = [
        "auth_user_groups", "auth_user_user_permissions", "auth_group_permissions", "auth_permission", "auth_group",
        "django_content_type", "gatehouse_user_object_permission", "gatehouse_group_object_permission",
    ]

    static let migration = Migration(
        name: name,
        sqlite: [
            #"CREATE TABLE IF NOT EXISTS "gatehouse_permission_version" ("id" integer NOT NULL PRIMARY KEY, "version" integer NOT NULL)"#,
            #"INSERT INTO "gatehouse_permission_version" ("id", "version") SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM "gatehouse_permission_version" WHERE "id" = 1)"#,
        ] + sqliteTriggers.map(\.sql),
        postgres: [
            #"CREATE TABLE IF NOT EXISTS "gatehouse_permission_version" ("id" integer NOT NULL PRIMARY KEY, "version" bigint NOT NULL)"#,
            #"INSERT INTO "gatehouse_permission_version" ("id", "version") VALUES (1, 0) ON CONFLICT ("id") DO NOTHING"#,
            """
            CREATE OR REPLACE FUNCTION "\(function)"() RETURNS trigger LANGUAGE plpgsql AS $$ \
            BEGIN UPDATE "gatehouse_permission_version" SET "version" = "version" + 1 WHERE "id" = 1; RETURN NULL; END $$
            """,
        ] + postgresTriggers.map(\.sql)
    )

    struct Trigger {
        var name: String
        var sql: String
    }

    /// SQLite: a row trigger per table and event.
    static let sqliteTriggers: [Trigger] = watched.flatMap { table in
        ["INSERT", "UPDATE", "DELETE"].map { event in
            let name = "gatehouse_pv_\(table)_\(event.lowercased())"
            return Trigger(
                name: name,
                sql: """
                    CREATE TRIGGER IF NOT EXISTS "\(name)" AFTER \(event) ON "\(table)" BEGIN \
                    UPDATE "gatehouse_permission_version" SET "version" = "version" + 1 WHERE "id" = 1; END
                    """
            )
        }
    }

    /// PostgreSQL: a statement trigger per table (truncation included, as Django's `flush` does).
    static let postgresTriggers: [Trigger] = watched.map { table in
        let name = "gatehouse_pv_\(table)"
        return Trigger(
            name: name,
            sql: """
                CREATE TRIGGER "\(name)" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "\(table)" \
                FOR EACH STATEMENT EXECUTE FUNCTION "\(function)"()
                """
        )
    }

    // MARK: Users (migration 0005)

    static let usersName = "0005_gatehouse_user_version"

    /// The `auth_user` columns whose change ends cached copies of the user: all but `last_login`,
    /// which every login writes.
    static let userColumns = [
        "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active", "date_joined",
    ]

    /// The version also covers users, for the user cache: a change of any column but `last_login`,
    /// or a deletion, advances it.
    static let usersMigration = Migration(
        name: usersName,
        sqlite: sqliteUserTriggers.map(\.sql),
        postgres: postgresUserTriggers.map(\.sql)
    )

    static let sqliteUserTriggers: [Trigger] = [
        Trigger(
            name: "gatehouse_pv_auth_user_update",
            sql: """
                CREATE TRIGGER IF NOT EXISTS "gatehouse_pv_auth_user_update" AFTER UPDATE ON "auth_user" \
                WHEN \(userColumns.map { "OLD.\"\($0)\" IS NOT NEW.\"\($0)\"" }.joined(separator: " OR ")) BEGIN \
                UPDATE "gatehouse_permission_version" SET "version" = "version" + 1 WHERE "id" = 1; END
                """
        ),
        Trigger(
            name: "gatehouse_pv_auth_user_delete",
            sql: """
                CREATE TRIGGER IF NOT EXISTS "gatehouse_pv_auth_user_delete" AFTER DELETE ON "auth_user" BEGIN \
                UPDATE "gatehouse_permission_version" SET "version" = "version" + 1 WHERE "id" = 1; END
                """
        ),
    ]

    static let postgresUserTriggers: [Trigger] = [
        Trigger(
            name: "gatehouse_pv_auth_user_update",
            sql: """
                CREATE TRIGGER "gatehouse_pv_auth_user_update" AFTER UPDATE ON "auth_user" FOR EACH ROW \
                WHEN (\(userColumns.map { "OLD.\"\($0)\" IS DISTINCT FROM NEW.\"\($0)\"" }.joined(separator: " OR "))) \
                EXECUTE FUNCTION "\(function)"()
                """
        ),
        Trigger(
            name: "gatehouse_pv_auth_user_delete",
            sql: """
                CREATE TRIGGER "gatehouse_pv_auth_user_delete" AFTER DELETE OR TRUNCATE ON "auth_user" \
                FOR EACH STATEMENT EXECUTE FUNCTION "\(function)"()
                """
        ),
    ]

    /// Creates the triggers that are missing (after a table rebuild), once the migration has run.
    static func repair(_ db: any SQLDatabase, flavor: SQLFlavor, includingUsers: Bool) async throws -> [String] {
        let existing: Set<String>
        let triggers: [Trigger]
        switch flavor {
        case .sqlite:
            triggers = sqliteTriggers + (includingUsers ? sqliteUserTriggers : [])
            existing = Set(
                try await db.raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'gatehouse_pv_%'")
                    .all().map { try $0.decode(column: "name", as: String.self) }
            )
        case .postgres:
            triggers = postgresTriggers + (includingUsers ? postgresUserTriggers : [])
            existing = Set(
                try await db.raw(
                    """
                    SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'gatehouse_pv_%' \
                    AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)
                    """
                )
                    .all().map { try $0.decode(column: "name", as: String.self) }
            )
        }
        var created: [String] = []
        for trigger in triggers where !existing.contains(trigger.name) {
            try await db.raw("\(unsafeRaw: trigger.sql)").run()
            created.append(trigger.name)
        }
        return created
    }
}
