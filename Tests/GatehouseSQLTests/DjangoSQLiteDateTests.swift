import Foundation
@testable import GatehouseSQL
import Testing

/// Django's SQLite datetime text, written by hand for speed: checked against Foundation's calendar
/// from 1583 on (before that Foundation's Gregorian calendar switches to Julian dates, Python's
/// datetime does not), against Python's own values at the ends of the range, and round-tripped
/// through the parser over years 1 to 9999.
@Suite("SQLite datetime text")
struct DjangoSQLiteDateTests {
    static func reference(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var microseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = (microseconds / 1_000_000).rounded(.down)
        microseconds -= seconds * 1_000_000
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
        var text = String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        if microseconds > 0 { text += String(format: ".%06d", Int(microseconds)) }
        return text
    }

    @Test func matchesTheCalendarAndRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 253_402_300_799), Date(timeIntervalSince1970: -62_135_596_800),  // 9999-12-31, 0001-01-01
            Date(timeIntervalSince1970: 1_717_171_717.5), Date(timeIntervalSince1970: 1_717_171_717.000001),
        ]
        for _ in 0..<5_000 {
            let seconds = Double(Int64.random(in: -62_135_596_800...253_402_300_799, using: &generator))
            dates.append(Date(timeIntervalSince1970: seconds + Double(Int.random(in: 0..<1_000_000, using: &generator)) / 1_000_000))
        }
        for date in dates {
            let text = DjangoSQLiteDate.format(date)
            if date.timeIntervalSince1970 >= -12_212_553_600 {  // 1583-01-01
                #expect(text == Self.reference(date), "\(date.timeIntervalSince1970)")
            }
            if let parsed = DjangoSQLiteDate.parse(text) {
                #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_002 * max(1, abs(date.timeIntervalSince1970) / 1e9))
            } else {
                Issue.record("\(text) did not parse")
            }
        }
        // Python: datetime(1, 1, 1, tzinfo=UTC).timestamp() == -62135596800.0, and 9999-12-31 23:59:59.
        #expect(DjangoSQLiteDate.format(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01 00:00:00")
        #expect(DjangoSQLiteDate.format(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31 23:59:59")
        #expect(DjangoSQLiteDate.format(Date(timeIntervalSince1970: -12_219_292_800)) == "1582-10-15 00:00:00")
        #expect(DjangoSQLiteDate.parse("1582-10-04 00:00:00")?.timeIntervalSince1970 == -12_220_243_200)  // Python's value
        for bad in ["2023-02-29 00:00:00", "2024-04-31 00:00:00", "0000-01-01 00:00:00", "2024-13-01 00:00:00", "2024-01-01 24:00:00"] {
            #expect(DjangoSQLiteDate.parse(bad) == nil, "\(bad)")
        }
        #expect(DjangoSQLiteDate.parse("2024-02-29 12:00:00.5+01:00")?.timeIntervalSince1970 == 1_709_204_400.5)
    }
}
