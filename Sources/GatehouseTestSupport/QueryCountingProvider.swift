public import Gatehouse
public import GatehouseSQL
import Logging
import NIOCore
public import SQLKit
import Synchronization

/// A provider that records the SQL of every statement the stores send through it, so tests can
/// assert how many queries a request costs (counted, not timed): build the stores on
/// `QueryCountingProvider(base: provider)`, call `reset()`, run the code under test and
/// `#expect(counting.statements.count == 1)`. (Prose, not a code block: this module is not a
/// product, so scripts/docs/check_snippets.py cannot compile examples against it.)
public final class QueryCountingProvider: SQLDatabaseProvider {
    /// The provider that runs the statements.
    public let base: any SQLDatabaseProvider
    private let log = Mutex<[String]>([])

    /// Wraps `base`.
    public init(base: any SQLDatabaseProvider) {
        self.base = base
    }

    /// The statements sent since the last ``reset()``, in order (transaction control not included).
    public var statements: [String] { log.withLock { $0 } }

    /// Forgets the recorded statements.
    public func reset() { log.withLock { $0.removeAll() } }

    public var flavor: SQLFlavor { base.flavor }
    public var permissionVersion: PermissionVersion { base.permissionVersion }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await base.read { db in try await body(CountingDatabase(base: db, owner: self)) }
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await base.write { db in try await body(CountingDatabase(base: db, owner: self)) }
    }

    public func shutdown() async throws { try await base.shutdown() }

    public func constraintViolation(in error: any Error) -> SQLConstraintViolation? {
        base.constraintViolation(in: error)
    }

    fileprivate func record(_ sql: String) { log.withLock { $0.append(sql) } }
}

private struct CountingDatabase: SQLDatabase {
    let base: any SQLDatabase
    let owner: QueryCountingProvider

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        owner.record(base.serialize(query).sql)
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        owner.record(base.serialize(query).sql)
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession { db in try await closure(CountingDatabase(base: db, owner: owner)) }
    }
}
