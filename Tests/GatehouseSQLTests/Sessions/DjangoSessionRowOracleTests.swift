import Foundation
import Gatehouse
import GatehouseTesting
import GatehousePostgres
import GatehouseSQL
import SQLKit
import GatehouseTestSupport
import Testing

/// Real Django (scripts/django/check_sessions.py, `db_row`) loads `django_session` rows that
/// SQLSessionStore wrote, with its own database backend: the `session_data` signature and encoding, and
/// the `expire_date` format (SQLite text, PostgreSQL `timestamptz`).
///
/// Runs when `GATEHOUSE_TEST_DJANGO_PYTHON` points at the oracle's Python; the PostgreSQL half also
/// needs `GATEHOUSE_TEST_POSTGRES_URL`.
@Suite("Django reads Gatehouse's django_session rows")
struct DjangoSessionRowOracleTests {
    static let python = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_DJANGO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static let secret = "gatehouse-row-oracle-secret"

    struct Item: Encodable {
        var kind = "db_row"
        var value: String
    }

    struct Request: Encodable {
        var secret_key: String
        var fallbacks: [String]
        var now: Double
        var database_url: String
        var items: [Item]
    }

    struct Verdict: Decodable {
        var ok: Bool
        var error: String?
        var found: Bool?
        var session_json: String?
        var expire_date: Double?
        var expiry_age: Int?
        var expire_at_browser_close: Bool?
    }

    @Test(
        "on SQLite",
        .enabled(if: python != nil, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)")
    )
    func sqlite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-row-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sessions.sqlite3").path
        let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: path))
        do {
            try await MigrationRunner(provider: provider, logger: TestDatabases.migrationLogger).migrate()
            try await Self.check(provider: provider, databaseURL: "sqlite:///" + path)
            try await provider.shutdown()
        } catch {
            try? await provider.shutdown()
            throw error
        }
    }

    @Test(
        "on PostgreSQL",
        .enabled(if: python != nil && TestDatabases.postgresEnabled, "needs GATEHOUSE_TEST_DJANGO_PYTHON and GATEHOUSE_TEST_POSTGRES_URL")
    )
    func postgres() async throws {
        let base = try #require(TestDatabases.postgresURL)
        try await TestDatabases.withPostgres { provider in
            let name = try await provider.read { db in
                try await db.raw("SELECT current_database() AS name").first(decodingColumn: "name", as: String.self)
            }
            var components = try #require(URLComponents(string: base))
            components.path = "/" + (try #require(name))
            try await Self.check(provider: provider, databaseURL: try #require(components.string))
        }
    }

    static func check(provider: any SQLDatabaseProvider, databaseURL: String) async throws {
        let python = try #require(python)
        // Django compares expire_date with its own clock; the oracle pins it to ours.
        let now = Date(timeIntervalSince1970: 1_717_171_717.5)
        let clock = ManualClock(now)
        let keys = try SigningKeys(secretKey: secret)
        let store = SQLSessionStore(provider: provider, keys: keys, clock: clock)
        let sessions = SessionManager(store: store, clock: clock)

        let plain = try await sessions.load(cookie: nil)
        plain.update(["_auth_user_id": "42", "name": "Zoë 😀", "cart": [1, 2.5, ["x": nil]]])
        let plainKey = try #require(try await sessions.save(plain).action.setValue)

        let custom = try await sessions.load(cookie: nil)
        custom["a"] = 1
        custom.expiry = .at(now.addingTimeInterval(600.25))
        let customKey = try #require(try await sessions.save(custom).action.setValue)

        let browser = try await sessions.load(cookie: nil)
        browser["a"] = 1
        browser.expiry = .atBrowserClose
        let browserKey = try #require(try await sessions.save(browser).action.setValue)

        let expiredKey = try await store.create(SessionRecord(data: ["a": 1], expireDate: now.addingTimeInterval(-1)))

        let flushed = try await sessions.load(cookie: nil)
        flushed["a"] = 1
        let flushedKey = try #require(try await sessions.save(flushed).action.setValue)
        let loggingOut = try await sessions.load(cookie: flushedKey)
        loggingOut.flush()
        _ = try await sessions.save(loggingOut)

        let keysInOrder = [plainKey, customKey, browserKey, expiredKey, flushedKey]
        let verdicts = try runOracle(
            python: python,
            Request(secret_key: secret, fallbacks: [], now: now.timeIntervalSince1970, database_url: databaseURL,
                    items: keysInOrder.map { Item(value: $0) })
        )
        try #require(verdicts.count == keysInOrder.count)
        for verdict in verdicts { #expect(verdict.ok, "\(verdict.error ?? "")") }

        // The plain session: data and bookkeeping as stored, expire_date capped by the 24 h idle timeout.
        let stamp = Int(now.timeIntervalSince1970)
        let expectedPlain: JSONValue = [
            "_auth_user_id": "42", "name": "Zoë 😀", "cart": [1, 2.5, ["x": nil]],
            "_gatehouse_created": .int(stamp), "_gatehouse_last_activity": .int(stamp),
        ]
        #expect(verdicts[0].found == true)
        #expect(verdicts[0].session_json == expectedPlain.serialized())
        #expect(verdicts[0].expire_date == now.timeIntervalSince1970 + 86_400)
        #expect(verdicts[0].expiry_age == 1_209_600, "Django's own rule for the next save (no _session_expiry)")
        #expect(verdicts[0].expire_at_browser_close == false)

        #expect(verdicts[1].found == true)
        #expect(verdicts[1].expire_date == now.timeIntervalSince1970 + 600.25)
        #expect(verdicts[1].expiry_age == 600)

        #expect(verdicts[2].found == true)
        #expect(verdicts[2].expire_at_browser_close == true)

        #expect(verdicts[3].found == false, "expired rows are not loaded by Django either")
        #expect(verdicts[4].found == false)
        #expect(verdicts[4].expire_date == nil, "flush deleted the row")
    }

    static func runOracle(python: String, _ request: Request) throws -> [Verdict] {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python.hasPrefix("/") ? python : root.appendingPathComponent(python).path)
        process.arguments = [root.appendingPathComponent("scripts/django/check_sessions.py").path]
        process.currentDirectoryURL = root
        let input = Pipe()
        let output = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-row-oracle-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let payload = try JSONEncoder().encode(request)
        // A child that exits early closes the pipe: report that through its status, not a crash.
        try? input.fileHandleForWriting.write(contentsOf: payload)
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw OracleFailure(message: "check_sessions.py exited \(process.terminationStatus): \(text)")
        }
        return try JSONDecoder().decode([Verdict].self, from: data)
    }

    struct OracleFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
