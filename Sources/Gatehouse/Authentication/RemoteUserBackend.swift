import Foundation

/// Trusts a username asserted by a front end (a single-sign-on proxy): Django's `RemoteUserBackend`.
///
/// The HTTP layer fills ``Credentials/remoteUser`` from the configured header only for requests that
/// arrive through a configured trusted proxy; this backend never reads headers itself. Unknown
/// usernames get a new account with an unusable password when ``createsUnknownUsers`` is on, as in
/// Django.
///
/// ```swift
/// let backend = RemoteUserBackend(store: store, createsUnknownUsers: false)
/// ```
public struct RemoteUserBackend: AuthenticationBackend {
    /// Django's dotted path.
    public static let djangoIdentifier = "django.contrib.auth.backends.RemoteUserBackend"

    /// The name recorded in sessions.
    public let identifier: String
    /// Where users live.
    public let store: any UserStore
    /// Whether a username not yet in the store gets a new (unusable-password) account.
    public let createsUnknownUsers: Bool
    /// Stamps new accounts.
    public let clock: any WallClock

    /// Creates the backend.
    public init(
        store: any UserStore,
        createsUnknownUsers: Bool = true,
        identifier: String = RemoteUserBackend.djangoIdentifier,
        clock: any WallClock = SystemWallClock()
    ) {
        self.store = store
        self.createsUnknownUsers = createsUnknownUsers
        self.identifier = identifier
        self.clock = clock
    }

    /// The user named by ``Credentials/remoteUser``, created when allowed; `nil` when absent, invalid,
    /// unknown (and not created) or inactive.
    public func authenticate(_ credentials: Credentials, request: RequestFacts) async throws -> User? {
        guard let remote = credentials.remoteUser, !remote.isEmpty else { return nil }
        let username = Username.normalize(remote)
        guard Username.isValid(username) else { return nil }
        var user = try await store.user(username: username)
        if user == nil, createsUnknownUsers {
            do {
                user = try await store.insertUser(
                    NewUser(username: username, password: PasswordHashers.makeUnusablePassword(), dateJoined: clock.now())
                )
            } catch let error as StoreError where error.isDuplicate {
                user = try await store.user(username: username)  // created concurrently
            }
        }
        guard let user, user.isActive else { return nil }
        return user
    }

    /// The user with `id` when active.
    public func user(id: Int64) async throws -> User? {
        guard let user = try await store.user(id: id), user.isActive else { return nil }
        return user
    }
}
