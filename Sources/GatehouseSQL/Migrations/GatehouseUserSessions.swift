/// Gatehouse's index of sessions by user, `gatehouse_user_session`: one row per server-side session
/// of a logged-in user (its `django_session` key, the user's id, when it was created and last seen,
/// the client address and user agent of that request), read by ``SQLUserSessionStore`` for the
/// sessions page and `gatehouse sessions`.
///
/// The key is kept as `django_session` keeps it, because ending a session means deleting that row
/// under it; a digest would leave nothing to delete with. It adds no exposure: anyone who can read
/// this table can read `django_session`. There is no foreign key to `auth_user` or `django_session`,
/// so Django deletes users and sessions as it always has; rows whose session is gone are ignored and
/// removed by `gatehouse clearsessions`. Indexed by user.
enum GatehouseUserSessions {
    static let name = "0007_gatehouse_user_session"
    static let table = "gatehouse_user_session"

    static let migration = Migration(name: name, sqlite: sqlite, postgres: postgres)

    static let indexes: [String] = [
        #"CREATE INDEX IF NOT EXISTS "gatehouse_user_session_user_id" ON "gatehouse_user_session" ("user_id", "last_seen")"#
    ]

    static let sqlite: [String] = [
        #"""
        CREATE TABLE IF NOT EXISTS "gatehouse_user_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "user_id" bigint NOT NULL, "created" datetime NOT NULL, "last_seen" datetime NOT NULL, "client_address" varchar(64) NOT NULL, "user_agent" text NOT NULL)
        """#
    ] + indexes

    static let postgres: [String] = [
        #"""
        CREATE TABLE IF NOT EXISTS "gatehouse_user_session" ("session_key" varchar(40) NOT NULL, "user_id" bigint NOT NULL, "created" timestamp with time zone NOT NULL, "last_seen" timestamp with time zone NOT NULL, "client_address" varchar(64) NOT NULL, "user_agent" text NOT NULL, CONSTRAINT "gatehouse_user_session_pkey" PRIMARY KEY ("session_key"))
        """#
    ] + indexes
}
