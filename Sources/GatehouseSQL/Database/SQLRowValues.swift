import Gatehouse
import Foundation
import SQLKit

/// Reading and writing values the way Django stores them, per dialect.
///
/// Django keeps SQLite datetimes as UTC text (`2024-05-01 12:30:00.123456`, without the fraction when
/// it is zero) and booleans as integers; PostgreSQL has native types.
struct SQLValueCoder: Sendable {
    let flavor: SQLFlavor

    func bind(_ date: Date) -> any SQLExpression {
        switch flavor {
        case .postgres: return SQLBind(date)
        case .sqlite: return SQLBind(DjangoSQLiteDate.format(date))
        }
    }

    func bind(_ date: Date?) -> any SQLExpression {
        guard let date else { return SQLLiteral.null }
        return bind(date)
    }

    func bind(_ flag: Bool) -> any SQLExpression {
        switch flavor {
        case .postgres: return SQLBind(flag)
        case .sqlite: return SQLBind(flag ? 1 : 0)
        }
    }

    func date(_ row: any SQLRow, _ column: String) throws -> Date {
        guard let date = try optionalDate(row, column) else {
            throw StoreDecodingError(column: column)
        }
        return date
    }

    func optionalDate(_ row: any SQLRow, _ column: String) throws -> Date? {
        if try row.decodeNil(column: column) { return nil }
        switch flavor {
        case .postgres:
            return try row.decode(column: column, as: Date.self)
        case .sqlite:
            let text = try row.decode(column: column, as: String.self)
            guard let date = DjangoSQLiteDate.parse(text) else { throw StoreDecodingError(column: column) }
            return date
        }
    }

    func bool(_ row: any SQLRow, _ column: String) throws -> Bool {
        switch flavor {
        case .postgres: return try row.decode(column: column, as: Bool.self)
        case .sqlite: return try row.decode(column: column, as: Int.self) != 0
        }
    }
}

/// A stored value could not be read back.
struct StoreDecodingError: Error, CustomStringConvertible {
    let column: String
    var description: String { "the value in column \(column) could not be read" }
}

/// Django's SQLite datetime text: `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC.
enum DjangoSQLiteDate {
    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC, as Django writes it (proleptic Gregorian, like Python).
    static func format(_ date: Date) -> String {
        ISODateTime.format(date, separator: UInt8(ascii: " "), suffix: "")
    }

    static func parse(_ text: String) -> Date? {
        // Accept "YYYY-MM-DD HH:MM:SS", an optional fraction of 1-6 digits, an optional "T" separator
        // and an optional UTC offset such as "+00:00" or "Z".
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes[4] == 45, bytes[7] == 45, bytes[10] == 32 || bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57, index - start < 9 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            if bytes[index] == 90, index + 1 == bytes.count {  // "Z"
                index += 1
            } else if bytes[index] == 43 || bytes[index] == 45, bytes.count == index + 6, bytes[index + 3] == 58,
                let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6)
            {
                offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == 43 ? 1 : -1)
                index += 6
            } else {
                return nil
            }
        }
        guard year >= 1, (1...12).contains(month), day >= 1, Int64(day) <= ISODateTime.daysIn(month: Int64(month), year: Int64(year)),
            hour < 24, minute < 60, second < 61
        else { return nil }
        let days = ISODateTime.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let whole = Double(days * 86_400 + Int64(hour * 3_600 + minute * 60 + second))
        let micro = (fraction * 1_000_000).rounded() / 1_000_000
        return Date(timeIntervalSince1970: whole + micro - Double(offsetSeconds))
    }

}
