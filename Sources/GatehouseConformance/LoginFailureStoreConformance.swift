public import Gatehouse
import Foundation
public import Testing

/// The cases every ``LoginFailureStore`` implementation must pass: memory, SQLite and PostgreSQL run
/// the same list.
///
/// ```swift
/// @Test(arguments: LoginFailureStoreConformance.cases)
/// func conformance(_ check: LoginFailureStoreConformance.Case) async throws {
///     try await check.run(on: MemoryLoginFailureStore())
/// }
/// ```
public enum LoginFailureStoreConformance {
    /// One named check, run on a fresh, empty store.
    public struct Case: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the case checks.
        public let name: String
        let body: @Sendable (any LoginFailureStore) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any LoginFailureStore) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the case on `store`, which must be empty.
        ///
        /// ```swift
        /// try await check.run(on: SQLLoginFailureStore(provider: provider))
        /// ```
        public func run(on store: any LoginFailureStore) async throws {
            try await body(store)
        }

        /// The case's name.
        public var description: String { name }
        /// The case's name, as Swift Testing shows it.
        public var testDescription: String { name }
    }

    /// A whole second, as every store keeps it (SQLite's text keeps microseconds, memory everything).
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    static func record(_ store: any LoginFailureStore, _ username: String, _ address: String, at seconds: Double) async throws {
        try await store.recordFailure(username: username, address: address, at: at(seconds), pruningBefore: .distantPast)
    }

    /// Every case.
    public static let cases: [Case] = [
        Case("failures count per username and address, per address and per username") { store in
            try await record(store, "alice", "203.0.113.9", at: 0)
            try await record(store, "alice", "203.0.113.9", at: 1)
            try await record(store, "alice", "198.51.100.20", at: 2)
            try await record(store, "bob", "203.0.113.9", at: 3)
            let since = at(-60)
            #expect(try await store.failures(for: .usernameAndAddress(username: "alice", address: "203.0.113.9"), since: since, nthNewest: 1).count == 2)
            #expect(try await store.failures(for: .address("203.0.113.9"), since: since, nthNewest: 1).count == 3)
            #expect(try await store.failures(for: .username("alice"), since: since, nthNewest: 1).count == 3)
            #expect(try await store.failures(for: .username("carol"), since: since, nthNewest: 1) == LoginFailureWindow(count: 0, nthNewest: nil))
        },
        Case("keys match exactly: case, spaces and prefixes are other keys") { store in
            try await record(store, "alice", "203.0.113.9", at: 0)
            for other in ["Alice", "alice ", "alic", "alice2"] {
                #expect(try await store.failures(for: .username(other), since: at(-60), nthNewest: 1).count == 0, "\(other)")
            }
            #expect(try await store.failures(for: .address("203.0.113.90"), since: at(-60), nthNewest: 1).count == 0)
        },
        Case("only failures at or after the time asked for count") { store in
            for second in [0.0, 10, 20, 30] { try await record(store, "alice", "a", at: second) }
            #expect(try await store.failures(for: .username("alice"), since: at(10), nthNewest: 1).count == 3)
            #expect(try await store.failures(for: .username("alice"), since: at(10.5), nthNewest: 1).count == 2)
            #expect(try await store.failures(for: .username("alice"), since: at(31), nthNewest: 1).count == 0)
        },
        Case("the n-th newest failure is found, and nil when there are fewer") { store in
            for second in [5.0, 1, 3, 2, 4] { try await record(store, "alice", "a", at: second) }
            let key = LoginFailureKey.usernameAndAddress(username: "alice", address: "a")
            #expect(try await store.failures(for: key, since: at(0), nthNewest: 1).nthNewest == at(5))
            #expect(try await store.failures(for: key, since: at(0), nthNewest: 3).nthNewest == at(3))
            #expect(try await store.failures(for: key, since: at(0), nthNewest: 5).nthNewest == at(1))
            #expect(try await store.failures(for: key, since: at(0), nthNewest: 6) == LoginFailureWindow(count: 5, nthNewest: nil))
            #expect(try await store.failures(for: key, since: at(2.5), nthNewest: 3) == LoginFailureWindow(count: 3, nthNewest: at(3)))
            #expect(try await store.failures(for: key, since: at(0), nthNewest: 0).nthNewest == nil)
        },
        Case("fractions of a second survive the store") { store in
            try await record(store, "alice", "a", at: 0.25)
            try await record(store, "alice", "a", at: 0.5)
            let window = try await store.failures(for: .username("alice"), since: at(0.3), nthNewest: 1)
            #expect(window.count == 1)
            #expect(abs((window.nthNewest ?? .distantPast).timeIntervalSince(at(0.5))) < 0.000_01)
        },
        Case("recording prunes failures older than the cutoff, at most a batch at a time") { store in
            for index in 0..<(LoginFailureStoreLimits.pruneBatch + 5) {
                try await record(store, "old\(index % 3)", "a", at: Double(index) / 1000)
            }
            try await store.recordFailure(username: "new", address: "b", at: at(1000), pruningBefore: at(500))
            #expect(try await store.failures(for: .address("a"), since: .distantPast, nthNewest: 1).count == 5)
            try await store.recordFailure(username: "new", address: "b", at: at(1001), pruningBefore: at(500))
            #expect(try await store.failures(for: .address("a"), since: .distantPast, nthNewest: 1).count == 0)
            #expect(try await store.failures(for: .username("new"), since: .distantPast, nthNewest: 1).count == 2)
        },
        Case("groups list each key with its count and newest failure, most failures first") { store in
            try await record(store, "alice", "a", at: 0)
            try await record(store, "alice", "a", at: 1)
            try await record(store, "alice", "b", at: 2)
            try await record(store, "bob", "b", at: 3)
            try await record(store, "carol", "c", at: -100)
            let since = at(-10)
            #expect(try await store.failureGroups(.usernameAndAddress, since: since) == [
                LoginFailureGroup(key: .usernameAndAddress(username: "alice", address: "a"), count: 2, newest: at(1)),
                LoginFailureGroup(key: .usernameAndAddress(username: "alice", address: "b"), count: 1, newest: at(2)),
                LoginFailureGroup(key: .usernameAndAddress(username: "bob", address: "b"), count: 1, newest: at(3)),
            ])
            #expect(try await store.failureGroups(.address, since: since) == [
                LoginFailureGroup(key: .address("a"), count: 2, newest: at(1)),
                LoginFailureGroup(key: .address("b"), count: 2, newest: at(3)),
            ])
            #expect(try await store.failureGroups(.username, since: since) == [
                LoginFailureGroup(key: .username("alice"), count: 3, newest: at(2)),
                LoginFailureGroup(key: .username("bob"), count: 1, newest: at(3)),
            ])
            #expect(try await store.failureGroups(.username, since: at(100)).isEmpty)
        },
        Case("deleting by username, by address, by both, or everything") { store in
            for (username, address) in [("alice", "a"), ("alice", "b"), ("bob", "a"), ("bob", "b"), ("carol", "c")] {
                try await record(store, username, address, at: 0)
            }
            #expect(try await store.deleteFailures(username: "alice", address: "a") == 1)
            #expect(try await store.deleteFailures(username: "bob", address: nil) == 2)
            #expect(try await store.deleteFailures(username: nil, address: "b") == 1)
            #expect(try await store.deleteFailures(username: "nobody", address: nil) == 0)
            #expect(try await store.failureGroups(.username, since: .distantPast).map(\.key) == [.username("carol")])
            #expect(try await store.deleteFailures(username: nil, address: nil) == 1)
            #expect(try await store.failureGroups(.address, since: .distantPast).isEmpty)
        },
        Case("hostile text is stored and matched as it is") { store in
            let username = "o'brien\"; DROP TABLE x; --\u{FFFD}ü"
            try await record(store, username, "::1/64", at: 0)
            #expect(try await store.failures(for: .usernameAndAddress(username: username, address: "::1/64"), since: at(-1), nthNewest: 1).count == 1)
            #expect(try await store.failureGroups(.username, since: at(-1)).first?.key == .username(username))
        },
    ]
}
