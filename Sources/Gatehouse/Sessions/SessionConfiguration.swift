/// How sessions behave: Django's session settings with Django's defaults, plus two limits Gatehouse
/// adds and turns on by default.
///
/// **Django's settings.** ``cookieName`` (`SESSION_COOKIE_NAME`, `sessionid`), ``cookieAge``
/// (`SESSION_COOKIE_AGE`, two weeks), ``expireAtBrowserClose`` (`SESSION_EXPIRE_AT_BROWSER_CLOSE`,
/// off), ``saveEveryRequest`` (`SESSION_SAVE_EVERY_REQUEST`, off). In Django the cookie age is
/// counted from the last *save*, so a session that is saved now and then can live forever.
///
/// **Gatehouse's limits.**
/// - ``absoluteLifetime`` (default 14 days, the same as the cookie age): a session ends this long after
///   it was created (or its key cycled, which happens at login) however active it is, so a stolen
///   cookie stops working within two weeks even if the thief keeps it busy. It keeps Django's two-week
///   promise for users who stay active, instead of silently turning it into "forever".
/// - ``idleTimeout`` (default 24 hours): a session also ends when no request used it for this long. A
///   person who uses the site daily stays logged in up to the absolute lifetime; a cookie left on a
///   shared or lost machine overnight, or copied by malware and replayed later, dies within a day.
///   Shorter timeouts (15–30 minutes) suit banking-style applications; set `nil` for Django's
///   behaviour.
///
/// Both are kept in the session data as `_gatehouse_created` and `_gatehouse_last_activity` (integer
/// Unix seconds), which Django loads and saves like any other key and otherwise ignores, and both cap
/// the stored expiry date (`expire_date`), so Django itself refuses a session Gatehouse considers
/// expired. Recording activity needs a write: a request that only reads the session rewrites it at most
/// once per ``activityResolution`` (60 seconds by default).
///
/// ```swift
/// var configuration = SessionConfiguration()
/// configuration.idleTimeout = 30 * 60
/// let sessions = SessionManager(store: store, configuration: configuration)
/// ```
public struct SessionConfiguration: Sendable, Hashable {
    /// The cookie's name: `sessionid` (`SESSION_COOKIE_NAME`).
    ///
    /// ```swift
    /// request.cookieValue(configuration.cookieName)
    /// ```
    public var cookieName: String

    /// Seconds a session lasts after it was last saved unless it sets its own ``SessionExpiry``:
    /// 1,209,600, two weeks (`SESSION_COOKIE_AGE`). Also the maximum age of signed-cookie sessions.
    ///
    /// ```swift
    /// configuration.cookieAge = 7 * 24 * 3600
    /// ```
    public var cookieAge: Int

    /// Whether the cookie is a browser-session cookie (no `Max-Age`) unless the session sets its own
    /// expiry: `false` (`SESSION_EXPIRE_AT_BROWSER_CLOSE`).
    ///
    /// ```swift
    /// configuration.expireAtBrowserClose = true
    /// ```
    public var expireAtBrowserClose: Bool

    /// Whether every request that has a session saves it and refreshes the cookie, not only requests
    /// that changed it: `false` (`SESSION_SAVE_EVERY_REQUEST`).
    ///
    /// ```swift
    /// configuration.saveEveryRequest = true
    /// ```
    public var saveEveryRequest: Bool

    /// Seconds without a request after which a session ends; 86,400 (24 hours) by default, `nil` for
    /// no idle limit.
    ///
    /// ```swift
    /// configuration.idleTimeout = 30 * 60
    /// ```
    public var idleTimeout: Int?

    /// Seconds after creation (or the last key cycle) after which a session ends whatever its activity;
    /// 1,209,600 (14 days) by default, `nil` for no limit.
    ///
    /// ```swift
    /// configuration.absoluteLifetime = 8 * 3600   // a working day
    /// ```
    public var absoluteLifetime: Int?

    /// The most seconds the recorded last activity may lag behind: a request that does not change the
    /// session rewrites it only when the recorded activity is at least this old. 60 by default.
    ///
    /// ```swift
    /// configuration.activityResolution = 300
    /// ```
    public var activityResolution: Int

    /// Limits for decoding signed session data.
    ///
    /// ```swift
    /// configuration.signing.maximumDecodedBytes = 64 * 1024
    /// ```
    public var signing: SigningConfiguration

    /// Creates a configuration; every default is described on its property.
    ///
    /// ```swift
    /// let configuration = SessionConfiguration(idleTimeout: 1800)
    /// ```
    public init(
        cookieName: String = "sessionid",
        cookieAge: Int = 1_209_600,
        expireAtBrowserClose: Bool = false,
        saveEveryRequest: Bool = false,
        idleTimeout: Int? = 86_400,
        absoluteLifetime: Int? = 1_209_600,
        activityResolution: Int = 60,
        signing: SigningConfiguration = SigningConfiguration()
    ) {
        self.cookieName = cookieName
        self.cookieAge = cookieAge
        self.expireAtBrowserClose = expireAtBrowserClose
        self.saveEveryRequest = saveEveryRequest
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
        self.activityResolution = activityResolution
        self.signing = signing
    }

    /// Django's own behaviour: no idle timeout and no absolute lifetime.
    ///
    /// ```swift
    /// let sessions = SessionManager(store: store, configuration: .django)
    /// ```
    public static let django = SessionConfiguration(idleTimeout: nil, absoluteLifetime: nil)
}
