import ArgumentParser
import Gatehouse
import GatehouseSQL

/// `gatehouse permissions ...`: permissions and direct grants to users.
struct PermissionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permissions",
        abstract: "List, create, register, grant and revoke permissions, globally or on single objects; show a user's effective permissions.",
        discussion: """
            Example:
              gatehouse permissions create blog.publish_post --model post --name "Can publish post"
              gatehouse permissions grant alice blog.publish_post
              gatehouse permissions show alice
              gatehouse permissions register blog.post
              gatehouse permissions grant-object alice blog.change_post 42
            """,
        subcommands: [
            List.self, Create.self, Grant.self, Revoke.self, Show.self, Register.self, GrantObject.self, RevokeObject.self,
            Objects.self,
        ]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List permissions in Django's order.",
            discussion: "Example:\n  gatehouse permissions list --app blog"
        )
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this application's permissions.") var app: String?

        func run() async throws {
            try await database.run { db in
                let permissions = try await db.store.permissions().filter { app == nil || $0.contentType.appLabel == app }
                print(Terminal.table(["permission", "model", "name"], permissions.map { [$0.key, $0.contentType.model, $0.name] }))
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a permission, and its content type when missing.",
            discussion: """
                Example:
                  gatehouse permissions create blog.publish_post --model post --name "Can publish post"
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The permission, as app_label.codename.") var permission: String
        @Option(help: "The model (content type) it belongs to, such as post.") var model: String
        @Option(help: "The human-readable name (default: the codename).") var name: String?

        func run() async throws {
            let parsed = try PermissionName(permission)
            let label = name ?? parsed.codename
            guard parsed.codename.count <= Permission.maximumCodenameLength, label.count <= Permission.maximumNameLength,
                !model.isEmpty, model.count <= 100, parsed.appLabel.count <= 100
            else {
                throw CommandFailure("codename, model or name is too long (codename 100, name 255, app label and model 100)")
            }
            try await database.run { db in
                let contentType: ContentType
                if let existing = try await db.store.contentType(appLabel: parsed.appLabel, model: model) {
                    contentType = existing
                } else {
                    contentType = try await db.store.insertContentType(appLabel: parsed.appLabel, model: model)
                }
                let created = try await db.store.insertPermission(name: label, codename: parsed.codename, contentTypeID: contentType.id)
                print("Created permission \(created.key) (\(created.name)).")
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grant a permission to a user directly.",
            discussion: "Example:\n  gatehouse permissions grant alice blog.change_post"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String
        @Argument(help: "The permission, as app_label.codename.") var permission: String

        func run() async throws {
            try await database.run { db in
                let user = try await db.user(named: username)
                let permission = try await db.permission(named: permission)
                try await db.store.grant(permission.id, toUser: user.id)
                print("Granted \(permission.key) to '\(user.username)'.")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a permission granted to a user directly.",
            discussion: "Example:\n  gatehouse permissions revoke alice blog.change_post"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String
        @Argument(help: "The permission, as app_label.codename.") var permission: String

        func run() async throws {
            try await database.run { db in
                let user = try await db.user(named: username)
                let permission = try await db.permission(named: permission)
                if try await db.store.revoke(permission.id, fromUser: user.id) {
                    print("Revoked \(permission.key) from '\(user.username)'.")
                } else {
                    print("'\(user.username)' had no direct grant of \(permission.key).")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a user's effective permissions (own, through groups, or all as superuser).",
            discussion: "Example:\n  gatehouse permissions show alice"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() async throws {
            try await database.run { db in
                let user = try await db.user(named: username)
                if !user.isActive { print("'\(user.username)' is inactive and has no permissions.") }
                if user.isActive && user.isSuperuser { print("'\(user.username)' is a superuser and has every permission:") }
                for name in try await db.store.effectivePermissionNames(of: user) {
                    print(name)
                }
            }
        }
    }
}
