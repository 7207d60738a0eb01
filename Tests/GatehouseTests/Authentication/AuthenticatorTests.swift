import Foundation
import Gatehouse
import Testing

@Suite("Authentication backends and the chain")
struct AuthenticatorTests {
    let store: any AuthStore = MemoryAuthStore()
    let counter = CountingHasher()
    static let pool = PasswordHashingPool(numberOfThreads: 2, maximumQueued: 1_000)
    var hashers: PasswordHashers {
        PasswordHashers(preferred: counter, others: [PBKDF2PasswordHasher(digest: .sha1, iterations: 1_000)], pool: Self.pool)
    }
    let facts = RequestFacts(remoteAddress: "127.0.0.1")

    func makeUser(_ name: String, password: String, active: Bool = true) async throws -> User {
        var draft = NewUser(username: name, password: try await hashers.makePassword(password), dateJoined: Date())
        draft.isActive = active
        return try await store.insertUser(draft)
    }

    @Test func theRightPasswordLogsInAndTheBackendIsRecorded() async throws {
        let alice = try await makeUser("alice", password: "s3cret-pass")
        let authenticator = Authenticator(backends: [ModelBackend(store: store, hashers: hashers)])
        let result = try #require(try await authenticator.authenticate(Credentials(username: "alice", password: "s3cret-pass"), request: facts))
        #expect(result.user.id == alice.id)
        #expect(result.backend == "django.contrib.auth.backends.ModelBackend")
        #expect(try await authenticator.user(id: alice.id, backend: result.backend)?.id == alice.id)
        #expect(try await authenticator.user(id: alice.id, backend: "some.other.Backend") == nil)
    }

    @Test func unknownUserAndWrongPasswordEachCostExactlyOneHash() async throws {
        _ = try await makeUser("alice", password: "s3cret-pass")
        let backend = ModelBackend(store: store, hashers: hashers)
        counter.reset()
        #expect(try await backend.authenticate(Credentials(username: "alice", password: "wrong"), request: facts) == nil)
        #expect(counter.hashes == 1)
        counter.reset()
        #expect(try await backend.authenticate(Credentials(username: "nobody", password: "wrong"), request: facts) == nil)
        #expect(counter.hashes == 1)
    }

    @Test func inactiveUsersAreRefusedOnlyByTheStrictBackend() async throws {
        let bob = try await makeUser("bob", password: "s3cret-pass", active: false)
        let strict = ModelBackend(store: store, hashers: hashers)
        let lenient = AllowAllUsersModelBackend(store: store, hashers: hashers)
        let credentials = Credentials(username: "bob", password: "s3cret-pass")
        #expect(try await strict.authenticate(credentials, request: facts) == nil)
        #expect(try await strict.user(id: bob.id) == nil)
        #expect(try await lenient.authenticate(credentials, request: facts)?.id == bob.id)
        #expect(lenient.identifier == "django.contrib.auth.backends.AllowAllUsersModelBackend")
    }

    @Test func anOutdatedHashIsUpgradedOnlyAfterASuccessfulLogin() async throws {
        let legacy = try await hashers.makePassword("s3cret-pass", salt: nil, algorithm: "pbkdf2_sha1")
        let carol = try await store.insertUser(NewUser(username: "carol", password: legacy, dateJoined: Date()))
        let backend = ModelBackend(store: store, hashers: hashers)
        #expect(try await backend.authenticate(Credentials(username: "carol", password: "wrong"), request: facts) == nil)
        #expect(try await store.user(id: carol.id)?.password == legacy)
        let result = try #require(try await backend.authenticate(Credentials(username: "carol", password: "s3cret-pass"), request: facts))
        #expect(result.password.hasPrefix("pbkdf2_sha256$1000$"))
        #expect(try await store.user(id: carol.id)?.password == result.password)
    }

    @Test func aDenyingBackendStopsTheChainAndFailuresAreReportedScrubbed() async throws {
        _ = try await makeUser("dave", password: "s3cret-pass")
        struct Denier: AuthenticationBackend {
            let identifier = "tests.Denier"
            func authenticate(_ credentials: Credentials, request: RequestFacts) async throws -> User? {
                throw AuthenticationDenied(reason: "locked")
            }
            func user(id: Int64) async throws -> User? { nil }
        }
        let failures = FailureLog()
        let events = AuthenticationEvents { event in
            if case .loginFailed(let credentials, _) = event { await failures.add(credentials) }
        }
        let authenticator = Authenticator(backends: [Denier(), ModelBackend(store: store, hashers: hashers)], events: events)
        #expect(try await authenticator.authenticate(Credentials(username: "dave", password: "s3cret-pass"), request: facts) == nil)
        let logged = await failures.entries
        #expect(logged == [["username": "dave", "password": "********************"]])
    }

    @Test func laterBackendsAreAskedWhenEarlierOnesDoNotKnowTheUser() async throws {
        let erin = try await makeUser("erin", password: "s3cret-pass")
        let remote = RemoteUserBackend(store: store, createsUnknownUsers: false)
        let authenticator = Authenticator(backends: [remote, ModelBackend(store: store, hashers: hashers)])
        let result = try await authenticator.authenticate(Credentials(username: "erin", password: "s3cret-pass"), request: facts)
        #expect(result?.user.id == erin.id)
        #expect(result?.backend == ModelBackend.djangoIdentifier)
    }

    @Test func theRemoteUserBackendCreatesUnknownUsersWithUnusablePasswords() async throws {
        let backend = RemoteUserBackend(store: store)
        let user = try #require(try await backend.authenticate(Credentials(remoteUser: "frank@example.com"), request: facts))
        #expect(user.username == "frank@example.com")
        #expect(!user.hasUsablePassword)
        #expect(try await backend.authenticate(Credentials(remoteUser: "frank@example.com"), request: facts)?.id == user.id)
        #expect(try await backend.authenticate(Credentials(remoteUser: "not valid!"), request: facts) == nil)
        #expect(try await backend.authenticate(Credentials(remoteUser: ""), request: facts) == nil)
        let strict = RemoteUserBackend(store: store, createsUnknownUsers: false)
        #expect(try await strict.authenticate(Credentials(remoteUser: "grace"), request: facts) == nil)
        #expect(try await store.user(username: "grace") == nil)
    }

    @Test func aBusyHashingPoolIsAnErrorNotAWrongPassword() async throws {
        _ = try await makeUser("heidi", password: "s3cret-pass")
        let pool = PasswordHashingPool(numberOfThreads: 1, maximumQueued: 0)
        await pool.shutdown()
        let backend = ModelBackend(store: store, hashers: PasswordHashers(preferred: counter, pool: pool))
        await #expect(throws: PasswordError.self) {
            try await Authenticator(backends: [backend]).authenticate(Credentials(username: "heidi", password: "s3cret-pass"), request: facts)
        }
    }

    @Test func credentialsNeverShowThePassword() {
        let credentials = Credentials(username: "alice", password: "hunter2")
        #expect(!credentials.description.contains("hunter2"))
        #expect(!"\(credentials)".contains("hunter2"))
    }
}

actor FailureLog {
    var entries: [[String: String]] = []
    func add(_ entry: [String: String]) { entries.append(entry) }
}
