/// Why a login could not be throttled, so was not tried.
///
/// Descriptions never contain a username, password or address.
///
/// ```swift
/// do {
///     outcome = try await throttle.authenticate(credentials, request: facts, using: authenticator)
/// } catch let error as LoginThrottleError where error == .storeUnavailable {
///     // answer 503: the failure counts cannot be read, so the login is not tried
/// }
/// ```
public struct LoginThrottleError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Base: Hashable {
        case storeUnavailable
        case cancelled
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// The failure store could not be read or written; the login was refused rather than tried
    /// without limits.
    ///
    /// ```swift
    /// if error == .storeUnavailable { status = .serviceUnavailable }
    /// ```
    public static let storeUnavailable = LoginThrottleError(.storeUnavailable)

    /// The task was cancelled while it waited for its address's turn.
    ///
    /// ```swift
    /// if error == .cancelled { return }
    /// ```
    public static let cancelled = LoginThrottleError(.cancelled)

    /// A one-line explanation without values from the request.
    public var description: String {
        switch base {
        case .storeUnavailable: "the login failure counts are unavailable"
        case .cancelled: "the login attempt was cancelled while it waited for its turn"
        }
    }
}
