public import Gatehouse
public import GatehouseSQL
public import Logging
import NIOCore
public import PostgresNIO
import PostgresKit
public import SQLKit

/// PostgreSQL connections for the stores, from postgres-nio's `PostgresClient` pool.
///
/// The provider starts the client's run loop itself and stops it in ``shutdown()``. A read or a
/// write waits at most ``PostgresPoolConfiguration/connectionTimeout`` for a connection; a database
/// that is down, unreachable or drops the connection fails the operation with
/// ``Gatehouse/StoreError/unavailable(_:)`` (a 503 for the request, never a logout).
///
/// ```swift
/// let url = try DatabaseURL("postgres://gatehouse:secret@127.0.0.1:5432/gatehouse")
/// let provider = try PostgresDatabaseProvider(url: url)
/// try await MigrationRunner(provider: provider).migrate()
/// ```
public final class PostgresDatabaseProvider: SQLDatabaseProvider {
    /// Always ``SQLFlavor/postgres``.
    public let flavor: SQLFlavor = .postgres
    /// The newest permission-data version this process has seen in the database.
    public let permissionVersion = PermissionVersion()

    /// The pool.
    public let client: PostgresClient
    /// The pool's size and waits.
    public let pool: PostgresPoolConfiguration
    private let runTask: Task<Void, Never>
    let logger: Logger
    /// Session rows between requests, with ``PostgresPoolConfiguration/sessionCache``.
    package let sessionCache: SessionRowCache?
    private let listener: SessionChangeListener?
    private let listenerTask: Task<Void, Never>?

    /// Creates a provider from a client configuration and starts the pool; its
    /// `maximumConnections` is set from `pool`. (``PostgresPoolConfiguration/sessionCache`` needs
    /// the provider made from a URL, which can open the listening connection.)
    public convenience init(
        configuration: PostgresClient.Configuration, pool: PostgresPoolConfiguration = PostgresPoolConfiguration(),
        logger: Logger = Logger(label: "gatehouse.postgres")
    ) {
        self.init(configuration: configuration, listening: nil, pool: pool, logger: logger)
    }

    init(
        configuration: PostgresClient.Configuration, listening: PostgresConnection.Configuration?, pool: PostgresPoolConfiguration,
        logger: Logger
    ) {
        var configuration = configuration
        configuration.options.maximumConnections = pool.maximumConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.pool = pool
        self.logger = logger
        self.runTask = Task { await client.run() }
        if pool.sessionCache, let listening {
            let cache = SessionRowCache()
            let listener = SessionChangeListener(cache: cache, configuration: listening, logger: logger)
            self.sessionCache = cache
            self.listener = listener
            self.listenerTask = Task { await listener.run() }
        } else {
            self.sessionCache = nil
            self.listener = nil
            self.listenerTask = nil
        }
    }

    /// Creates a provider for a `postgres://` URL, read as libpq reads it: `sslmode` (default `prefer`)
    /// and `sslrootcert`, a Unix-domain socket directory as the host, `options`, `application_name`
    /// and `connect_timeout` (see ``GatehouseSQL/PostgresURLParameters``), with the pool's size and
    /// waits from `pool`.
    ///
    /// Throws ``PostgresConnectionError`` when the TLS settings cannot be used (a missing or unreadable
    /// root certificate); the connections themselves are made later, by the pool.
    public convenience init(
        url: DatabaseURL, pool: PostgresPoolConfiguration = PostgresPoolConfiguration(), logger: Logger = Logger(label: "gatehouse.postgres")
    ) throws {
        let settings = try PostgresConnectionSettings(url: url)
        self.init(
            configuration: settings.clientConfiguration, listening: pool.sessionCache ? try settings.listenerConfiguration() : nil,
            pool: pool, logger: logger
        )
    }

    /// Opens one connection to `url` with the pool's settings and closes it, or throws a
    /// ``PostgresConnectionError`` that says why it failed (the pool itself retries quietly).
    ///
    /// ```swift
    /// try await PostgresDatabaseProvider.checkConnection(to: DatabaseURL("postgres://app@127.0.0.1/app?sslmode=require"))
    /// ```
    public static func checkConnection(to url: DatabaseURL, logger: Logger = Logger(label: "gatehouse.postgres")) async throws {
        let settings = try PostgresConnectionSettings(url: url)
        do {
            let connection = try await PostgresConnection.connect(configuration: try settings.connectionConfiguration(), id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw settings.explain(error)
        }
    }

    /// Runs `body` on a pooled connection.
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await withConnection { connection in
                try await body(connection.sql(queryLogLevel: nil))
            }
        } catch {
            countError(error, writing: false)
            throw error
        }
    }

    /// Runs `body` in a transaction on a pooled connection.
    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let logger = self.logger
        do {
            // Whatever the write changed, cached sessions are forgotten before it returns, and a read
            // that raced it cannot store what it read (the cache's generation moves on).
            defer { sessionCache?.invalidateAll() }
            return try await withConnection { connection in
                do {
                    return try await connection.withTransaction(logger: logger) { connection in
                        try await body(connection.sql(queryLogLevel: nil))
                    }
                } catch let error as PostgresTransactionError {
                    // Surface what went wrong (the closure's own error, or the failed COMMIT) rather than the wrapper.
                    if let inner = error.closureError ?? error.commitError ?? error.beginError { throw inner }
                    throw error
                }
            }
        } catch {
            countError(error, writing: true)
            throw error
        }
    }

    /// Leases a connection for `work`, waiting at most ``PostgresPoolConfiguration/connectionTimeout``
    /// for it. The deadline ends only the wait: once `work` has its connection it runs to its end.
    func withConnection<T: Sendable>(_ work: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let deadline = ConnectionWaitDeadline()
        let timeout = pool.connectionTimeout
        let client = self.client
        do {
            return try await withoutActuallyEscaping(work) { work in
                try await withThrowingTaskGroup(of: T?.self) { group in
                    group.addTask {
                        try await client.withConnection { connection in
                            guard deadline.start() else { throw CancellationError() }
                            return try await work(connection)
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: timeout)
                        if deadline.expire() { throw StoreError.unavailable("no database connection within \(timeout)") }
                        return nil  // the work has its connection: no deadline any more
                    }
                    defer { group.cancelAll() }
                    while let next = try await group.next() {
                        if let value = next { return value }
                    }
                    throw CancellationError()
                }
            }
        } catch {
            if deadline.hasExpired { throw StoreError.unavailable("no database connection within \(timeout)") }
            throw PostgresOutage.storeError(for: error, connected: deadline.hasStarted)
        }
    }

    /// Maps SQLSTATE 23505 (unique) and 23503 (foreign key).
    public func constraintViolation(in error: any Error) -> SQLConstraintViolation? {
        guard let psqlError = error as? PSQLError, let state = psqlError.serverInfo?[.sqlState] else { return nil }
        switch state {
        case "23505": return .unique
        case "23503": return .foreignKey
        default: return nil
        }
    }

    /// Stops the pool: waits for its connections to close for at most
    /// ``PostgresPoolConfiguration/shutdownTimeout`` (a connection stuck in its handshake with a
    /// database that stopped answering cannot hold the shutdown; it goes with the process).
    public func shutdown() async throws {
        listenerTask?.cancel()
        await listener?.closeConnection()
        runTask.cancel()
        let run = runTask
        let timeout = pool.shutdownTimeout
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await run.value }
            group.addTask { try? await Task.sleep(for: timeout) }
            _ = await group.next()
            group.cancelAll()
        }
    }
}
