/// Paths and behaviour of the account pages, with Django's defaults.
///
/// ```swift
/// var configuration = LoginConfiguration()
/// configuration.logoutRedirectURL = "/"
/// ```
public struct LoginConfiguration: Sendable, Hashable {
    /// The login page (`LOGIN_URL`).
    public var loginPath: String
    /// The logout endpoint (POST only).
    public var logoutPath: String
    /// The profile page.
    public var profilePath: String
    /// The password change form (Django's `password_change`).
    public var passwordChangePath: String = "/accounts/password_change/"
    /// The page after a password change (Django's `password_change_done`).
    public var passwordChangeDonePath: String = "/accounts/password_change/done/"
    /// The page listing the user's sessions, where other ones can be ended (``UserSessionsRoutes``).
    public var sessionsPath: String = "/accounts/sessions/"
    /// The form that asks for a password reset link by email (Django's `password_reset`).
    public var passwordResetPath: String = "/accounts/password_reset/"
    /// The page after asking for a reset link (Django's `password_reset_done`).
    public var passwordResetDonePath: String = "/accounts/password_reset/done/"
    /// Where reset links point: `<uidb64>/<token>/` follows it (Django's `password_reset_confirm`).
    public var passwordResetConfirmPath: String = "/accounts/reset/"
    /// The page after a new password was set through a link (Django's `password_reset_complete`).
    public var passwordResetCompletePath: String = "/accounts/reset/done/"
    /// Where a login goes when `next` is missing or unsafe (`LOGIN_REDIRECT_URL`).
    public var loginRedirectURL: String
    /// Where a logout goes; `nil` shows the "logged out" page (`LOGOUT_REDIRECT_URL`).
    public var logoutRedirectURL: String?
    /// Sends users who are already logged in straight on from the login page
    /// (`redirect_authenticated_user`).
    public var redirectAuthenticatedUser: Bool
    /// Hosts besides the request's own that `next` may point to.
    public var allowedRedirectHosts: [String]
    /// The name of the redirect field (`REDIRECT_FIELD_NAME`).
    public var redirectFieldName: String
    /// The largest login form body accepted.
    public var maximumFormBytes: Int

    /// The paths (and, for reset links, the prefix) of the account pages: a gateway answers them itself and
    /// never applies its policy to them or passes them to the application.
    ///
    /// ```swift
    /// LoginConfiguration().pagePaths   // ["/accounts/login/", "/accounts/logout/", ..., "/accounts/reset/done/"]
    /// ```
    public var pagePaths: [String] {
        [loginPath, logoutPath, profilePath, passwordChangePath, passwordChangeDonePath, sessionsPath]
            + [passwordResetPath, passwordResetDonePath, passwordResetConfirmPath, passwordResetCompletePath]
    }

    /// Creates the configuration.
    public init(
        loginPath: String = "/accounts/login/",
        logoutPath: String = "/accounts/logout/",
        profilePath: String = "/accounts/profile/",
        loginRedirectURL: String = "/accounts/profile/",
        logoutRedirectURL: String? = nil,
        redirectAuthenticatedUser: Bool = false,
        allowedRedirectHosts: [String] = [],
        redirectFieldName: String = "next",
        maximumFormBytes: Int = 65_536
    ) {
        self.loginPath = loginPath
        self.logoutPath = logoutPath
        self.profilePath = profilePath
        self.loginRedirectURL = loginRedirectURL
        self.logoutRedirectURL = logoutRedirectURL
        self.redirectAuthenticatedUser = redirectAuthenticatedUser
        self.allowedRedirectHosts = allowedRedirectHosts
        self.redirectFieldName = redirectFieldName
        self.maximumFormBytes = maximumFormBytes
    }
}
