// The scale loader: 1,000,000 users, 100,000 groups with a membership per user, and a live,
// valid session per user (signed like real ones, so any of them can be used to make requests).
import Foundation
import Gatehouse
import GatehouseSQL
import SQLKit

struct ScaleLoader {
    let provider: any SQLDatabaseProvider
    let keys: SigningKeys
    var users = 1_000_000
    var groups = 100_000
    var batch = 500

    /// Writes `cookies` (one session key per line, the first `cookieCount`) for wrk to rotate through.
    func load(cookieFile: String?, cookieCount: Int) async throws {
        let start = Date()
        let flavor = provider.flavor
        let sequence: @Sendable (Int) -> SQLQueryString = { count in
            flavor == .sqlite
                ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(unsafeRaw: String(count))) SELECT i FROM n"
                : "SELECT generate_series(1, \(unsafeRaw: String(count))) AS i"
        }
        let now: SQLQueryString = flavor == .sqlite ? "strftime('%Y-%m-%d %H:%M:%f', 'now')" : "now()"
        let falsy: SQLQueryString = flavor == .sqlite ? "0" : "false"
        let truthy: SQLQueryString = flavor == .sqlite ? "1" : "true"
        let userCount = users
        let groupCount = groups
        try await provider.write { db in
            try await db.raw(
                """
                INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, email, is_staff, \
                is_active, date_joined) SELECT '!', NULL, \(falsy), 'load' || i, '', '', '', \(falsy), \(truthy), \(now) \
                FROM (\(sequence(userCount))) AS s
                """
            ).run()
            try await db.raw("INSERT INTO auth_group (name) SELECT 'load-group-' || i FROM (\(sequence(groupCount))) AS s").run()
            try await db.raw(
                """
                INSERT INTO auth_user_groups (user_id, group_id) SELECT u.id, g.id FROM auth_user u \
                JOIN auth_group g ON g.name = 'load-group-' || ((u.id % \(unsafeRaw: String(groupCount))) + 1) \
                WHERE u.username LIKE 'load%'
                """
            ).run()
            // Give the groups something to grant, so that permission checks of loaded users do work.
            try await db.raw(
                """
                INSERT INTO auth_group_permissions (group_id, permission_id) SELECT g.id, p.id FROM auth_group g, auth_permission p \
                JOIN django_content_type ct ON ct.id = p.content_type_id \
                WHERE g.name LIKE 'load-group-%' AND ct.app_label = 'blog' AND p.codename = 'view_post'
                """
            ).run()
        }
        FileHandle.standardError.write(Data("loaded users, groups, memberships in \(Int(Date().timeIntervalSince(start))) s\n".utf8))

        // Sessions: real signed data, so every one of them is a logged-in session.
        let codec = SessionDataCodec(keys: keys)
        let stamp = Int(Date().timeIntervalSince1970)
        let hash = SessionAuthHash.make(passwordHash: "!", secretKey: keys.secretKey)
        let expiry: SQLQueryString = flavor == .sqlite
            ? "strftime('%Y-%m-%d %H:%M:%f', 'now', '+14 days')"
            : "now() + interval '14 days'"
        var cookies: [String] = []
        let ids = try await provider.read { db in
            try await db.raw("SELECT id FROM auth_user WHERE username LIKE 'load%' ORDER BY id").all().map {
                try $0.decode(column: "id", as: Int64.self)
            }
        }
        var index = 0
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        while index < ids.count {
            let slice = ids[index..<min(index + batch, ids.count)]
            var rows: [(String, String)] = []
            for id in slice {
                let key = "ld" + String((0..<30).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
                let data: [String: JSONValue] = [
                    SessionLogin.userIDKey: .string(String(id)),
                    SessionLogin.backendKey: .string(ModelBackend.djangoIdentifier),
                    SessionLogin.hashKey: .string(hash),
                    Session.createdKey: .int(stamp),
                    Session.lastActivityKey: .int(stamp),
                ]
                rows.append((key, codec.encode(data, at: Date())))
                if cookies.count < cookieCount { cookies.append(key) }
            }
            let batchRows = rows
            let expiryText = expiry
            try await provider.write { db in
                var insert = db.insert(into: "django_session").columns("session_key", "session_data", "expire_date")
                for row in batchRows {
                    insert = insert.values(SQLBind(row.0), SQLBind(row.1), expiryText)
                }
                try await insert.run()
            }
            index += batch
        }
        if let cookieFile {
            try cookies.joined(separator: "\n").appending("\n").write(toFile: cookieFile, atomically: true, encoding: .utf8)
        }
        FileHandle.standardError.write(Data("loaded \(ids.count) sessions in \(Int(Date().timeIntervalSince(start))) s\n".utf8))
    }
}
