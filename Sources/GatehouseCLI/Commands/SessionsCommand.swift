import ArgumentParser
import Foundation
import Gatehouse
import GatehouseSQL

/// `gatehouse sessions ...`: a user's sessions, and ending them.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List a user's sessions, or end them.",
        discussion: """
            Sessions are named by an identifier derived from the session key (the start of its
            SHA-256), never by the key itself. A session appears once Gatehouse has served a request
            with it (a login through Gatehouse, or the first request of a session Django made).
            An ended session's next request is anonymous on every server, Gatehouse's and Django's.

            Example:
              gatehouse sessions list alice
              gatehouse sessions end alice 3f9a0c
              gatehouse sessions end alice --all
            """,
        subcommands: [List.self, End.self]
    )

    /// The sessions service on the command's database: liveness is read from `django_session`'s
    /// expiry alone, so no SECRET_KEY is needed.
    static func userSessions(_ db: CommandDatabase) throws -> UserSessions {
        let sessions = SQLSessionStore(provider: db.provider, keys: try SigningKeys(secretKey: "sessions-command-reads-no-data"))
        return UserSessions(store: sessions.userSessions, sessions: sessions)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a user's live sessions, most recently seen first.",
            discussion: """
                Example:
                  gatehouse sessions list alice
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() async throws {
            try await database.run { db in
                let user = try await db.user(named: username)
                let records = try await SessionsCommand.userSessions(db).list(userID: user.id)
                guard !records.isEmpty else {
                    print("\(user.username) has no sessions.")
                    return
                }
                let format = ISO8601DateFormatter()
                let rows = records.map { record in
                    [
                        record.shortID, format.string(from: record.createdAt), format.string(from: record.lastSeenAt),
                        record.clientAddress.isEmpty ? "-" : record.clientAddress,
                        record.userAgent.isEmpty ? "-" : String(record.userAgent.prefix(60)),
                    ]
                }
                print(Terminal.table(["id", "created", "last seen", "address", "user agent"], rows))
            }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End one of a user's sessions (by the start of its id), or all of them.",
            discussion: """
                The id prefix is matched against the user's own sessions only; a prefix that matches
                more than one ends nothing.

                Example:
                  gatehouse sessions end alice 3f9a0c
                  gatehouse sessions end alice --all
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String
        @Argument(help: "The start of the session's id, as 'sessions list' shows it.") var id: String?
        @Flag(help: "End every session of the user.") var all = false

        func validate() throws {
            if all == (id != nil) {
                throw ArgumentParser.ValidationError("give either a session id prefix or --all")
            }
        }

        func run() async throws {
            try await database.run { db in
                let user = try await db.user(named: username)
                let userSessions = try SessionsCommand.userSessions(db)
                if all {
                    let ended = try await userSessions.endAll(userID: user.id, except: nil)
                    CLIAudit.record("session.ended", ["user_id": String(user.id), "username": user.username, "sessions": String(ended)])
                    print("Ended \(ended) session\(ended == 1 ? "" : "s") of \(user.username).")
                    return
                }
                let prefix = (id ?? "").lowercased()
                guard UserSessions.isIDPrefix(prefix) else {
                    throw CommandFailure("that is not a session id: give hexadecimal characters, as 'sessions list' shows them")
                }
                switch try await userSessions.end(userID: user.id, idPrefix: prefix, currentKey: nil) {
                case .ended(let record):
                    CLIAudit.record(
                        "session.ended", ["user_id": String(user.id), "username": user.username, "sessions": "1", "session": record.shortID]
                    )
                    print("Ended session \(record.shortID) of \(user.username).")
                case .notFound, .current:
                    throw CommandFailure("\(user.username) has no session whose id starts with '\(prefix)'")
                case .ambiguous(let count):
                    throw CommandFailure("\(count) sessions of \(user.username) have ids starting with '\(prefix)'; give more characters")
                }
            }
        }
    }
}
