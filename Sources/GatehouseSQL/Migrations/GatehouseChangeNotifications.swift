/// PostgreSQL only: the notifications that let an instance keep session rows in memory.
///
/// Every commit that changes or deletes `django_session` rows, or advances the permission version
/// (users, groups, permissions: see ``GatehousePermissionVersion``), sends a notification on the
/// channel `gatehouse_changes`, whoever made it: Gatehouse, the CLI, Django or `psql`. The payload
/// names what changed without carrying a session key:
///
/// - `*`: anything may have changed (a permission-version advance, a truncation, or more than
///   100 session rows in one statement);
/// - otherwise a comma-separated list of the lowercase hex SHA-256 of each changed session key.
///
/// Inserting a session needs no notification: nothing is cached for a key before its row exists.
/// SQLite gets nothing: its writers (Django, the CLI) cannot reach a running server, so the server
/// reads the row on every request there.
package enum GatehouseChangeNotifications {
    package static let name = "0008_gatehouse_change_notifications"
    /// The channel instances `LISTEN` on.
    package static let channel = "gatehouse_changes"
    /// The most keys one notification lists; a statement that touches more sends `*`.
    package static let keysPerNotification = 100
    static let sessionFunction = "gatehouse_session_changed"

    static let versionFunction = "gatehouse_version_changed"

    /// The triggers, by name: an instance trusts its memory only when all of them exist.
    package static let triggers = [
        "gatehouse_session_changed_update", "gatehouse_session_changed_delete", "gatehouse_session_changed_truncate",
        "gatehouse_version_changed",
    ]

    static let migration = Migration(
        name: name,
        sqlite: [],
        postgres: [
            // Any advance of the permission version, by its triggers or by hand.
            """
            CREATE OR REPLACE FUNCTION "\(versionFunction)"() RETURNS trigger LANGUAGE plpgsql AS $$ \
            BEGIN PERFORM pg_notify('\(channel)', '*'); RETURN NULL; END $$
            """,
            """
            CREATE TRIGGER "gatehouse_version_changed" AFTER UPDATE ON "\(GatehousePermissionVersion.table)" \
            FOR EACH STATEMENT EXECUTE FUNCTION "\(versionFunction)"()
            """,
            """
            CREATE OR REPLACE FUNCTION "\(sessionFunction)"() RETURNS trigger LANGUAGE plpgsql AS $$ \
            DECLARE changed text; \
            BEGIN \
            IF TG_OP = 'TRUNCATE' THEN PERFORM pg_notify('\(channel)', '*'); RETURN NULL; END IF; \
            SELECT CASE WHEN count(*) > \(keysPerNotification) THEN '*' \
            ELSE string_agg(encode(sha256(convert_to(session_key, 'UTF8')), 'hex'), ',') END INTO changed FROM gatehouse_changed_rows; \
            IF changed IS NOT NULL THEN PERFORM pg_notify('\(channel)', changed); END IF; \
            RETURN NULL; END $$
            """,
            """
            CREATE TRIGGER "gatehouse_session_changed_update" AFTER UPDATE ON "django_session" \
            REFERENCING OLD TABLE AS gatehouse_changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "\(sessionFunction)"()
            """,
            """
            CREATE TRIGGER "gatehouse_session_changed_delete" AFTER DELETE ON "django_session" \
            REFERENCING OLD TABLE AS gatehouse_changed_rows FOR EACH STATEMENT EXECUTE FUNCTION "\(sessionFunction)"()
            """,
            """
            CREATE TRIGGER "gatehouse_session_changed_truncate" AFTER TRUNCATE ON "django_session" \
            FOR EACH STATEMENT EXECUTE FUNCTION "\(sessionFunction)"()
            """,
        ]
    )
}
