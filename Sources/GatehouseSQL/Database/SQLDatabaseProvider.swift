public import Gatehouse
public import SQLKit

/// The SQL dialects Gatehouse speaks.
///
/// ```swift
/// if provider.flavor == .sqlite { ... }
/// ```
public enum SQLFlavor: String, Sendable {
    /// SQLite through sqlite-kit: the embedded default.
    case sqlite
    /// PostgreSQL through postgres-nio.
    case postgres
}

/// Hands out SQLKit databases for reads and for write transactions.
///
/// The store code is written once against this role; each engine decides how connections are
/// pooled and how writes are serialized (SQLite has one writer, PostgreSQL a pool of connections).
///
/// ```swift
/// let count = try await provider.read { db in
///     try await db.raw("SELECT COUNT(*) AS n FROM auth_user").first(decodingColumn: "n", as: Int.self)
/// }
/// ```
public protocol SQLDatabaseProvider: Sendable {
    /// The dialect of the connections this provider hands out.
    var flavor: SQLFlavor { get }

    /// Runs `body` with a connection for reading. It sees every committed write.
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it throws.
    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// The newest version of this database's permission data seen by this process (see
    /// ``SQLAuthStore``): one per database handle, so every store on it shares it.
    var permissionVersion: PermissionVersion { get }

    /// Closes every connection. The provider must not be used afterwards.
    func shutdown() async throws

    /// Which integrity rule, if any, a database error reports.
    func constraintViolation(in error: any Error) -> SQLConstraintViolation?
}

/// The integrity rules whose violations stores turn into ``Gatehouse/StoreError`` values.
///
/// ```swift
/// if provider.constraintViolation(in: error) == .unique { throw StoreError.duplicate("username") }
/// ```
public enum SQLConstraintViolation: Sendable, Equatable {
    /// A unique constraint or primary key.
    case unique
    /// A foreign key.
    case foreignKey
}
