import ArgumentParser
import Foundation
import Gatehouse
import GatehouseSQL

/// `gatehouse throttle ...`: the failed logins counted in the database, and lifting locks.
struct ThrottleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "throttle",
        abstract: "Show failed-login counts and locks, or reset them.",
        discussion: """
            Failed logins are counted per username and client address, per address and per username
            (see docs/security.md). Usernames are matched in their normalized form (NFKC, trimmed,
            lowercase), as the server counts them.

            Example:
              gatehouse throttle list
              gatehouse throttle reset --user alice --address 203.0.113.9
            """,
        subcommands: [List.self, Reset.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the keys with failed logins within the cool-off, and when each lock lifts.",
            discussion: """
                Give the same limits as 'serve' (options or environment variables) to see its locks.

                Example:
                  gatehouse throttle list
                """
        )
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var limits: ThrottleOptions

        func run() async throws {
            let configuration = try limits.resolved()
            try await database.run { db in
                let throttle = LoginThrottle(configuration: configuration, store: SQLLoginFailureStore(provider: db.provider))
                let entries = try await throttle.report()
                guard !entries.isEmpty else {
                    print("No failed logins within the cool-off (\(Int(configuration.window)) s).")
                    return
                }
                let format = ISO8601DateFormatter()
                let rows = entries.map { entry in
                    [
                        entry.group.key.kind.rawValue,
                        entry.group.key.username.map(LoginFailureKey.scrubbed) ?? "-",
                        entry.group.key.address.map { $0.isEmpty ? "(unknown)" : LoginFailureKey.scrubbed($0) } ?? "-",
                        String(entry.group.count),
                        entry.lock.map { format.string(from: $0.until) } ?? "-",
                    ]
                }
                print(Terminal.table(["kind", "username", "address", "failures", "locked until"], rows))
            }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete failed logins: of a user, from an address, both, or (with neither) all.",
            discussion: """
                Example:
                  gatehouse throttle reset --user alice
                  gatehouse throttle reset --address 203.0.113.9
                  gatehouse throttle reset
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this username's failures.") var user: String?
        @Option(help: "Only the failures from this client address.") var address: String?

        func run() async throws {
            try await database.run { db in
                let removed = try await SQLLoginFailureStore(provider: db.provider).deleteFailures(
                    username: user.map(LoginFailureKey.normalizedUsername), address: address.map(LoginFailureKey.normalizedAddress)
                )
                print("Deleted \(removed) failed login\(removed == 1 ? "" : "s").")
            }
        }
    }
}
