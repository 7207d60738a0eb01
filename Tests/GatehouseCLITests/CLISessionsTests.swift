import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehouseSQL
import GatehouseTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// `gatehouse sessions list` and `gatehouse sessions end`, another process, on the sessions a running
/// app recorded in the same database: an ended session's next request on the app is anonymous.
@Suite("gatehouse sessions")
struct CLISessionsTests {
    static let password = "correct horse battery staple"

    @Test(arguments: CLIDatabase.enabled)
    func listAndEndSessionsOfARunningApp(_ database: CLIDatabase) async throws {
        try await database.with { cli, open in
            #expect(try await cli.run(["migrate"]).status == 0)
            #expect(try await cli.run(["users", "create", "alice", "--stdin"], stdin: Self.password + "\n").status == 0)
            #expect(try await cli.run(["users", "create", "bob", "--stdin"], stdin: Self.password + "\n").status == 0)
            let empty = try await cli.run(["sessions", "list", "alice"])
            #expect(empty.status == 0 && empty.stdout == "alice has no sessions.\n", "\(empty.stderr)")

            let provider = try await open()
            var failure: (any Error)?
            do { try await Self.journey(cli: cli, provider: provider) } catch { failure = error }
            try? await provider.shutdown()
            if let failure { throw failure }
        }
    }

