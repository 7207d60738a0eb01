import ArgumentParser
import Gatehouse
import GatehouseSQL

/// `gatehouse groups ...`: groups, their members and their permissions.
struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "Manage groups, their members and their permissions.",
        discussion: """
            Example:
              gatehouse groups create editors
              gatehouse groups add-member editors alice
              gatehouse groups grant editors blog.change_post
              gatehouse groups grant-object editors blog.change_post 42
            """,
        subcommands: [
            List.self, Create.self, Delete.self, AddMember.self, RemoveMember.self, Grant.self, Revoke.self, GrantObject.self,
            RevokeObject.self,
        ]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List groups with their members and permissions.",
            discussion: "Example:\n  gatehouse groups list"
        )
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.run { db in
                var rows: [[String]] = []
                for group in try await db.store.groups() {
                    let members = try await db.store.users(inGroup: group.id).map(\.username)
                    let permissions = try await db.store.groupPermissions(groupID: group.id).map(\.key)
                    rows.append([group.name, members.joined(separator: ","), permissions.joined(separator: ",")])
                }
                print(Terminal.table(["group", "members", "permissions"], rows))
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a group.", discussion: "Example:\n  gatehouse groups create editors"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The group's name (at most 150 characters).") var name: String

        func run() async throws {
            guard !name.isEmpty, name.unicodeScalars.count <= Group.maximumNameLength else {
                throw CommandFailure("a group name has 1 to \(Group.maximumNameLength) characters")
            }
            try await database.run { db in
                _ = try await db.store.insertGroup(name: name)
                print("Created group '\(name)'.")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a group with its memberships and grants.",
            discussion: "Example:\n  gatehouse groups delete editors"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The group's name.") var name: String

        func run() async throws {
            try await database.run { db in
                _ = try await db.store.deleteGroup(id: try await db.group(named: name).id)
                print("Deleted group '\(name)'.")
            }
        }
    }

    struct AddMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-member", abstract: "Add a user to a group.",
            discussion: "Example:\n  gatehouse groups add-member editors alice"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The group's name.") var group: String
        @Argument(help: "The username.") var username: String

        func run() async throws {
            try await database.run { db in
                let group = try await db.group(named: group)
                let user = try await db.user(named: username)
                try await db.store.addUser(user.id, toGroup: group.id)
                print("Added '\(user.username)' to '\(group.name)'.")
            }
        }
    }

    struct RemoveMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-member", abstract: "Remove a user from a group.",
            discussion: "Example:\n  gatehouse groups remove-member editors alice"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The group's name.") var group: String
        @Argument(help: "The username.") var username: String

        func run() async throws {
            try await database.run { db in
                let group = try await db.group(named: group)
                let user = try await db.user(named: username)
                if try await db.store.removeUser(user.id, fromGroup: group.id) {
                    print("Removed '\(user.username)' from '\(group.name)'.")
                } else {
                    print("'\(user.username)' was not a member of '\(group.name)'.")
                }
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grant a permission to a group.",
            discussion: "Example:\n  gatehouse groups grant editors blog.change_post"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The group's name.") var group: String
        @Argument(help: "The permission, as app_label.codename.") var permission: String

        func run() async throws {
            try await database.run { db in
                let group = try await db.group(named: group)
                let permission = try await db.permission(named: permission)
                try await db.store.grant(permission.id, toGroup: group.id)
                print("Granted \(permission.key) to group '\(group.name)'.")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a permission from a group.",
            discussion: "Example:\n  gatehouse groups revoke editors blog.change_post"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The group's name.") var group: String
        @Argument(help: "The permission, as app_label.codename.") var permission: String

        func run() async throws {
            try await database.run { db in
                let group = try await db.group(named: group)
                let permission = try await db.permission(named: permission)
                if try await db.store.revoke(permission.id, fromGroup: group.id) {
                    print("Revoked \(permission.key) from group '\(group.name)'.")
                } else {
                    print("Group '\(group.name)' did not have \(permission.key).")
                }
            }
        }
    }
}
