import Foundation
import Gatehouse
import GatehouseTesting
import Testing

/// Recording, listing and ending a user's sessions, on the memory stores.
@Suite("UserSessions")
struct UserSessionsTests {
    struct Setup {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let sessions = MemorySessionStore()
        let index = MemoryUserSessionStore()
        var userSessions: UserSessions { UserSessions(store: index, sessions: sessions, clock: clock) }

        /// A live session of `userID`, recorded.
        func session(of userID: Int64, in userSessions: UserSessions, agent: String = "Firefox") async throws -> String {
            let key = try await sessions.create(
                SessionRecord(data: ["_auth_user_id": .string(String(userID))], expireDate: clock.now().addingTimeInterval(3600))
            )
            try await userSessions.sessionUsed(key: key, userID: userID, createdAt: nil, clientAddress: "203.0.113.9", userAgent: agent)
            return key
        }
    }

    @Test func theIdentifierIsTheSHA256OfTheKeyAndNeverTheKey() {
        // SHA-256("abc"), FIPS 180-2's first example.
        let record = UserSessionRecord(sessionKey: "abc", userID: 1, createdAt: Date(), lastSeenAt: Date())
        #expect(record.id == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(record.shortID == "ba7816bf8f01")
        let key = SessionKey.generate()
        #expect(!UserSessionRecord.id(ofKey: key).contains(key))
    }

    @Test func aSessionIsWrittenOnFirstUseThenAtMostOncePerResolution() async throws {
        let setup = Setup()
        let userSessions = setup.userSessions
        let key = try await setup.sessions.create(SessionRecord(data: [:], expireDate: setup.clock.now().addingTimeInterval(3600)))
        #expect(try await userSessions.sessionUsed(key: key, userID: 7, createdAt: nil, clientAddress: "203.0.113.9", userAgent: "A"))
        setup.clock.advance(by: 299)
        #expect(try await !userSessions.sessionUsed(key: key, userID: 7, createdAt: nil, clientAddress: "198.51.100.1", userAgent: "B"))
        #expect(await setup.index.records(userID: 7).first?.userAgent == "A")
        setup.clock.advance(by: 1)
        #expect(try await userSessions.sessionUsed(key: key, userID: 7, createdAt: nil, clientAddress: "198.51.100.1", userAgent: "B"))
        let row = try #require(await setup.index.records(userID: 7).first)
        #expect(row.userAgent == "B" && row.clientAddress == "198.51.100.1")
        #expect(row.createdAt == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(row.lastSeenAt == setup.clock.now())
    }

    @Test func userAgentsAndAddressesLoseControlCharactersAndAreShortened() async throws {
        let setup = Setup()
        let hostile = "Evil\u{0}\r\n\u{1B}[31mAgent\u{7F}" + String(repeating: "x", count: 500)
        try await setup.userSessions.sessionUsed(key: "k1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", userID: 7, createdAt: nil, clientAddress: "1.2.3.4\n", userAgent: hostile)
        let row = try #require(await setup.index.records(userID: 7).first)
        #expect(row.userAgent.hasPrefix("Evil[31mAgentxxx"))
        #expect(row.userAgent.count == 200)
        #expect(row.clientAddress == "1.2.3.4")
    }

    @Test func listingShowsOnlyLiveSessions() async throws {
        let setup = Setup()
        let userSessions = setup.userSessions
        let live = try await setup.session(of: 7, in: userSessions)
        let gone = try await setup.session(of: 7, in: userSessions)
        _ = await setup.sessions.delete(key: gone)
        let expiring = try await setup.sessions.create(SessionRecord(data: [:], expireDate: setup.clock.now().addingTimeInterval(10)))
        try await userSessions.sessionUsed(key: expiring, userID: 7, createdAt: nil, clientAddress: nil, userAgent: nil)
        #expect(Set(try await userSessions.list(userID: 7).map(\.sessionKey)) == [live, expiring])
        setup.clock.advance(by: 10)
        #expect(try await userSessions.list(userID: 7).map(\.sessionKey) == [live])
        // clearsessions' second step: the rows of the gone and the expired session go.
        #expect(try await userSessions.clearEnded(batchSize: 1) == 2)
        #expect(await setup.index.count == 1)
    }

    @Test func endingBySomeOfTheIdentifier() async throws {
        let setup = Setup()
        let userSessions = setup.userSessions
        var mine: [String] = []
        for _ in 0..<20 { mine.append(try await setup.session(of: 7, in: userSessions)) }
        let theirs = try await setup.session(of: 8, in: userSessions)
        let target = mine[3]
        let id = UserSessionRecord.id(ofKey: target)

        // Another user's session is never found, even by its whole identifier.
        #expect(try await userSessions.end(userID: 7, idPrefix: UserSessionRecord.id(ofKey: theirs), currentKey: nil) == .notFound)
        #expect(await setup.sessions.exists(key: theirs))
        // Not hexadecimal, empty, too long: nothing.
        for bad in ["", "XYZ", "' OR 1=1 --", String(repeating: "a", count: 65), id.uppercased()] {
            #expect(try await userSessions.end(userID: 7, idPrefix: bad, currentKey: nil) == .notFound, "\(bad)")
        }
        // A one-character prefix shared by several of twenty sessions is ambiguous and ends nothing.
        let shared = try #require(Dictionary(grouping: mine.map { UserSessionRecord.id(ofKey: $0) }, by: { $0.prefix(1) }).first { $0.value.count > 1 })
        let before = await setup.sessions.count
        #expect(try await userSessions.end(userID: 7, idPrefix: String(shared.key), currentKey: nil) == .ambiguous(shared.value.count))
        #expect(await setup.sessions.count == before)
        // The current session is refused.
        #expect(try await userSessions.end(userID: 7, idPrefix: id, currentKey: target) == .current)
        // A unique prefix ends exactly that session.
        guard case .ended(let record) = try await userSessions.end(userID: 7, idPrefix: String(id.prefix(16)), currentKey: mine[0]) else {
            Issue.record("not ended")
            return
        }
        #expect(record.sessionKey == target)
        #expect(await !setup.sessions.exists(key: target))
        #expect(await setup.index.records(userID: 7).count == 19)
        #expect(try await userSessions.end(userID: 7, idPrefix: id, currentKey: nil) == .notFound)
    }

    @Test func endingAllButTheCurrentOne() async throws {
        let setup = Setup()
        let userSessions = setup.userSessions
        let current = try await setup.session(of: 7, in: userSessions)
        let others = [try await setup.session(of: 7, in: userSessions), try await setup.session(of: 7, in: userSessions)]
        let theirs = try await setup.session(of: 8, in: userSessions)
        #expect(try await userSessions.endAll(userID: 7, except: current) == 2)
        for key in others { #expect(await !setup.sessions.exists(key: key)) }
        #expect(await setup.sessions.exists(key: current))
        #expect(await setup.sessions.exists(key: theirs))
        #expect(try await userSessions.list(userID: 7).map(\.sessionKey) == [current])
        #expect(try await userSessions.endAll(userID: 7, except: nil) == 1)
        #expect(await !setup.sessions.exists(key: current))
    }
}
