import Logging

extension Logger {
    /// A logger that drops everything.
    static var quietPasswords: Logger {
        Logger(label: "test.quietPasswords") { _ in SwiftLogNoOpLogHandler() }
    }
}