    static func journey(cli: CLIRunner, provider: any SQLDatabaseProvider) async throws {
        let keys = try SigningKeys(secretKey: "cli-sessions-test-secret-0123456789abcdefgh")
        let sessionStore = SQLSessionStore(provider: provider, keys: keys)
        let builder = GatehouseRouterBuilder(users: SQLAuthStore(provider: provider), sessions: sessionStore, keys: keys)
        try await Application(router: builder.makeRouter(logRequests: false)).test(.router) { client in
            let laptop = Browser(client)
            let phone = Browser(client)
            let bob = Browser(client)
            #expect(try await laptop.logIn(username: "alice", password: password).status == .found)
            #expect(try await phone.logIn(username: "alice", password: password).status == .found)
            #expect(try await bob.logIn(username: "bob", password: password).status == .found)
            let laptopKey = try #require(laptop.cookie("sessionid"))
            let phoneKey = try #require(phone.cookie("sessionid"))
            let phoneID = UserSessionRecord.id(ofKey: phoneKey)

            let list = try await cli.run(["sessions", "list", "alice"])
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("id") == true)
            #expect(lines.count == 3, "\(list.stdout)")
            #expect(list.stdout.contains(String(phoneID.prefix(12))))
            #expect(list.stdout.contains(String(UserSessionRecord.id(ofKey: laptopKey).prefix(12))))
            #expect(!list.stdout.contains(laptopKey) && !list.stdout.contains(phoneKey), "no session key in the output")

            // Refusals: unknown user, neither or both of an id and --all, not an id, nobody's id, bob's id.
            #expect(try await cli.run(["sessions", "list", "nobody"]).status != 0)
            #expect(try await cli.run(["sessions", "end", "alice"]).status != 0)
            #expect(try await cli.run(["sessions", "end", "alice", "abc", "--all"]).status != 0)
            let notAnID = try await cli.run(["sessions", "end", "alice", "zz-top"])
            #expect(notAnID.status != 0 && notAnID.stderr.contains("not a session id"), "\(notAnID.stderr)")
            let bobs = try await cli.run(["sessions", "end", "alice", UserSessionRecord.id(ofKey: try #require(bob.cookie("sessionid")))])
            #expect(bobs.status != 0 && bobs.stderr.contains("alice has no session whose id starts with"), "\(bobs.stderr)")
            #expect(try await bob.get("/accounts/profile/").status == .ok)

            // An ambiguous prefix ends nothing: more sessions of alice, until two ids share a first character.
            let userSessions = try #require(builder.userSessions)
            let aliceID = try #require(try await Self.aliceID(provider))
            var ids = [phoneID, UserSessionRecord.id(ofKey: laptopKey)]
            while Set(ids.map { $0.prefix(1) }).count == ids.count {
                let key = try await sessionStore.create(SessionRecord(data: ["_auth_user_id": "1"], expireDate: Date().addingTimeInterval(3600)))
                try await userSessions.sessionUsed(key: key, userID: aliceID, createdAt: nil, clientAddress: nil, userAgent: nil)
                ids.append(UserSessionRecord.id(ofKey: key))
            }
            let shared = try #require(Dictionary(grouping: ids, by: { String($0.prefix(1)) }).first { $0.value.count > 1 }?.key)
            let ambiguous = try await cli.run(["sessions", "end", "alice", shared])
            #expect(ambiguous.status != 0 && ambiguous.stderr.contains("give more characters"), "\(ambiguous.stderr)")
            #expect(try await phone.get("/accounts/profile/").status == .ok)

            // The phone's session, by the prefix the list shows: its next request is anonymous.
            let ended = try await cli.run(["sessions", "end", "alice", String(phoneID.prefix(12)).uppercased()])
            #expect(ended.status == 0 && ended.stdout == "Ended session \(phoneID.prefix(12)) of alice.\n", "\(ended.stderr)")
            #expect(try await phone.get("/accounts/profile/").status == .found)
            #expect(try await laptop.get("/accounts/profile/").status == .ok)

            // --all ends the rest, the laptop included; bob's stays.
            let all = try await cli.run(["sessions", "end", "alice", "--all"])
            // (When the first two ids already shared a first character no session was added: one is left.)
            let left = ids.count - 1
            #expect(all.status == 0 && all.stdout == "Ended \(left) session\(left == 1 ? "" : "s") of alice.\n", "\(all.stdout) \(all.stderr)")
            #expect(try await laptop.get("/accounts/profile/").status == .found)
            #expect(try await bob.get("/accounts/profile/").status == .ok)
            #expect(try await cli.run(["sessions", "list", "alice"]).stdout == "alice has no sessions.\n")

            // clearsessions removes the records of sessions that ended elsewhere (bob logs out by deleting the row).
            _ = try await sessionStore.delete(key: try #require(bob.cookie("sessionid")))
            let cleared = try await cli.run(["clearsessions"])
            #expect(cleared.status == 0 && cleared.stdout.contains("Deleted 1 record of ended sessions."), "\(cleared.stdout) \(cleared.stderr)")
        }
    }

    static func aliceID(_ provider: any SQLDatabaseProvider) async throws -> Int64? {
        try await SQLAuthStore(provider: provider).user(username: "alice")?.id
    }
}

/// The real `gatehouse serve` binary and the CLI, two processes on one SQLite file: sessions ended by
/// `gatehouse sessions end` are refused by the running server on their next request.
@Suite("gatehouse sessions and a running server")
struct CLISessionsServeTests {
    @Test func endingFromTheCLIReachesTheRunningServer() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        #expect(try await cli.run(["migrate"]).status == 0)
        #expect(try await cli.run(["users", "create", "alice", "--stdin"], stdin: CLISessionsTests.password + "\n").status == 0)
        let server = try await ServeProcess.start(cli, [])
        defer { server.stop() }
        let laptop = Curl(jar: cli.workingDirectory.appending(path: "laptop.jar"))
        let phone = Curl(jar: cli.workingDirectory.appending(path: "phone.jar"))
        for browser in [laptop, phone] {
            #expect(try await browser.logIn(server.base, username: "alice", password: CLISessionsTests.password).status == 302)
            #expect(try await browser(["\(server.base)/accounts/profile/"]).status == 200)
        }
        let laptopKey = try #require(laptop.cookie("sessionid"))
        let phoneKey = try #require(phone.cookie("sessionid"))
        let phoneID = UserSessionRecord.id(ofKey: phoneKey)
        let list = try await cli.run(["sessions", "list", "alice"])
        #expect(list.stdout.split(separator: "\n").count == 3 && list.stdout.contains(String(phoneID.prefix(12))), "\(list.stdout) \(list.stderr)")

        #expect(try await cli.run(["sessions", "end", "alice", String(phoneID.prefix(10))]).status == 0)
        #expect(try await phone(["\(server.base)/accounts/profile/"]).status == 302)
        #expect(try await laptop(["\(server.base)/accounts/profile/"]).status == 200)
        #expect(try await cli.run(["sessions", "end", "alice", "--all"]).stdout == "Ended 1 session of alice.\n")
        #expect(try await laptop(["\(server.base)/accounts/profile/"]).status == 302)
        #expect(!server.log.text.contains(laptopKey) && !server.log.text.contains(phoneKey), "no session key in the server's log")
    }
}
