import ArgumentParser
import Gatehouse
import GatehouseSQL

/// A command failed for a reason the user can act on; printed as one line, as in
/// `throw CommandFailure("no user named 'alice'")`.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }

    /// ArgumentParser's own errors (help, usage, clean exits) pass through; anything else becomes one
    /// line without values from the database.
    static func wrap(_ error: any Error) -> any Error {
        switch error {
        case is CommandFailure, is ExitCode, is CleanExit, is ArgumentParser.ValidationError:
            return error
        case let error as Gatehouse.ValidationError:
            return CommandFailure(error.message)
        case let error as ValidationErrors:
            return CommandFailure(error.description)
        case let error as StoreError:
            return CommandFailure(error.description)
        case let error as DatabaseURLError:
            return CommandFailure(error.description)
        default:
            if String(describing: type(of: error)).hasPrefix("CommandError") {
                return error  // ArgumentParser's parse errors.
            }
            let text = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown error"
            return CommandFailure(text)
        }
    }
}
