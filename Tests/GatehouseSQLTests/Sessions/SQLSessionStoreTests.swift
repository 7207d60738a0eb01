import Foundation
import Gatehouse
import GatehouseTesting
import GatehouseSQL
import SQLKit
import Synchronization
import GatehouseTestSupport
import Testing

/// The session-store checks, run on SQLite and (when enabled) PostgreSQL.
@Suite("SQLSessionStore on SQLite")
struct SQLiteSessionStoreTests {
    @Test(arguments: SQLSessionStoreChecks.cases)
    func check(_ check: SQLSessionStoreChecks.Case) async throws {
        try await TestDatabases.withSQLite { provider in try await check.body(provider) }
    }

    @Test("expire_date is Django's SQLite text")
    func sqliteDateText() async throws {
        try await TestDatabases.withSQLite { provider in
            let store = SQLSessionStore(provider: provider, keys: try SQLSessionStoreChecks.keys())
            let whole = try await store.create(SessionRecord(data: ["a": 1], expireDate: Date(timeIntervalSince1970: 1_717_171_717)))
            let fraction = try await store.create(SessionRecord(data: ["a": 1], expireDate: Date(timeIntervalSince1970: 1_717_171_717.25)))
            #expect(try await SQLSessionStoreChecks.rawExpireText(provider, whole) == "2024-05-31 16:08:37")
            #expect(try await SQLSessionStoreChecks.rawExpireText(provider, fraction) == "2024-05-31 16:08:37.250000")
        }
    }
}

@Suite("SQLSessionStore on PostgreSQL", .enabled(if: TestDatabases.postgresEnabled))
struct PostgresSessionStoreTests {
    @Test(arguments: SQLSessionStoreChecks.cases)
    func check(_ check: SQLSessionStoreChecks.Case) async throws {
        try await TestDatabases.withPostgres { provider in try await check.body(provider) }
    }
}

