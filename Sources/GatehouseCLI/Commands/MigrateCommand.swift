import ArgumentParser
import GatehouseSQL

/// `gatehouse migrate`: creates or updates the schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create Django's auth tables and Gatehouse's own, or bring them up to date.",
        discussion: """
            On a database that Django already migrated, Django's tables are left as they are.

            Example:
              gatehouse migrate --database sqlite:///var/lib/app/db.sqlite3
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await database.run(creating: true) { db in
            let applied = try await MigrationRunner(provider: db.provider).migrate()
            if applied.isEmpty {
                print("No migrations to apply.")
            } else {
                for name in applied { print("Applied \(name).") }
            }
        }
    }
}
