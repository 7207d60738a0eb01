import ArgumentParser
import Foundation
import Gatehouse
import GatehouseSQL

/// `gatehouse users ...`: list, create, deactivate, activate and delete users.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "List, create, deactivate, activate or delete users, or change their email.",
        discussion: """
            Example:
              gatehouse users create alice --email alice@example.com --stdin <<< 'a long passphrase'
              gatehouse users deactivate alice
              gatehouse users set-email alice alice@example.org
            """,
        subcommands: [List.self, Create.self, Deactivate.self, Activate.self, Delete.self, SetEmail.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List users by id.",
            discussion: "Example:\n  gatehouse users list"
        )
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.run { db in
                let users = try await db.store.allUsers()
                let rows = users.map { user in
                    [
                        String(user.id), user.username, user.email, user.isActive.yesNo, user.isStaff.yesNo,
                        user.isSuperuser.yesNo, user.lastLogin.map { ISO8601DateFormatter().string(from: $0) } ?? "never",
                    ]
                }
                print(Terminal.table(["id", "username", "email", "active", "staff", "superuser", "last login"], rows))
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user.",
            discussion: """
                The password is asked for twice, or read from one line of standard input with --stdin.
                With --no-password the account gets an unusable password (it cannot log in with one).

                Example:
                  gatehouse users create alice --email alice@example.com --staff
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String
        @Option(help: "Email address.") var email: String = ""
        @Option(name: .customLong("first-name"), help: "Given name.") var firstName: String = ""
        @Option(name: .customLong("last-name"), help: "Family name.") var lastName: String = ""
        @Flag(help: "Let the user use staff pages.") var staff = false
        @Flag(help: "Give the user every permission.") var superuser = false
        @Flag(help: "Read the password from one line of standard input.") var stdin = false
        @Flag(name: .customLong("no-password"), help: "Set an unusable password.") var noPassword = false
        @OptionGroup(title: "Passwords") var passwords: HasherOptions

        func run() async throws {
            if stdin && noPassword { throw CommandFailure("--stdin and --no-password cannot be used together") }
            let hashers = try passwords.resolved()
            try await database.run { db in
                let manager = UserManager(store: db.store, hashers: hashers)
                let draft = try manager.draft(
                    username: username, email: email, firstName: firstName, lastName: lastName,
                    isStaff: staff, isSuperuser: superuser
                )
                let password: String?
                if noPassword {
                    password = nil
                } else if stdin {
                    password = try PasswordInput.fromStandardInput()
                    try manager.validatePassword(password ?? "", for: draft)
                } else {
                    password = try PasswordInput.prompt(offerBypass: true) { try manager.validatePassword($0, for: draft) }
                }
                let user = try await manager.create(draft, password: password)
                print("Created user '\(user.username)' (id \(user.id)).")
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a user inactive: it can no longer log in, and its sessions end.",
            discussion: "Example:\n  gatehouse users deactivate alice"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() async throws {
            try await database.run { db in
                var user = try await db.user(named: username)
                user.isActive = false
                try await db.store.updateUser(user)
                print("Deactivated user '\(user.username)'.")
            }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a user active again.",
            discussion: "Example:\n  gatehouse users activate alice"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() async throws {
            try await database.run { db in
                var user = try await db.user(named: username)
                user.isActive = true
                try await db.store.updateUser(user)
                print("Activated user '\(user.username)'.")
            }
        }
    }

    struct SetEmail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-email",
            abstract: "Change a user's email address (where password reset links go).",
            discussion: """
                The domain is lowercased, as Django's normalize_email does, and the address checked
                as Django's EmailValidator checks it. An empty address removes it. Reset links sent
                to the old address stop working.

                Example:
                  gatehouse users set-email alice alice@example.org
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String
        @Argument(help: "The new email address (\"\" for none).") var email: String

        func run() async throws {
            let email = Email.normalize(email.trimmingCharacters(in: .whitespaces))
            if !email.isEmpty {
                guard email.unicodeScalars.count <= Email.maximumLength, PasswordResetForm(email: email).errors().isEmpty else {
                    throw CommandFailure("'\(email)' is not a valid email address")
                }
            }
            try await database.run { db in
                var user = try await db.user(named: username)
                user.email = email
                try await db.store.updateUser(user)
                print(email.isEmpty ? "Removed the email address of '\(user.username)'." : "Set the email address of '\(user.username)' to \(email).")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a user with its group memberships and permission grants.",
            discussion: "Deactivating is usually better: it keeps the history.\n\nExample:\n  gatehouse users delete alice"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The username.") var username: String

        func run() async throws {
            try await database.run { db in
                let user = try await db.user(named: username)
                _ = try await db.store.deleteUser(id: user.id)
                print("Deleted user '\(user.username)'.")
            }
        }
    }
}
