import Foundation
import ArgumentParser
import Gatehouse
import GatehouseSQL

/// `gatehouse permissions register|grant-object|revoke-object|objects` and
/// `gatehouse groups grant-object|revoke-object`: model registration and permissions on single objects.
extension PermissionsCommand {
    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a model: its content type and Django's default permissions, plus custom ones.",
            discussion: """
                Creates what is missing, as Django's migrate does: add_<model>, change_<model>, delete_<model> and view_<model> named "Can add <verbose name>" and so on. Running it again changes nothing.

                Examples:
                  gatehouse permissions register blog.BlogPost --permission publish_blogpost:"Can publish"
                  gatehouse permissions register audit.entry --default-permissions view   (Django's Meta.default_permissions = ("view",))
                  gatehouse permissions register shop.cart --default-permissions none
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The model, as app_label.Model (stored lowercased, as Django's model_name).") var model: String
        @Option(help: "The model's verbose name (default: the model name with spaces between camel-case words).")
        var verboseName: String?
        @Option(name: .customLong("permission"), help: "A custom permission, as codename:Name; repeat for more.")
        var permissions: [String] = []
        @Option(
            name: .customLong("default-permissions"),
            help: "Which of Django's default permissions to create, as a comma-separated list of add, change, delete, view, or none (default: all four, as Django's Meta.default_permissions)."
        )
        var defaultPermissions: String?

        func run() async throws {
            guard let dot = model.firstIndex(of: "."), dot != model.startIndex, model.index(after: dot) != model.endIndex else {
                throw CommandFailure("models have the form app_label.Model")
            }
            let appLabel = String(model[..<dot])
            let modelName = String(model[model.index(after: dot)...])
            let custom: [(codename: String, name: String)] = try permissions.map { text in
                guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
                    throw CommandFailure("custom permissions have the form codename:Name")
                }
                return (String(text[..<colon]), String(text[text.index(after: colon)...]))
            }
            let defaults = try Self.parseDefaults(defaultPermissions)
            try await database.run { db in
                let result = try await ModelRegistration(store: db.store).register(
                    appLabel: appLabel, model: modelName, verboseName: verboseName, customPermissions: custom,
                    defaultPermissions: defaults
                )
                let label = "\(result.contentType.appLabel).\(result.contentType.model)"
                if result.isUnchanged {
                    print("\(label) is already registered with these permissions; nothing to do.")
                    return
                }
                if result.createdContentType { print("Created content type \(label).") }
                for permission in result.createdPermissions {
                    print("Created permission \(permission.key) (\(permission.name)).")
                }
            }
        }

        /// `nil` → all four; `none` → none; otherwise each listed action once, in Django's order.
        static func parseDefaults(_ text: String?) throws -> [DefaultPermission] {
            guard let text else { return DefaultPermission.allCases }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed == "none" || trimmed.isEmpty { return [] }
            var chosen: Set<DefaultPermission> = []
            for part in trimmed.split(separator: ",") {
                let name = part.trimmingCharacters(in: .whitespaces).lowercased()
                guard let action = DefaultPermission(rawValue: name) else {
                    throw CommandFailure("unknown default permission '\(name)': use add, change, delete, view or none")
                }
                chosen.insert(action)
            }
            return DefaultPermission.allCases.filter(chosen.contains)
        }
    }

    struct GrantObject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant-object",
            abstract: "Grant a permission to a user on one object of the permission's model.",
            discussion: "Example:\n  gatehouse permissions grant-object alice blog.change_post 42"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String
        @Argument(help: "The permission, as app_label.codename.") var permission: String
        @Argument(help: "The object's primary key, as text (at most 255 characters).") var objectID: String

        func run() async throws {
            try await database.run { db in
                let user = try await db.user(named: username)
                let permission = try await db.permission(named: permission)
                try await db.store.grant(permission.id, toUser: user.id, on: permission.object(objectID))
                print("Granted \(permission.key) on \(permission.objectLabel(objectID)) to '\(user.username)'.")
            }
        }
    }

    struct RevokeObject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-object",
            abstract: "Revoke a permission granted to a user on one object.",
            discussion: "Example:\n  gatehouse permissions revoke-object alice blog.change_post 42"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String
        @Argument(help: "The permission, as app_label.codename.") var permission: String
        @Argument(help: "The object's primary key, as text.") var objectID: String

        func run() async throws {
            try await database.run { db in
                let user = try await db.user(named: username)
                let permission = try await db.permission(named: permission)
                let label = permission.objectLabel(objectID)
                if try await db.store.revoke(permission.id, fromUser: user.id, on: permission.object(objectID)) {
                    print("Revoked \(permission.key) on \(label) from '\(user.username)'.")
                } else {
                    print("'\(user.username)' had no grant of \(permission.key) on \(label).")
                }
            }
        }
    }

    struct Objects: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the ids of the objects on which a user holds a permission, directly or through groups.",
            discussion: """
                Lists the stored object grants: superusers and inactive users are not treated specially.

                Example:
                  gatehouse permissions objects alice blog.change_post
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String
        @Argument(help: "The permission, as app_label.codename.") var permission: String

        func run() async throws {
            try await database.run { db in
                let user = try await db.user(named: username)
                let permission = try await db.permission(named: permission)
                let ids = try await db.store.objectIDs(
                    userID: user.id, permission: permission.id, contentType: permission.contentType.id
                )
                for id in ids { print(id) }
            }
        }
    }
}

extension GroupsCommand {
    struct GrantObject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant-object",
            abstract: "Grant a permission to a group on one object of the permission's model.",
            discussion: "Example:\n  gatehouse groups grant-object editors blog.change_post 42"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The group's name.") var group: String
        @Argument(help: "The permission, as app_label.codename.") var permission: String
        @Argument(help: "The object's primary key, as text (at most 255 characters).") var objectID: String

        func run() async throws {
            try await database.run { db in
                let group = try await db.group(named: group)
                let permission = try await db.permission(named: permission)
                try await db.store.grant(permission.id, toGroup: group.id, on: permission.object(objectID))
                print("Granted \(permission.key) on \(permission.objectLabel(objectID)) to group '\(group.name)'.")
            }
        }
    }

    struct RevokeObject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-object",
            abstract: "Revoke a permission granted to a group on one object.",
            discussion: "Example:\n  gatehouse groups revoke-object editors blog.change_post 42"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The group's name.") var group: String
        @Argument(help: "The permission, as app_label.codename.") var permission: String
        @Argument(help: "The object's primary key, as text.") var objectID: String

        func run() async throws {
            try await database.run { db in
                let group = try await db.group(named: group)
                let permission = try await db.permission(named: permission)
                let label = permission.objectLabel(objectID)
                if try await db.store.revoke(permission.id, fromGroup: group.id, on: permission.object(objectID)) {
                    print("Revoked \(permission.key) on \(label) from group '\(group.name)'.")
                } else {
                    print("Group '\(group.name)' had no grant of \(permission.key) on \(label).")
                }
            }
        }
    }
}

extension Permission {
    /// The object `objectID` of this permission's model.
    fileprivate func object(_ objectID: String) -> ObjectReference {
        ObjectReference(contentTypeID: contentType.id, objectID: objectID)
    }

    /// `blog.post 42`, for messages.
    fileprivate func objectLabel(_ objectID: String) -> String {
        "\(contentType.appLabel).\(contentType.model) \(objectID)"
    }
}
