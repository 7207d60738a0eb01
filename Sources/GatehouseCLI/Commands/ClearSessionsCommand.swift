import ArgumentParser
import Foundation
import Gatehouse
import GatehouseSQL

/// `gatehouse clearsessions`: deletes expired session rows.
struct ClearSessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clearsessions",
        abstract: "Delete expired sessions from the database.",
        discussion: "Run it from cron; live sessions are left alone. Also deletes the records of ended sessions that 'gatehouse sessions' and the sessions page list.\n\nExample:\n  gatehouse clearsessions"
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await database.run { db in
            // Expired rows are found by expire_date alone; the key only signs data, which is not read here.
            let store = SQLSessionStore(provider: db.provider, keys: try SigningKeys(secretKey: "clearsessions-reads-no-data"))
            let removed = try await store.clearExpired(now: Date())
            print("Deleted \(removed) expired session\(removed == 1 ? "" : "s").")
            // Then the index of sessions by user: rows whose session just went, or went earlier.
            let stale = try await UserSessions(store: store.userSessions, sessions: store).clearEnded()
            if stale > 0 { print("Deleted \(stale) record\(stale == 1 ? "" : "s") of ended sessions.") }
        }
    }
}
