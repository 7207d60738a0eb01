/// How many PostgreSQL connections a ``PostgresDatabaseProvider`` keeps, and how long a request may
/// wait for one.
///
/// Only the wait for a connection is bounded: once a connection is in hand, a query or a
/// migration runs as long as it needs. When the database is down or unreachable, a request fails
/// after ``connectionTimeout`` with ``Gatehouse/StoreError/unavailable(_:)`` (a 503 for the
/// client) instead of waiting while the pool keeps reconnecting.
///
/// ```swift
/// var pool = PostgresPoolConfiguration()
/// pool.maximumConnections = 20
/// pool.connectionTimeout = .seconds(2)
/// let provider = try PostgresDatabaseProvider(url: try DatabaseURL("postgres://127.0.0.1/gatehouse"), pool: pool)
/// ```
public struct PostgresPoolConfiguration: Sendable, Hashable {
    /// The most connections this process opens at once. Default 10.
    public var maximumConnections: Int
    /// The longest a read or a write waits for a connection before it fails. Default 5 seconds.
    public var connectionTimeout: Duration
    /// The longest ``PostgresDatabaseProvider/shutdown()`` waits for the connections to close.
    /// Default 5 seconds.
    public var shutdownTimeout: Duration
    /// Whether the session read of every request runs as a named prepared statement, parsed once
    /// per connection (default `true`). Turn it off behind a pooler that cannot keep prepared
    /// statements across transactions (PgBouncer in transaction mode before 1.21, or without
    /// `max_prepared_statements`).
    public var preparedStatements: Bool = true
    /// Whether session rows are kept in memory between requests (default `false`), so that a
    /// request with a known session sends no query. Safe only because PostgreSQL reports every
    /// change: a dedicated connection `LISTEN`s for the notifications that migration
    /// `0008_gatehouse_change_notifications` sends on every session update or delete and every
    /// permission-version advance (users, groups, permissions), whoever makes them. While that
    /// connection is down the cache is off and every request asks the database. Another instance's
    /// logout reaches this one within the notification's delivery time (docs/scaling.md); this
    /// process's own writes clear the cache before they return. Needs a provider made from a URL.
    /// `gatehouse serve` turns it on (`--database-session-cache`).
    public var sessionCache: Bool = false

    /// Creates a configuration; the defaults suit one server process.
    public init(maximumConnections: Int = 10, connectionTimeout: Duration = .seconds(5), shutdownTimeout: Duration = .seconds(5)) {
        self.maximumConnections = maximumConnections
        self.connectionTimeout = connectionTimeout
        self.shutdownTimeout = shutdownTimeout
    }
}
