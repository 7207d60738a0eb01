public import Gatehouse
public import Foundation
import SQLKit

/// The ``Gatehouse/LoginFailureStore`` on Gatehouse's `gatehouse_login_failure` table, for SQLite and
/// PostgreSQL alike: every server on the database, and every restart, counts the same failures.
///
/// Times are stored as the session table stores them (Django's UTC text on SQLite, `timestamp with
/// time zone` on PostgreSQL). Each recorded failure also deletes up to
/// ``Gatehouse/LoginFailureStoreLimits/pruneBatch`` rows older than the window, in the same
/// transaction, so the table holds about one window of failures without a separate job.
///
/// ```swift
/// let throttle = LoginThrottle(store: SQLLoginFailureStore(provider: provider))
/// ```
public struct SQLLoginFailureStore: LoginFailureStore {
    /// Where the connections come from.
    ///
    /// ```swift
    /// store.provider.flavor == .sqlite
    /// ```
    public let provider: any SQLDatabaseProvider
    let values: SQLValueCoder

    /// Creates a store on `provider`'s migrated database.
    ///
    /// ```swift
    /// let store = SQLLoginFailureStore(provider: provider)
    /// ```
    public init(provider: any SQLDatabaseProvider) {
        self.provider = provider
        self.values = SQLValueCoder(flavor: provider.flavor)
    }

    /// Inserts the failure and deletes a batch of rows older than `cutoff`, in one transaction.
    public func recordFailure(username: String, address: String, at date: Date, pruningBefore cutoff: Date) async throws {
        let values = self.values
        let batch = LoginFailureStoreLimits.pruneBatch
        try await provider.write { db in
            try await db.raw(
                """
                DELETE FROM gatehouse_login_failure WHERE id IN (\
                SELECT id FROM gatehouse_login_failure WHERE failed_at < \(values.bind(cutoff)) LIMIT \(bind: batch))
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO gatehouse_login_failure (username, address, failed_at) \
                VALUES (\(bind: username), \(bind: address), \(values.bind(date)))
                """
            ).run()
        }
    }

    /// The count under `key` since `since`, and the time of its `nthNewest` newest failure.
    public func failures(for key: LoginFailureKey, since: Date, nthNewest: Int) async throws -> LoginFailureWindow {
        let values = self.values
        let condition = Self.condition(key)
        let time = values.bind(since)
        let newest: SQLQueryString = """
            (SELECT failed_at FROM gatehouse_login_failure WHERE \(condition) AND failed_at >= \(time) \
            ORDER BY failed_at DESC LIMIT 1 OFFSET \(bind: max(0, nthNewest - 1)))
            """
        let nth: any SQLExpression = nthNewest >= 1 ? newest : SQLLiteral.null
        let row = try await provider.read { db in
            try await db.raw(
                """
                SELECT (SELECT COUNT(*) FROM gatehouse_login_failure WHERE \(condition) AND failed_at >= \(time)) AS n, \
                \(nth) AS nth
                """
            ).first()
        }
        guard let row else { return LoginFailureWindow(count: 0, nthNewest: nil) }
        return LoginFailureWindow(count: try row.decode(column: "n", as: Int.self), nthNewest: try values.optionalDate(row, "nth"))
    }

    /// Every key of `kind` with failures since `since`, most failures first.
    public func failureGroups(_ kind: LoginFailureKey.Kind, since: Date) async throws -> [LoginFailureGroup] {
        let values = self.values
        let columns: SQLQueryString
        switch kind {
        case .usernameAndAddress: columns = "username, address"
        case .address: columns = "address"
        case .username: columns = "username"
        }
        let rows = try await provider.read { db in
            try await db.raw(
                """
                SELECT \(columns), COUNT(*) AS n, MAX(failed_at) AS newest FROM gatehouse_login_failure \
                WHERE failed_at >= \(values.bind(since)) GROUP BY \(columns) ORDER BY n DESC, \(columns)
                """
            ).all()
        }
        return try rows.map { row in
            let key: LoginFailureKey
            switch kind {
            case .usernameAndAddress:
                key = .usernameAndAddress(
                    username: try row.decode(column: "username", as: String.self), address: try row.decode(column: "address", as: String.self)
                )
            case .address: key = .address(try row.decode(column: "address", as: String.self))
            case .username: key = .username(try row.decode(column: "username", as: String.self))
            }
            return LoginFailureGroup(key: key, count: try row.decode(column: "n", as: Int.self), newest: try values.date(row, "newest"))
        }
    }

    /// Deletes the matching failures and returns how many.
    public func deleteFailures(username: String?, address: String?) async throws -> Int {
        var conditions: [SQLQueryString] = []
        if let username { conditions.append("username = \(bind: username)") }
        if let address { conditions.append("address = \(bind: address)") }
        let filter: SQLQueryString = conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND ")
        return try await provider.write { db in
            let count = try await db.raw("SELECT COUNT(*) AS n FROM gatehouse_login_failure WHERE \(filter)")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            try await db.raw("DELETE FROM gatehouse_login_failure WHERE \(filter)").run()
            return count
        }
    }

    private static func condition(_ key: LoginFailureKey) -> SQLQueryString {
        switch key {
        case .usernameAndAddress(let username, let address): "username = \(bind: username) AND address = \(bind: address)"
        case .address(let address): "address = \(bind: address)"
        case .username(let username): "username = \(bind: username)"
        }
    }
}
