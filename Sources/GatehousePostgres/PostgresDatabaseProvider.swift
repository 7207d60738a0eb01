public import Gatehouse
public import GatehouseSQL
public import Logging
import NIOCore
public import PostgresNIO
import PostgresKit
public import SQLKit

/// PostgreSQL connections for the stores, from postgres-nio's `PostgresClient` pool.
///
/// The provider starts the client's run loop itself and stops it in ``shutdown()``.
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
    private let runTask: Task<Void, Never>
    private let logger: Logger

    /// Creates a provider from a client configuration and starts the pool.
    public init(configuration: PostgresClient.Configuration, logger: Logger = Logger(label: "gatehouse.postgres")) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.runTask = Task { await client.run() }
    }

    /// Creates a provider for a `postgres://` URL, read as libpq reads it: `sslmode` (default `prefer`)
    /// and `sslrootcert`, a Unix-domain socket directory as the host, `options`, `application_name`
    /// and `connect_timeout` (see ``GatehouseSQL/PostgresURLParameters``).
    ///
    /// Throws ``PostgresConnectionError`` when the TLS settings cannot be used (a missing or unreadable
    /// root certificate); the connections themselves are made later, by the pool.
    public convenience init(url: DatabaseURL, logger: Logger = Logger(label: "gatehouse.postgres")) throws {
        var configuration = try PostgresConnectionSettings(url: url).clientConfiguration
        configuration.options.maximumConnections = 10
        self.init(configuration: configuration, logger: logger)
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
        try await client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: nil))
        }
    }

    /// Runs `body` in a transaction on a pooled connection.
    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(connection.sql(queryLogLevel: nil))
            }
        } catch let error as PostgresTransactionError {
            // Surface what went wrong (the closure's own error, or the failed COMMIT) rather than the wrapper.
            if let inner = error.closureError ?? error.commitError ?? error.beginError { throw inner }
            throw error
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

    /// Stops the pool.
    public func shutdown() async throws {
        runTask.cancel()
        await runTask.value
    }
}
