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
    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC, as Django writes it. Done by hand (days to a civil
    /// date, then digits) rather than with a calendar and `String(format:)`: it runs on every
    /// session load.
    static func format(_ date: Date) -> String {
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = floorDivide(microseconds, 1_000_000)
        let fraction = microseconds - seconds * 1_000_000
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (proleptic Gregorian).
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(26)
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(48 + (rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(45)
        digits(month, 2)
        bytes.append(45)
        digits(day, 2)
        bytes.append(32)
        digits(secondOfDay / 3_600, 2)
        bytes.append(58)
        digits(secondOfDay / 60 % 60, 2)
        bytes.append(58)
        digits(secondOfDay % 60, 2)
        if fraction > 0 {
            bytes.append(46)
            digits(fraction, 6)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
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
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard year >= 1, (1...12).contains(month), day >= 1, day <= monthDays[month - 1], hour < 24, minute < 60, second < 61
        else { return nil }
        // Days since 1970-01-01 of a proleptic Gregorian date, as Python's datetime counts them.
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = Int64((153 * ((month + 9) % 12) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let whole = Double(days * 86_400 + Int64(hour * 3_600 + minute * 60 + second))
        let micro = (fraction * 1_000_000).rounded() / 1_000_000
        return Date(timeIntervalSince1970: whole + micro - Double(offsetSeconds))
    }

}
