package import Foundation

/// Python's `datetime.isoformat()` for UTC times and the subset of `datetime.fromisoformat()` Django's
/// sessions meet; also the proleptic Gregorian arithmetic (Python's, not Foundation's calendar, which
/// is Julian before 1582) that GatehouseSQL's SQLite datetime text uses.
package enum ISODateTime {
    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`, microseconds only when not zero.
    static func format(_ date: Date) -> String {
        format(date, separator: UInt8(ascii: "T"), suffix: "+00:00")
    }

    /// `YYYY-MM-DD`, `separator`, `HH:MM:SS[.ffffff]`, `suffix`, in UTC; microseconds only when not
    /// zero; dates past the representable range are written as 9999-12-31 23:59:59. Written byte by
    /// byte: SQLite session lookups call it on every request.
    ///
    /// ```swift
    /// ISODateTime.format(date, separator: UInt8(ascii: " "), suffix: "")   // Django's SQLite text
    /// ```
    package static func format(_ date: Date, separator: UInt8, suffix: String) -> String {
        let totalMicroseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard totalMicroseconds.isFinite, abs(totalMicroseconds) < 9e18 else {
            return "9999-12-31" + String(decoding: [separator], as: UTF8.self) + "23:59:59" + suffix
        }
        let micros = Int64(totalMicroseconds)
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(26 + suffix.utf8.count)
        func digits(_ value: Int64, _ width: Int) {
            let text = String(value).utf8
            if text.count < width { bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - text.count)) }
            bytes.append(contentsOf: text)
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(separator)
        digits(secondOfDay / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            digits(fraction, 6)
        }
        bytes.append(contentsOf: suffix.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM[:SS[.fraction]]`, then optionally `Z` or
    /// `±HH:MM[:SS]` / `±HHMM`. A time without an offset is taken as UTC.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, bytes.count <= 64 else { return nil }
        var index = 0
        func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            index += count
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), take(UInt8(ascii: "-")), let month = digits(2), take(UInt8(ascii: "-")),
            let day = digits(2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var secondsOfDay: Int64 = 0
        var fraction = 0.0
        var offset: Int64 = 0
        if index < bytes.count {
            guard take(UInt8(ascii: "T")) || take(UInt8(ascii: " ")) else { return nil }
            guard let hour = digits(2), hour < 24, take(UInt8(ascii: ":")), let minute = digits(2), minute < 60 else {
                return nil
            }
            var second: Int64 = 0
            if take(UInt8(ascii: ":")) {
                guard let value = digits(2), value < 60 else { return nil }
                second = value
                if take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) {
                    var scale = 0.1
                    let start = index
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                        fraction += Double(bytes[index] - 0x30) * scale
                        scale /= 10
                        index += 1
                    }
                    guard index > start else { return nil }
                }
            }
            secondsOfDay = hour * 3600 + minute * 60 + second
            if take(UInt8(ascii: "Z")) {
                // UTC
            } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign: Int64 = bytes[index] == UInt8(ascii: "+") ? 1 : -1
                index += 1
                guard let hours = digits(2), hours < 24 else { return nil }
                _ = take(UInt8(ascii: ":"))
                guard let minutes = digits(2), minutes < 60 else { return nil }
                var seconds: Int64 = 0
                if take(UInt8(ascii: ":")) {
                    guard let value = digits(2), value < 60 else { return nil }
                    seconds = value
                }
                offset = sign * (hours * 3600 + minutes * 60 + seconds)
            }
            guard index == bytes.count else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + secondsOfDay - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + (fraction * 1_000_000).rounded() / 1_000_000)
    }

    private static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in `month` of `year` (proleptic Gregorian).
    package static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    package static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    package static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