enum SQLSessionStoreChecks {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let body: @Sendable (any SQLDatabaseProvider) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any SQLDatabaseProvider) async throws -> Void) {
            self.name = name
            self.body = body
        }

        var testDescription: String { name }
    }

    static let start = Date(timeIntervalSince1970: 1_717_171_717)

    static func keys() throws -> SigningKeys {
        try SigningKeys(secretKey: SessionSQLFixtures.vectors?.facts.secret_key ?? "gatehouse-oracle-test-secret-key-not-for-production")
    }

    static func rowCount(_ provider: any SQLDatabaseProvider) async throws -> Int {
        try await provider.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM django_session").first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }

    static func rawData(_ provider: any SQLDatabaseProvider, _ key: String) async throws -> String? {
        try await provider.read { db in
            try await db.raw("SELECT session_data FROM django_session WHERE session_key = \(bind: key)")
                .first(decodingColumn: "session_data", as: String.self)
        }
    }

    static func rawExpireText(_ provider: any SQLDatabaseProvider, _ key: String) async throws -> String? {
        try await provider.read { db in
            try await db.raw("SELECT expire_date FROM django_session WHERE session_key = \(bind: key)")
                .first(decodingColumn: "expire_date", as: String.self)
        }
    }

    /// Inserts a row as Django would have written it (expire date bound the same way Gatehouse binds it).
    static func insertRaw(_ provider: any SQLDatabaseProvider, key: String, data: String, expires: Date) async throws {
        let store = SQLSessionStore(provider: provider, keys: try keys(), makeKey: { key })
        // Create with a throwaway record, then overwrite session_data with Django's text.
        _ = try await store.create(SessionRecord(data: [:], expireDate: expires))
        try await provider.write { db in
            try await db.raw("UPDATE django_session SET session_data = \(bind: data) WHERE session_key = \(bind: key)").run()
        }
    }

    static let cases: [Case] = [
        Case("create, load, save, delete, exists") { provider in
            let store = SQLSessionStore(provider: provider, keys: try keys(), clock: ManualClock(start))
            let record = SessionRecord(data: ["cart": [1, 2], "name": "Zoë 😀", "ratio": 0.5], expireDate: start.addingTimeInterval(3600))
            let key = try await store.create(record)
            #expect(SessionKey.isValid(key) && key.count == 32)
            #expect(try await store.exists(key: key))
            let loaded = try #require(try await store.load(key: key, now: start))
            #expect(loaded.data == record.data)
            #expect(abs(loaded.expireDate.timeIntervalSince(record.expireDate)) < 1e-6)
            #expect(try await store.load(key: key, now: start.addingTimeInterval(3600)) == nil, "expire_date must be after now")
            #expect(try await store.exists(key: key), "exists ignores expiry")

            let updated = SessionRecord(data: ["cart": []], expireDate: start.addingTimeInterval(7200))
            #expect(try await store.save(key: key, updated))
            #expect(try await store.load(key: key, now: start.addingTimeInterval(3600))?.data == ["cart": []])
            #expect(try await store.save(key: "nosuchkeynosuchkeynosuchkey00000", updated) == false)
            #expect(try await rowCount(provider) == 1, "save never creates a row")

            #expect(try await store.delete(key: key))
            #expect(try await store.delete(key: key) == false)
            #expect(try await store.exists(key: key) == false)
            #expect(try await rowCount(provider) == 0)
        },
        Case("hostile keys are refused before any query and create no rows") { provider in
            let store = SQLSessionStore(provider: provider, keys: try keys())
            let clock = ManualClock(start)
            let sessions = SessionManager(store: store, configuration: SessionConfiguration(saveEveryRequest: true), clock: clock)
            for key in hostileKeys {
                #expect(try await store.load(key: key, now: start) == nil)
                #expect(try await store.save(key: key, SessionRecord(data: ["a": 1], expireDate: .distantFuture)) == false)
                #expect(try await store.delete(key: key) == false)
                #expect(try await store.exists(key: key) == false)
                let session = try await sessions.load(cookie: key)
                #expect(session.key == nil && session.isEmpty)
                #expect(try await sessions.save(session).action == .delete)
            }
            let unknown = "abcdefghijklmnopqrstuvwxyz012345"
            let session = try await sessions.load(cookie: unknown)
            #expect(try await sessions.save(session).action == .delete)
            #expect(try await rowCount(provider) == 0)
        },
        Case("rows Django wrote load, tampered ones do not") { provider in
            let vectors = try SessionSQLFixtures.required()
            let logs = LogCapture()
            let store = SQLSessionStore(provider: provider, keys: try keys(), logger: logs.logger("gatehouse.sessions"))
            let expires = start.addingTimeInterval(86_400)
            for (index, vector) in vectors.db_sessions.enumerated() {
                let key = String(format: "djangorow%023d", index)
                try await insertRaw(provider, key: key, data: vector.session_data, expires: expires)
                let record = try #require(try await store.load(key: key, now: start), "\(vector.name)")
                #expect(record.data == (try SessionSQLFixtures.object(vector.json)), "\(vector.name)")
            }
            let good = vectors.db_sessions[2].session_data
            var flipped = Array(good)
            flipped[flipped.count / 2] = flipped[flipped.count / 2] == "A" ? "B" : "A"
            let hostileData = [
                String(flipped), good + "x", "", "garbage", ":", "::", String(repeating: "A", count: 100_000),
                vectors.cookie_sessions[2].cookie,  // right key, wrong salt
                vectors.zip_bomb.cookie,
            ]
            let before = try await rowCount(provider)
            for (index, data) in hostileData.enumerated() {
                let key = String(format: "tampered%024d", index)
                try await insertRaw(provider, key: key, data: data, expires: expires)
                #expect(try await store.load(key: key, now: start) == nil)
                let sessions = SessionManager(store: store, clock: ManualClock(start))
                let session = try await sessions.load(cookie: key)
                #expect(session.key == nil && session.isEmpty)
            }
            #expect(try await rowCount(provider) == before + hostileData.count, "bad rows are left alone, none added")
            // Each refused load is logged once (the store's own load and the manager's), never with the
            // key or the data.
            let warnings = logs.warnings
            #expect(warnings.count == hostileData.count * 2)
            #expect(warnings.allSatisfy { $0.message == "session data corrupted" })
            #expect(!warnings.contains { $0.text.contains("tampered") || $0.text.contains(good.prefix(20)) })
        },
        Case("Gatehouse writes Django's exact session_data") { provider in
            let vectors = try SessionSQLFixtures.required()
            for (index, vector) in vectors.db_sessions.enumerated() {
                let key = String(format: "gatehouserow%020d", index)
                let clock = ManualClock(Date(timeIntervalSince1970: TimeInterval(vector.timestamp)))
                let store = SQLSessionStore(provider: provider, keys: try keys(), clock: clock, makeKey: { key })
                _ = try await store.create(SessionRecord(data: try SessionSQLFixtures.object(vector.json), expireDate: start.addingTimeInterval(60)))
                #expect(try await rawData(provider, key) == vector.session_data, "\(vector.name)")
            }
        },
        Case("SECRET_KEY_FALLBACKS are accepted for reading") { provider in
            let vectors = try SessionSQLFixtures.required()
            let vector = try #require(vectors.fallbacks.first { $0.kind == "db" })
            let key = "rotatedkey000000000000000000000a"
            try await insertRaw(provider, key: key, data: vector.signed, expires: start.addingTimeInterval(60))
            let logs = LogCapture()
            let current = SQLSessionStore(
                provider: provider, keys: try SigningKeys(secretKey: vector.secret_key), logger: logs.logger("gatehouse.sessions")
            )
            #expect(try await current.load(key: key, now: start) == nil)
            #expect(logs.warnings.map(\.message) == ["session data corrupted"])
            let rotated = SQLSessionStore(
                provider: provider, keys: try SigningKeys(secretKey: vector.secret_key, fallbacks: vector.fallbacks)
            )
            let json = try #require(vector.json)
            let record = try #require(try await rotated.load(key: key, now: start))
            #expect(record.data == (try SessionSQLFixtures.object(json)))
            // Saving re-signs with the current key.
            #expect(try await rotated.save(key: key, record))
            #expect(try await current.load(key: key, now: start)?.data == record.data)
        },
        Case("create retries on a key collision") { provider in
            let taken = "takentakentakentakentakentaken00"
            let fresh = "freshfreshfreshfreshfreshfresh00"
            let sequence = Mutex([taken, fresh])
            let store = SQLSessionStore(provider: provider, keys: try keys(), makeKey: {
                sequence.withLock { $0.isEmpty ? fresh : $0.removeFirst() }
            })
            try await insertRaw(provider, key: taken, data: "existing", expires: start)
            let record = SessionRecord(data: ["a": 1], expireDate: start.addingTimeInterval(60))
            #expect(try await store.create(record) == fresh)
            #expect(try await rawData(provider, taken) == "existing", "the colliding row is untouched")
            await #expect(throws: StoreError.unavailable("no unused session key was found")) {
                try await SQLSessionStore(provider: provider, keys: try keys(), makeKey: { taken }).create(record)
            }
            await #expect(throws: StoreError.self) {
                try await SQLSessionStore(provider: provider, keys: try keys(), makeKey: { "Invalid Key" }).create(record)
            }
            #expect(try await rowCount(provider) == 2)
        },
        Case("far-future per-session expiries are clamped to 9999-12-31 and stored") { provider in
            let clock = ManualClock(start)
            let store = SQLSessionStore(provider: provider, keys: try keys(), clock: clock)
            let sessions = SessionManager(store: store, configuration: .django, clock: clock)
            let session = try await sessions.load(cookie: nil)
            session[SessionExpiry.dataKey] = .int(.max)
            let key = try #require(try await sessions.save(session).action.setValue)
            let record = try #require(try await store.load(key: key, now: start))
            #expect(record.expireDate == Date(timeIntervalSince1970: 253_402_300_799))
        },
        Case("clearExpired deletes rows before now and counts them") { provider in
            let store = SQLSessionStore(provider: provider, keys: try keys())
            let offsets: [TimeInterval] = [-100, -0.5, 0, 0.5, 100]
            for offset in offsets {
                let record = SessionRecord(data: ["o": JSONValue.double(offset)], expireDate: start.addingTimeInterval(offset))
                _ = try await store.create(record)
            }
            #expect(try await store.clearExpired(now: start) == 2)
            #expect(try await rowCount(provider) == 3)
            #expect(try await store.clearExpired(now: start) == 0)
            #expect(try await store.clearExpired(now: start.addingTimeInterval(1000)) == 3)
        },
        Case("clearExpired works in bounded batches and leaves live rows") { provider in
            let store = SQLSessionStore(provider: provider, keys: try keys())
            for index in 0..<23 {
                let offset: TimeInterval = index % 4 == 0 ? 3600 : -3600  // 6 live, 17 expired
                _ = try await store.create(SessionRecord(data: ["i": .int(index)], expireDate: start.addingTimeInterval(offset)))
            }
            let counting = QueryCountingProvider(base: provider)
            let batched = SQLSessionStore(provider: counting, keys: try keys())
            #expect(try await batched.clearExpired(now: start, batchSize: 5) == 17)
            #expect(counting.statements.count == 4, "batches of 5, 5, 5 and 2: \(counting.statements.count)")
            #expect(counting.statements.allSatisfy { $0.contains("LIMIT") })
            #expect(try await rowCount(provider) == 6)
            #expect(try await store.clearExpired(now: start, batchSize: 5) == 0)
        },
        Case("sessions: cycleKey, flush, idle timeout and absolute lifetime on SQL") { provider in
            let clock = ManualClock(start)
            let store = SQLSessionStore(provider: provider, keys: try keys(), clock: clock)
            let sessions = SessionManager(
                store: store, configuration: SessionConfiguration(idleTimeout: 3600, absoluteLifetime: 7200), clock: clock
            )
            let session = try await sessions.load(cookie: nil)
            session["_auth_user_id"] = "1"
            let first = try #require(try await sessions.save(session).action.setValue)
            #expect(try await rowCount(provider) == 1)

            let login = try await sessions.load(cookie: first)
            login.cycleKey()
            let second = try #require(try await sessions.save(login).action.setValue)
            #expect(second != first)
            #expect(try await rowCount(provider) == 1)
            #expect(try await sessions.load(cookie: first).key == nil)
            #expect(try await sessions.load(cookie: second)["_auth_user_id"] == "1")

            clock.advance(by: 3600)
            #expect(try await sessions.load(cookie: second).key == nil, "idle for an hour")

            let other = try await sessions.load(cookie: nil)
            other["a"] = 1
            let third = try #require(try await sessions.save(other).action.setValue)
            for _ in 0..<3 {
                clock.advance(by: 1800)
                let active = try await sessions.load(cookie: third)
                #expect(active.key == third)
                _ = try await sessions.save(active)
            }
            clock.advance(by: 1800)
            #expect(try await sessions.load(cookie: third).key == nil, "7200 s after creation")

            let fresh = try await sessions.load(cookie: nil)
            fresh["b"] = 2
            let fourth = try #require(try await sessions.save(fresh).action.setValue)
            let logout = try await sessions.load(cookie: fourth)
            logout.flush()
            #expect(try await sessions.save(logout).action == .delete)
            #expect(try await store.exists(key: fourth) == false)
        },
    ]

    static let hostileKeys: [String] = [
        "", "a", "abcdefg", String(repeating: "a", count: 41), String(repeating: "a", count: 4096),
        String(repeating: "é", count: 20), "ключключключключ", "ABCDEFGHIJKLMNOP", "abcdefgh ijklmnop",
        "abcdefgh'; DROP TABLE django_session; --", "abcdefgh\u{0}ijklmnop", "abcdefgh%ijklmnop",
        "../../../../etc/passwd", "abcdefghijklmnopqrstuvwxyz01234😀",
    ]
}

