public import Gatehouse
import Foundation
public import Testing

/// The cases every ``UserSessionStore`` implementation must pass: memory, SQLite and PostgreSQL run
/// the same list.
///
/// ```swift
/// @Test(arguments: UserSessionStoreConformance.cases)
/// func conformance(_ check: UserSessionStoreConformance.Case) async throws {
///     try await check.run(on: MemoryUserSessionStore())
/// }
/// ```
public enum UserSessionStoreConformance {
    /// One named check, run on a fresh, empty store.
    public struct Case: Sendable, CustomStringConvertible, CustomTestStringConvertible {
        /// What the case checks.
        public let name: String
        let body: @Sendable (any UserSessionStore) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any UserSessionStore) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the case on `store`, which must be empty.
        ///
        /// ```swift
        /// let check = UserSessionStoreConformance.cases[0]
        /// try await check.run(on: SQLUserSessionStore(provider: provider))
        /// ```
        public func run(on store: any UserSessionStore) async throws {
            try await body(store)
        }

        /// The case's name.
        public var description: String { name }
        /// The case's name, as Swift Testing shows it.
        public var testDescription: String { name }
    }

    /// A whole second, as every store keeps it.
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    static func row(_ key: String, user: Int64, created: Double = 0, seen: Double, address: String = "203.0.113.9", agent: String = "Firefox")
        -> UserSessionRecord
    {
        UserSessionRecord(sessionKey: key, userID: user, createdAt: at(created), lastSeenAt: at(seen), clientAddress: address, userAgent: agent)
    }

    /// Every case.
    public static let cases: [Case] = [
        Case("a recorded session is listed under its user with every field") { store in
            let record = row("k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 7, created: 1, seen: 2, address: "2001:db8::1", agent: "Mozilla/5.0 (X11) — Ünïcode 🦊")
            try await store.record(record)
            #expect(try await store.records(userID: 7) == [record])
            #expect(try await store.records(userID: 8).isEmpty)
        },
        Case("recording a known session again updates it but keeps its creation time") { store in
            try await store.record(row("k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 7, created: 1, seen: 2))
            try await store.record(row("k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 7, created: 50, seen: 60, address: "198.51.100.20", agent: "Safari"))
            #expect(try await store.records(userID: 7) == [row("k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 7, created: 1, seen: 60, address: "198.51.100.20", agent: "Safari")])
        },
        Case("a user's sessions come most recently seen first, and only theirs") { store in
            try await store.record(row("k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 7, seen: 10))
            try await store.record(row("k2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 7, seen: 30))
            try await store.record(row("k3aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 8, seen: 40))
            try await store.record(row("k4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 7, seen: 20))
            #expect(try await store.records(userID: 7).map(\.sessionKey) == [
                "k2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "k4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            ])
            #expect(try await store.records(userID: 8).map(\.sessionKey) == ["k3aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])
        },
        Case("deleting a row says whether there was one") { store in
            try await store.record(row("k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 7, seen: 10))
            try await store.record(row("k2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", user: 7, seen: 20))
            #expect(try await store.delete(sessionKey: "k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
            #expect(try await !store.delete(sessionKey: "k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
            #expect(try await !store.delete(sessionKey: "' OR 1=1 --"))
            #expect(try await store.records(userID: 7).map(\.sessionKey) == ["k2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])
        },
        Case("every row can be walked in pages in key order") { store in
            let keys = (0..<7).map { "k\($0)aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }
            for (index, key) in keys.reversed().enumerated() { try await store.record(row(key, user: Int64(index % 2), seen: Double(index))) }
            var walked: [String] = []
            var after: String?
            while true {
                let page = try await store.records(after: after, limit: 3)
                #expect(page.count <= 3)
                walked += page.map(\.sessionKey)
                guard let last = page.last else { break }
                after = last.sessionKey
            }
            #expect(walked == keys)
            #expect(try await store.records(after: nil, limit: 0).isEmpty)
        },
    ]
}
