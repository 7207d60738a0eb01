import Foundation
import Synchronization
// sqlite-nio's own copy of SQLite (its symbols are prefixed `sqlite_nio_`). Using the same copy as
// the provider's connections matters: two copies of SQLite in one process do not see each other's
// POSIX locks and can corrupt a database.
//
// VaporCSQLite is a target of sqlite-nio, not one of its products: this file is the only one in
// Gatehouse that imports it, and why is in docs/dependencies.md ("SQLite session reads"). Should a
// release of sqlite-nio drop or rename it, the build stops here, and the remedy is to delete this
// file and its one caller (`SQLiteDatabaseProvider.sessionReader`): the published route
// (`inlineSessionReads = false`) answers the same, measured slower.
#if canImport(VaporCSQLite)
import VaporCSQLite
#else
#error("sqlite-nio no longer has its VaporCSQLite module: see docs/dependencies.md, \"SQLite session reads\"")
#endif

/// The session lookup every request makes, run on the calling thread with a statement prepared
/// once per connection, instead of hopping to sqlite-nio's thread pool and parsing the SQL again.
///
/// On the benchmark machine the hop (a futex wake-up and two context switches) and the parse cost
/// more than the lookup itself; see docs/benchmarks.md. A point read by primary key in a WAL
/// database takes microseconds and does not wait for writers; when every connection is in use, the
/// database is busy, or anything else goes wrong, the caller falls back to the asynchronous path.
final class SQLiteSessionReader: Sendable {
    enum Outcome {
        /// The row: `session_data`, `expire_date` text and the permission version.
        case row(data: String, expireDate: String, version: Int64)
        /// No live row under the key.
        case none
        /// Not answered here: use the asynchronous path.
        case unavailable
    }

    private final class Connection: @unchecked Sendable {
        // Used only inside the owning Mutex.
        var handle: OpaquePointer?
        var statement: OpaquePointer?
        var broken = false

        deinit {
            if let statement { sqlite_nio_sqlite3_finalize(statement) }
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        }
    }

    /// `sqlite3_sourceid()` of the copy of SQLite this reader calls: the tests check it is the one
    /// sqlite-nio's connections run.
    static var sourceID: String { String(cString: sqlite_nio_sqlite3_sourceid()) }

    static let sql = SQLiteDatabaseProvider.sessionRowSQL(key: "?1", now: "?2")

    private final class Slot: Sendable {
        let connection: Mutex<Connection>
        init(_ connection: Connection) { self.connection = Mutex(connection) }
    }

    private let connections: [Slot]

    /// Opens `count` connections on the file at `path` (which must exist and be in WAL mode).
    init?(path: String, count: Int) {
        var opened: [Slot] = []
        for _ in 0..<max(1, count) {
            var handle: OpaquePointer?
            let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
            guard sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
                if let handle { sqlite_nio_sqlite3_close_v2(handle) }
                return nil
            }
            // Never wait here: a busy database is the asynchronous path's job (it waits up to the
            // configured busy timeout).
            sqlite_nio_sqlite3_busy_timeout(handle, 0)
            sqlite_nio_sqlite3_exec(handle, "PRAGMA query_only = ON", nil, nil, nil)
            let connection = Connection()
            connection.handle = handle
            opened.append(Slot(connection))
        }
        connections = opened
    }

    /// Closes every connection; later loads answer ``Outcome/unavailable``.
    func close() {
        for slot in connections {
            slot.connection.withLock { connection in
                if let statement = connection.statement { sqlite_nio_sqlite3_finalize(statement) }
                if let handle = connection.handle { sqlite_nio_sqlite3_close_v2(handle) }
                connection.statement = nil
                connection.handle = nil
                connection.broken = true
            }
        }
    }

    /// The live row under `key` at `now` (Django's SQLite datetime text), or why not.
    func load(key: String, now: String) -> Outcome {
        for slot in connections {
            let outcome: Outcome? = slot.connection.withLockIfAvailable { connection in
                Self.run(connection, key: key, now: now)
            }
            if let outcome { return outcome }
        }
        return .unavailable
    }

    private static func run(_ connection: Connection, key: String, now: String) -> Outcome {
        guard !connection.broken, let handle = connection.handle else { return .unavailable }
        if connection.statement == nil {
            var statement: OpaquePointer?
            // Prepared lazily: the table exists only once the database is migrated.
            guard sqlite_nio_sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, statement != nil else {
                if let statement { sqlite_nio_sqlite3_finalize(statement) }
                return .unavailable
            }
            connection.statement = statement
        }
        guard let statement = connection.statement else { return .unavailable }
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        guard sqlite_nio_sqlite3_bind_text(statement, 1, key, -1, transient) == SQLITE_OK,
            sqlite_nio_sqlite3_bind_text(statement, 2, now, -1, transient) == SQLITE_OK
        else { return .unavailable }
        switch sqlite_nio_sqlite3_step(statement) {
        case SQLITE_DONE:
            return .none
        case SQLITE_ROW:
            guard let data = text(statement, 0), let expireDate = text(statement, 1) else { return .unavailable }
            let version = sqlite_nio_sqlite3_column_int64(statement, 2)
            return .row(data: data, expireDate: expireDate, version: version)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .unavailable
        default:
            // A schema change or a damaged statement: prepare again next time.
            sqlite_nio_sqlite3_finalize(statement)
            connection.statement = nil
            return .unavailable
        }
    }

    private static func text(_ statement: OpaquePointer, _ column: Int32) -> String? {
        guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
