public import Gatehouse
public import Logging
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import SQLKit
import SQLiteKit

/// Where and how to open an SQLite database.
///
/// ```swift
/// let configuration = SQLiteStorageConfiguration(path: "gatehouse.sqlite3")
/// let provider = try await SQLiteDatabaseProvider.open(configuration)
/// ```
public struct SQLiteStorageConfiguration: Sendable {
    /// Where the database lives.
    public enum Location: Sendable, Hashable {
        /// A file, created when missing.
        case file(String)
        /// A private in-memory database (one connection; gone when closed).
        case memory
    }

    /// Where the database lives.
    public var location: Location
    /// How many read connections to keep beside the single write connection.
    public var readerCount: Int
    /// How long a statement waits for another process's lock before failing, in milliseconds.
    public var busyTimeoutMilliseconds: Int
    /// Whether the per-request session lookup runs on the calling thread with a prepared statement
    /// (a point read in microseconds, falling back to the thread pool when busy) instead of hopping
    /// to sqlite-nio's thread pool. On by default for files: it nearly doubles the throughput of an
    /// authorized request (docs/benchmarks.md). Turn it off if the database file lives on slow or
    /// network storage, where a read could stall an event loop.
    public var inlineSessionReads: Bool = true

    /// Creates a configuration for a database file.
    public init(path: String, readerCount: Int = 2, busyTimeoutMilliseconds: Int = 5_000) {
        self.location = .file(path)
        self.readerCount = readerCount
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    /// Creates a configuration for `location`.
    public init(location: Location, readerCount: Int = 2, busyTimeoutMilliseconds: Int = 5_000) {
        self.location = location
        self.readerCount = readerCount
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }
}

/// SQLite connections for the stores: WAL mode, foreign keys on, a busy timeout, one serialized
/// write connection and a few read connections.
///
/// Several processes may share the file (the CLI while the server runs): WAL lets readers go on while
/// one writer commits, and `BEGIN IMMEDIATE` with the busy timeout makes writers queue instead of
/// failing.
///
/// ```swift
/// let provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(path: "app.sqlite3"))
/// try await MigrationRunner(provider: provider).migrate()
/// let store = SQLAuthStore(provider: provider)
/// ```
public final class SQLiteDatabaseProvider: SQLDatabaseProvider {
    /// Always ``SQLFlavor/sqlite``.
    public let flavor: SQLFlavor = .sqlite
    /// The newest permission-data version this process has seen in the database.
    public let permissionVersion = PermissionVersion()

    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let gate = AsyncSerialGate()
    private let nextReader = ReaderCounter()
    /// The session lookup on the calling thread (file databases, unless turned off).
    let sessionReader: SQLiteSessionReader?

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], sessionReader: SQLiteSessionReader?) {
        self.writer = writer
        self.readers = readers
        self.sessionReader = sessionReader
    }

    /// Creates the database file readable and writable by its owner only (0600) when it is
    /// missing: it holds password hashes and session keys. SQLite gives its `-wal` and `-shm`
    /// files the database file's permissions. An existing file keeps the mode it has.
    static func createPrivately(_ path: String) throws {
        let descriptor = createExclusively(path, mode: 0o600)
        if descriptor >= 0 {
            _ = closeDescriptor(descriptor)
            return
        }
        guard errno == EEXIST else {
            let reason = String(cString: strerror(errno))
            throw SQLiteOpenError(description: "cannot create the database file \(path): \(reason)")
        }
    }

    /// Opens the database, creating the file when it is missing, and sets its pragmas.
    public static func open(
        _ configuration: SQLiteStorageConfiguration,
        logger: Logger = Logger(label: "gatehouse.sqlite")
    ) async throws -> SQLiteDatabaseProvider {
        let storage: SQLiteConnection.Storage
        switch configuration.location {
        case .file(let path):
            storage = .file(path: path)
            try createPrivately(path)
        case .memory: storage = .memory
        }
        let writer = try await SQLiteConnection.open(storage: storage, logger: logger)
        do {
            try await configure(writer, configuration: configuration, isWriter: true)
            var readers: [SQLiteConnection] = []
            if case .file = configuration.location {
                for _ in 0..<max(0, configuration.readerCount) {
                    let reader = try await SQLiteConnection.open(storage: storage, logger: logger)
                    readers.append(reader)
                    try await configure(reader, configuration: configuration, isWriter: false)
                }
            }
            var sessionReader: SQLiteSessionReader?
            if case .file(let path) = configuration.location, configuration.inlineSessionReads {
                sessionReader = SQLiteSessionReader(path: path, count: max(1, ProcessInfo.processInfo.activeProcessorCount))
            }
            return SQLiteDatabaseProvider(writer: writer, readers: readers, sessionReader: sessionReader)
        } catch {
            try? await writer.close()
            throw error
        }
    }

    private static func configure(
        _ connection: SQLiteConnection,
        configuration: SQLiteStorageConfiguration,
        isWriter: Bool
    ) async throws {
        let db = connection.sql(queryLogLevel: nil)
        // busy_timeout replaces sqlite-nio's retry-forever busy handler with a bounded wait.
        try await db.raw("PRAGMA busy_timeout = \(unsafeRaw: String(max(0, configuration.busyTimeoutMilliseconds)))").run()
        try await db.raw("PRAGMA foreign_keys = ON").run()
        if isWriter, case .file = configuration.location {
            try await db.raw("PRAGMA journal_mode = WAL").run()
            try await db.raw("PRAGMA synchronous = NORMAL").run()
        }
    }

    /// Runs `body` on a read connection (the write connection for in-memory databases).
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            guard !readers.isEmpty else {
                return try await gate.withLock { try await body(writer.sql(queryLogLevel: nil)) }
            }
            let reader = readers[nextReader.next() % readers.count]
            return try await body(reader.sql(queryLogLevel: nil))
        } catch {
            countError(error, writing: false)
            throw error
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction on the write connection, one at a time.
    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await gate.withLock {
            let db = writer.sql(queryLogLevel: nil)
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                countError(error, writing: true)
                throw error
            }
        }
    }

    /// Maps SQLite's extended result codes for unique and foreign-key failures.
    public func constraintViolation(in error: any Error) -> SQLConstraintViolation? {
        guard let error = error as? SQLiteError else { return nil }
        switch error.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed, .constraintUniqueRowIDFailed: return .unique
        case .constraintForeignKeyFailed: return .foreignKey
        default: return nil
        }
    }

    /// Closes every connection.
    public func shutdown() async throws {
        sessionReader?.close()
        for reader in readers { try await reader.close() }
        try await writer.close()
    }
}

private final class ReaderCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value &+= 1
            return value & Int.max
        }
    }
}

/// The SQLite database file could not be created (a missing directory, no permission).
public struct SQLiteOpenError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with the path.
    public let description: String
}

/// `open(path, O_CREAT | O_EXCL …, mode)`: creates the file only if it does not exist.
/// The same POSIX call on Glibc, Musl and Darwin, whichever the platform module is.
private func createExclusively(_ path: String, mode: mode_t) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
}

private func closeDescriptor(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