/// The parts of signing-vectors.json the SQL tests use.
enum SessionSQLFixtures {
    struct Vectors: Decodable, Sendable {
        struct Facts: Decodable, Sendable {
            var secret_key: String
            var db_salt: String
        }

        struct DatabaseSession: Decodable, Sendable {
            var name: String
            var json: String
            var session_data: String
            var timestamp: Int
        }

        struct CookieSession: Decodable, Sendable {
            var cookie: String
        }

        struct Fallback: Decodable, Sendable {
            var kind: String
            var secret_key: String
            var fallbacks: [String]
            var signed: String
            var json: String?
        }

        struct ZipBomb: Decodable, Sendable {
            var cookie: String
            var signed: String
        }

        var facts: Facts
        var db_sessions: [DatabaseSession]
        var cookie_sessions: [CookieSession]
        var fallbacks: [Fallback]
        var zip_bomb: ZipBomb
    }

    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/django/signing-vectors.json")

    static let vectors: Vectors? = try? required()

    static func required() throws -> Vectors {
        try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: file))
    }

    static func object(_ text: String) throws -> [String: JSONValue] {
        try #require(try JSONValue(parsing: Array(text.utf8)).objectValue)
    }
}

extension SessionCookieUpdate.Action {
    /// The cookie value of a `.set`.
    var setValue: String? {
        if case .set(let value, _, _) = self { return value }
        return nil
    }
}
