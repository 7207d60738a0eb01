import ArgumentParser
import Foundation
import Gatehouse
import GatehouseSQL

/// `gatehouse clearsessions`: deletes expired session rows.
struct ClearSessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clearsessions",
        abstract: "Delete expired sessions from the database.",
        discussion: "Run it from cron; live sessions are left alone.\n\nExample:\n  gatehouse clearsessions"
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await database.run { db in
            // Expired rows are found by expire_date alone; the key only signs data, which is not read here.
            let store = SQLSessionStore(provider: db.provider, keys: try SigningKeys(secretKey: "clearsessions-reads-no-data"))
            let removed = try await store.clearExpired(now: Date())
            print("Deleted \(removed) expired session\(removed == 1 ? "" : "s").")
        }
    }
}
