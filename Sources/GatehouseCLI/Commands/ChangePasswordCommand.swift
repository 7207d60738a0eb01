import ArgumentParser
import Gatehouse
import GatehouseSQL

/// `gatehouse changepassword USERNAME`.
struct ChangePasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changepassword",
        abstract: "Change a user's password.",
        discussion: """
            Asks for the new password twice (hidden) and runs the password validators; gives up after
            three attempts, as Django does. With --stdin, reads the password from one line of standard
            input, and a password that fails validation is an error.
            Changing the password ends the user's other sessions.

            Example:
              gatehouse changepassword alice
              printf '%s\\n' 'a long passphrase' | gatehouse changepassword alice --stdin
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The username.") var username: String
    @Flag(help: "Read the password from one line of standard input.") var stdin = false
    @OptionGroup(title: "Passwords") var passwords: HasherOptions

    func run() async throws {
        let hashers = try passwords.resolved()
        try await database.run { db in
            let manager = UserManager(store: db.store, hashers: hashers)
            let user = try await db.user(named: username)
            let password: String
            if stdin {
                password = try PasswordInput.fromStandardInput()
                try manager.validatePassword(password, for: user)
            } else {
                Terminal.write("Changing password for user '\(user.username)'\n")
                do {
                    password = try PasswordInput.prompt(attempts: 3, offerBypass: false) {
                        try manager.validatePassword($0, for: user)
                    }
                } catch let failure as CommandFailure where failure.message.hasPrefix("no acceptable") {
                    throw CommandFailure("Aborting password change for user '\(user.username)' after 3 attempts")
                }
            }
            try await manager.setPassword(password, for: user)
            print("Password changed successfully for user '\(user.username)'")
        }
    }
}
