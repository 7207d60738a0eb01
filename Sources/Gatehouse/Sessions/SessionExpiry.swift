public import Foundation

/// A per-session expiry, as Django's `SessionBase.set_expiry` stores it under `_session_expiry` in the
/// session data (so Django honours an expiry Gatehouse sets and the other way round).
///
/// ```swift
/// session.expiry = .afterInactivity(seconds: 30 * 60)          // stored as 1800
/// session.expiry = .at(clock.now().addingTimeInterval(3600))   // stored as "2024-05-01T13:00:00+00:00"
/// session.expiry = .atBrowserClose                             // stored as 0
/// session.expiry = nil                                         // the configured policy
/// ```
public enum SessionExpiry: Sendable, Hashable {
    /// Expire this many seconds after the session was last saved.
    case afterInactivity(seconds: Int)
    /// Expire at a fixed moment.
    case at(Date)
    /// The cookie lasts until the browser closes; the server-side row still expires after the cookie
    /// age.
    case atBrowserClose

    /// The key Django keeps the expiry under.
    ///
    /// ```swift
    /// session.data[SessionExpiry.dataKey]
    /// ```
    public static let dataKey = "_session_expiry"

    /// Reads Django's stored form: `0` (browser close), a number of seconds, or an ISO 8601 date and
    /// time. `nil` for `null`, anything unreadable, or a Boolean.
    ///
    /// ```swift
    /// SessionExpiry(storedValue: 0)   // .atBrowserClose
    /// ```
    public init?(storedValue: JSONValue) {
        switch storedValue {
        case .int(0): self = .atBrowserClose
        case .int(let seconds): self = .afterInactivity(seconds: seconds)
        case .double(let seconds) where seconds == 0: self = .atBrowserClose
        case .double(let seconds) where seconds.isFinite && abs(seconds) < 1e15:
            self = .afterInactivity(seconds: Int(seconds.rounded(.towardZero)))
        case .string(let text):
            guard let date = ISODateTime.parse(text) else { return nil }
            self = .at(date)
        default:
            return nil
        }
    }

    /// The value Django would store: an integer, or the date as Python's `datetime.isoformat()` writes
    /// a UTC time.
    ///
    /// ```swift
    /// SessionExpiry.afterInactivity(seconds: 60).storedValue   // .int(60)
    /// ```
    public var storedValue: JSONValue {
        switch self {
        case .afterInactivity(let seconds): .int(seconds)
        case .at(let date): .string(ISODateTime.format(date))
        case .atBrowserClose: .int(0)
        }
    }
}
