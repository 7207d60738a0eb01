package import Foundation
package import GatehouseSQL
import Logging
import PostgresNIO

/// The session read every request with a session cookie makes, as a named prepared statement:
/// PostgreSQL parses and plans it once per connection, and each request sends only Bind and
/// Execute. Same text and answer as ``GatehouseSQL/SQLSessionStore``'s SQLKit query.
struct PostgresSessionRead: PostgresPreparedStatement {
    static let name = "gatehouse_session_read_1"
    static let sql = PostgresDatabaseProvider.sessionRowSQL(key: "$1", now: "$2")
    static var bindingDataTypes: [PostgresDataType] { [.varchar, .timestamptz] }

    typealias Row = (String, Date, Int64?)

    var key: String
    var now: Date

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(key)
        bindings.append(now)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}

extension PostgresDatabaseProvider: SessionRowReading {
    /// From the session cache when it is live and has the row; otherwise one query, as a prepared
    /// statement unless ``PostgresPoolConfiguration/preparedStatements`` is off.
    package func sessionRow(key: String, now: Date) async throws -> SessionRow?? {
        var ticket: SessionRowCache.Ticket?
        if let sessionCache {
            switch sessionCache.lookup(key: key, now: now) {
            case .hit(let row): return .some(row)
            case .miss(let missed): ticket = missed
            }
        }
        guard pool.preparedStatements || ticket != nil else { return nil }
        let logger = self.logger
        let statement = PostgresSessionRead(key: key, now: now)
        let prepared = pool.preparedStatements
        do {
            let row: SessionRow? = try await withConnection { connection in
                // Read the answer to its end (one row at most: the key is the primary key) before the
                // connection goes back to the pool; leaving the stream early left the connection
                // waiting on it.
                let rows: AsyncThrowingMapSequence<PostgresRowSequence, PostgresSessionRead.Row>
                if prepared {
                    rows = try await connection.execute(statement, logger: logger)
                } else {
                    let query = PostgresQuery(unsafeSQL: PostgresSessionRead.sql, binds: try statement.makeBindings())
                    rows = try await connection.query(query, logger: logger).map { try statement.decodeRow($0) }
                }
                var row: SessionRow?
                for try await (data, expireDate, version) in rows where row == nil {
                    row = SessionRow(data: data, expireDate: expireDate, permissionVersion: UInt64(clamping: version ?? 0))
                }
                return row
            }
            if let row, let ticket { sessionCache?.store(row, for: ticket) }
            return .some(row)
        } catch {
            countError(error, writing: false)
            throw error
        }
    }
}
