import Gatehouse
import NIOConcurrencyHelpers

/// One request's CSRF secret, shared by the middleware and the handlers it calls.
///
/// Handlers that render a form ask for ``token()`` (a fresh masked token each time, as Django's
/// `get_token`); a login calls ``rotate()``. The middleware then writes the `csrftoken` cookie when
/// the secret is new or was used.
///
/// ```swift
/// let token = try context.gatehouse.csrf?.token()
/// ```
public final class CSRFState: Sendable {
    private struct Storage {
        /// Made on first use: a request that never asks for a token costs no random bytes and sets
        /// no cookie (Django's `get_token` is what marks the cookie for update).
        var secret: String?
        var needsCookie: Bool

        mutating func ensureSecret() -> String {
            if let secret { return secret }
            let made = CSRFToken.makeSecret()
            secret = made
            return made
        }
    }

    private let storage: NIOLockedValueBox<Storage>

    init(secret: String?) {
        storage = NIOLockedValueBox(Storage(secret: secret, needsCookie: false))
    }

    /// The unmasked secret (what the cookie holds).
    public var secret: String { storage.withLockedValue { $0.ensureSecret() } }

    /// Whether the cookie must be (re)written on the response.
    public var needsCookie: Bool { storage.withLockedValue { $0.needsCookie } }

    /// A masked token for a form field or header; marks the cookie to be sent.
    public func token() -> String {
        storage.withLockedValue { state in
            state.needsCookie = true
            let secret = state.ensureSecret()
            return (try? CSRFToken.mask(secret)) ?? secret
        }
    }

    /// Replaces the secret, as Django's `rotate_token` at login.
    public func rotate() {
        storage.withLockedValue { state in
            state.secret = CSRFToken.rotate(replacing: state.secret)
            state.needsCookie = true
        }
    }
}
