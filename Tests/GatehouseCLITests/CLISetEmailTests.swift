import Foundation
import Gatehouse
import Testing

/// `gatehouse users set-email USER EMAIL`: where password reset links go.
@Suite("gatehouse users set-email")
struct CLISetEmailTests {
    @Test func setsNormalizesValidatesAndClearsTheEmail() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        #expect(try await cli.run(["users", "create", "alice", "--email", "a@example.com", "--no-password"]).status == 0)
        let before = try #require(try await CLITests.user("alice", in: cli))

        let set = try await cli.run(["users", "set-email", "alice", "Alice.New@EXAMPLE.org"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("Set the email address of 'alice' to Alice.New@example.org."))
        let after = try #require(try await CLITests.user("alice", in: cli))
        #expect(after.email == "Alice.New@example.org", "the domain is lowercased, as Django's normalize_email does")
        #expect(after.password == before.password && after.isActive == before.isActive)

        for bad in ["not-an-address", "a@b", "a b@example.com", String(repeating: "a", count: 250) + "@example.com"] {
            let refused = try await cli.run(["users", "set-email", "alice", bad])
            #expect(refused.status != 0, "\(bad)")
            #expect(refused.stderr.contains("is not a valid email address"), "\(bad): \(refused.stderr)")
        }
        #expect(try await CLITests.user("alice", in: cli)?.email == "Alice.New@example.org")

        let ghost = try await cli.run(["users", "set-email", "ghost", "g@example.com"])
        #expect(ghost.status != 0 && ghost.stderr.split(separator: "\n").count == 1)

        let cleared = try await cli.run(["users", "set-email", "alice", ""])
        #expect(cleared.status == 0 && cleared.stdout.contains("Removed the email address of 'alice'."))
        #expect(try await CLITests.user("alice", in: cli)?.email == "")
    }

    @Test func aNewEmailEndsAnOutstandingResetLink() async throws {
        let cli = try CLIRunner.sqlite()
        defer { cli.cleanUp() }
        try await cli.run(["migrate"])
        #expect(try await cli.run(["users", "create", "bob", "--email", "bob@example.com", "--no-password"]).status == 0)
        let bob = try #require(try await CLITests.user("bob", in: cli))
        let tokens = PasswordResetTokenGenerator(keys: try SigningKeys(secretKey: "cli-set-email-test-key"))
        let token = tokens.makeToken(for: bob)
        #expect(tokens.checkToken(token, for: bob))
        #expect(try await cli.run(["users", "set-email", "bob", "bob@example.org"]).status == 0)
        #expect(!tokens.checkToken(token, for: try #require(try await CLITests.user("bob", in: cli))))
    }
}
