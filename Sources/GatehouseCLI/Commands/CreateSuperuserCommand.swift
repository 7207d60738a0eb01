import ArgumentParser
import Foundation
import Gatehouse
import GatehouseSQL

/// `gatehouse createsuperuser`: a staff superuser, interactively or from options and the environment.
struct CreateSuperuserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "createsuperuser",
        abstract: "Create a superuser (staff, every permission).",
        discussion: """
            Interactive by default: asks for the username, email and password (hidden, twice) and runs
            the password validators, offering to bypass them as Django does.
            With --no-input, --username is required, the password comes from
            GATEHOUSE_SUPERUSER_PASSWORD (unset: an unusable password) and must pass the validators.

            Example:
              GATEHOUSE_SUPERUSER_PASSWORD='a long passphrase' gatehouse createsuperuser --no-input --username admin --email admin@example.com
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The superuser's username.") var username: String?
    @Option(help: "The superuser's email address.") var email: String?
    @Flag(name: [.customLong("no-input"), .customLong("noinput")], help: "Ask nothing; fail instead.") var noInput = false
    @OptionGroup(title: "Passwords") var passwords: HasherOptions

    func run() async throws {
        let hashers = try passwords.resolved()
        try await database.run { db in
            let manager = UserManager(store: db.store, hashers: hashers)
            if noInput {
                try await createWithoutInput(manager)
            } else {
                try await createInteractively(manager)
            }
        }
    }

    func createWithoutInput(_ manager: UserManager) async throws {
        guard let username, !username.isEmpty else {
            throw CommandFailure("you must use --username with --no-input")
        }
        let draft = try manager.draft(username: username, email: email ?? "", isStaff: true, isSuperuser: true)
        if try await manager.store.user(username: draft.username) != nil {
            throw CommandFailure("that username is already taken")
        }
        let password = ProcessInfo.processInfo.environment["GATEHOUSE_SUPERUSER_PASSWORD"]
        if let password {
            if password.isEmpty { throw CommandFailure("GATEHOUSE_SUPERUSER_PASSWORD is empty") }
            try manager.validatePassword(password, for: draft)
        }
        let created = try await manager.create(draft, password: password)
        CLIAudit.record("user.created", ["user_id": String(created.id), "username": created.username, "staff": "true", "superuser": "true"])
        print("Superuser created successfully.")
        if password == nil {
            FileHandle.standardError.write(Data(
                "warning: GATEHOUSE_SUPERUSER_PASSWORD was not set, so '\(draft.username)' has an unusable password and cannot log in until 'gatehouse changepassword \(draft.username)'\n".utf8
            ))
        }
    }

    func createInteractively(_ manager: UserManager) async throws {
        var draft: NewUser
        var name = username
        while true {
            if name == nil {
                let suggestion = Self.suggestedUsername()
                let prompt = suggestion.map { "Username (leave blank to use '\($0)'): " } ?? "Username: "
                guard let answer = Terminal.ask(prompt) else { throw PasswordInput.endOfInput }
                name = answer.isEmpty ? suggestion : answer
            }
            guard let candidate = name, !candidate.isEmpty else {
                Terminal.write("Error: This field cannot be blank.\n")
                name = nil
                continue
            }
            do {
                draft = try manager.draft(username: candidate, isStaff: true, isSuperuser: true)
            } catch {
                Terminal.write("Error: \(error.message)\n")
                if username != nil { throw CommandFailure(error.message) }
                name = nil
                continue
            }
            if try await manager.store.user(username: draft.username) != nil {
                Terminal.write("Error: That username is already taken.\n")
                if username != nil { throw CommandFailure("that username is already taken") }
                name = nil
                continue
            }
            break
        }
        var address = email
        while address == nil {
            guard let answer = Terminal.ask("Email address: ") else { throw PasswordInput.endOfInput }
            do {
                draft = try manager.draft(username: draft.username, email: answer, isStaff: true, isSuperuser: true)
                address = answer
            } catch {
                Terminal.write("Error: \(error.message)\n")
            }
        }
        if let address {
            draft = try manager.draft(username: draft.username, email: address, isStaff: true, isSuperuser: true)
        }
        let final = draft
        let password = try PasswordInput.prompt(offerBypass: true) { try manager.validatePassword($0, for: final) }
        let created = try await manager.create(final, password: password)
        CLIAudit.record("user.created", ["user_id": String(created.id), "username": created.username, "staff": "true", "superuser": "true"])
        print("Superuser created successfully.")
    }

    /// The login name of the person running the command, when it is a valid username.
    static func suggestedUsername() -> String? {
        let name = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"]
        guard let name, Username.isValid(Username.normalize(name)) else { return nil }
        return Username.normalize(name)
    }
}
