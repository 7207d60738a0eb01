import Foundation
import Gatehouse

/// Reading new passwords: from a hidden prompt (twice), or from one line of standard input.
enum PasswordInput {
    /// One line of standard input without its newline.
    static func fromStandardInput() throws -> String {
        guard let line = readLine(strippingNewline: true) else {
            throw CommandFailure("--stdin expects the password on one line of standard input")
        }
        if line.isEmpty { throw CommandFailure("blank passwords aren't allowed") }
        return line
    }

    /// Asks for the password twice until both match, are not blank and pass `validate`; when they
    /// fail validation, `offerBypass` asks Django's "Bypass password validation?" question. Returns
    /// `nil` only when input ends.
    static func prompt(
        attempts: Int = .max,
        offerBypass: Bool,
        validate: (String) throws -> Void
    ) throws -> String {
        var attempt = 0
        while attempt < attempts {
            attempt += 1
            guard let first = Terminal.askHidden("Password: ") else { throw endOfInput }
            guard let second = Terminal.askHidden("Password (again): ") else { throw endOfInput }
            if first != second {
                Terminal.write("Error: Your passwords didn't match.\n")
                continue
            }
            if first.isEmpty {
                Terminal.write("Error: Blank passwords aren't allowed.\n")
                continue
            }
            do {
                try validate(first)
                return first
            } catch let errors as ValidationErrors {
                for error in errors.errors { Terminal.write("\(error.message)\n") }
            } catch let error as Gatehouse.ValidationError {
                Terminal.write("\(error.message)\n")
            }
            if offerBypass, Terminal.confirm("Bypass password validation and create user anyway? [y/N]: ") {
                return first
            }
        }
        throw CommandFailure("no acceptable password after \(attempts) attempts")
    }

    static let endOfInput = CommandFailure("input ended before a password was given")
}
