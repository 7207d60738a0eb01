import ArgumentParser
import Foundation
import Gatehouse
import GatehousePostgres
import GatehouseSQL
import Logging
import SQLKit

/// `--database URL`, shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Database URL (default: $GATEHOUSE_DATABASE_URL, else \(DatabaseURL.defaultURL)).",
            valueName: "url"
        )
    )
    var database: String?
    @Option(
        name: .customLong("database-connections"),
        help: "PostgreSQL: the most connections this process opens (default: 10)."
    )
    var databaseConnections: Int?
    @Option(
        name: .customLong("database-timeout"),
        help: "PostgreSQL: seconds a request waits for a connection before it fails with 503 (default: 5)."
    )
    var databaseTimeout: Double?
    @Option(
        name: .customLong("database-prepared-statements"),
        help: "PostgreSQL: on or off: read each request's session with a prepared statement (default: on; off behind PgBouncer in transaction mode without max_prepared_statements)."
    )
    var databasePreparedStatements: Switch?
    @Option(
        name: .customLong("database-session-cache"),
        help: "PostgreSQL, serve: on or off: keep sessions in memory between requests, kept current by LISTEN/NOTIFY on a connection of its own, and off while that connection is down (default: on)."
    )
    var databaseSessionCache: Switch?

    /// `on` or `off`.
    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    /// The PostgreSQL pool the options ask for.
    func resolvedPool(servingRequests: Bool = false) throws -> PostgresPoolConfiguration {
        var pool = PostgresPoolConfiguration()
        pool.sessionCache = servingRequests && databaseSessionCache != .off
        if let databaseConnections {
            guard (1...1_000).contains(databaseConnections) else { throw CommandFailure("--database-connections is between 1 and 1000") }
            pool.maximumConnections = databaseConnections
        }
        if let databaseTimeout {
            guard databaseTimeout.isFinite, (0.05...600).contains(databaseTimeout) else {
                throw CommandFailure("--database-timeout is between 0.05 and 600 seconds")
            }
            pool.connectionTimeout = .milliseconds(Int64(databaseTimeout * 1000))
        }
        if let databasePreparedStatements { pool.preparedStatements = databasePreparedStatements == .on }
        return pool
    }

    /// The URL in force: the option, the environment, then the default.
    func resolvedURL() throws -> DatabaseURL {
        let text = database ?? ProcessInfo.processInfo.environment["GATEHOUSE_DATABASE_URL"] ?? DatabaseURL.defaultURL
        return try DatabaseURL(text)
    }

    /// Opens the database. Unless `creating`, a missing SQLite file or a database without Gatehouse's
    /// tables is an error that says to run `gatehouse migrate`, rather than a new empty database.
    ///
    /// `servingRequests` (for `serve`) keeps PostgreSQL sessions in memory unless
    /// `--database-session-cache off`; the other commands make a few queries and leave.
    func open(creating: Bool = false, servingRequests: Bool = false) async throws -> CommandDatabase {
        let url = try resolvedURL()
        let pool = try resolvedPool(servingRequests: servingRequests)
        var logger = Logger(label: "gatehouse")
        // Connection retries are reported once, as the command's own one-line error.
        logger.logLevel = .critical
        let provider: any SQLDatabaseProvider
        switch url.kind {
        case .sqlite(let location):
            if case .file(let path) = location, !creating, !FileManager.default.fileExists(atPath: path) {
                throw CommandFailure("no database at \(url.redacted): run 'gatehouse migrate' first")
            }
            provider = try await SQLiteDatabaseProvider.open(SQLiteStorageConfiguration(location: location), logger: logger)
        case .postgres:
            do {
                provider = try PostgresDatabaseProvider(url: url, pool: pool, logger: logger)
            } catch {
                throw CommandFailure("cannot use the database at \(url.redacted): \(error)")
            }
        }
        let database = CommandDatabase(url: url, provider: provider)
        guard await database.isReachable() else {
            try? await provider.shutdown()
            throw await database.unreachableReason(logger: logger)
        }
        if !creating {
            do {
                try await database.requireMigrated()
            } catch {
                try? await provider.shutdown()
                throw error
            }
        }
        return database
    }
}

/// An open database and the stores on it, closed by ``run(_:)``.
struct CommandDatabase {
    let url: DatabaseURL
    let provider: any SQLDatabaseProvider
    var store: SQLAuthStore { SQLAuthStore(provider: provider) }

    /// Whether a trivial query succeeds within `timeout` (a refused PostgreSQL connection would
    /// otherwise be retried by the pool for about a minute).
    func isReachable(timeout: Duration = .seconds(5)) async -> Bool {
        let provider = self.provider
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                (try? await provider.read { db in try await db.raw("SELECT 1 AS reachable").first() }) != nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    var unreachable: CommandFailure { CommandFailure("could not connect to the database at \(url.redacted)") }

    /// Why the database cannot be reached: for PostgreSQL one direct connection names the cause (TLS
    /// refused or not trusted, the server's refusal), which the pool's quiet retries do not.
    func unreachableReason(logger: Logger, timeout: Duration = .seconds(15)) async -> CommandFailure {
        guard case .postgres = url.kind else { return unreachable }
        let url = self.url
        let reason: String? = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    try await PostgresDatabaseProvider.checkConnection(to: url, logger: logger)
                    return nil
                } catch {
                    return "\(error)"
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let reason else { return unreachable }
        return CommandFailure("could not connect to the database at \(url.redacted): \(reason)")
    }

    func requireMigrated() async throws {
        let applied: Bool
        do {
            // Every migration: the stores use Gatehouse's own tables too (object permissions).
            let done = Set(try await MigrationRunner(provider: provider).appliedMigrations())
            applied = Migration.all.allSatisfy { done.contains($0.name) }
        } catch {
            // The bookkeeping table is missing; a database that Django migrated is fine once Gatehouse's
            // own migrations are recorded.
            applied = false
        }
        if !applied {
            throw CommandFailure("the database at \(url.redacted) is not migrated: run 'gatehouse migrate' first")
        }
    }

    func close() async {
        try? await provider.shutdown()
    }
}

extension DatabaseOptions {
    /// Opens the database, runs `body` and closes the database whatever happens.
    func run<T>(creating: Bool = false, _ body: (CommandDatabase) async throws -> T) async throws -> T {
        let database = try await open(creating: creating)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}
