public import Gatehouse
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
        var secret: String
        var needsCookie: Bool
    }

    private let storage: NIOLockedValueBox<Storage>

    init(secret: String?, isNew: Bool) {
        storage = NIOLockedValueBox(Storage(secret: secret ?? CSRFToken.makeSecret(), needsCookie: isNew))
    }

    /// The unmasked secret (what the cookie holds).
    public var secret: String { storage.withLockedValue { $0.secret } }

    /// Whether the cookie must be (re)written on the response.
    public var needsCookie: Bool { storage.withLockedValue { $0.needsCookie } }

    /// A masked token for a form field or header; marks the cookie to be sent.
    public func token() -> String {
        storage.withLockedValue { state in
            state.needsCookie = true
            return (try? CSRFToken.mask(state.secret)) ?? state.secret
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
