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
    package func sessionRow(key: String, now: Date) async throws -> SessionRow?? {
        guard pool.preparedStatements else { return nil }
        let logger = self.logger
        let statement = PostgresSessionRead(key: key, now: now)
        do {
            let row: SessionRow? = try await withConnection { connection in
                // Read the answer to its end (one row at most: the key is the primary key) before the
                // connection goes back to the pool; leaving the stream early left the connection
                // waiting on it.
                var row: SessionRow?
                for try await (data, expireDate, version) in try await connection.execute(statement, logger: logger) where row == nil {
                    row = SessionRow(data: data, expireDate: expireDate, permissionVersion: UInt64(clamping: version ?? 0))
                }
                return row
            }
            return .some(row)
        } catch {
            countError(error, writing: false)
            throw error
        }
    }
}
