import ArgumentParser
import Foundation
import Gatehouse
import GatehouseHummingbird

/// How long `serve`'s password reset links work, and the Django `TIME_ZONE` their timestamps are
/// counted in. Each option falls back to its environment variable, then to Django's default.
struct PasswordResetOptions: ParsableArguments {
    @Option(
        name: .customLong("password-reset-timeout"),
        help: ArgumentHelp(
            "Seconds a password reset link works, as Django's PASSWORD_RESET_TIMEOUT (default: $GATEHOUSE_PASSWORD_RESET_TIMEOUT, else 259200: 3 days).",
            valueName: "seconds"
        )
    )
    var timeout: Int?

    @Option(
        name: .customLong("password-reset-time-zone"),
        help: ArgumentHelp(
            "The TIME_ZONE of a Django site sharing the database, which its reset links count time in (default: $GATEHOUSE_PASSWORD_RESET_TIME_ZONE, else UTC, as startproject sets it).",
            valueName: "zone"
        )
    )
    var timeZone: String?

    /// Sets the builder's timeout and time zone: options, then environment variables, then defaults.
    func apply(to builder: inout GatehouseRouterBuilder, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let text = timeout.map(String.init) ?? environment["GATEHOUSE_PASSWORD_RESET_TIMEOUT"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let seconds = Int(text), seconds > 0 else {
                throw CommandFailure("--password-reset-timeout must be a positive number of seconds, not \(text)")
            }
            builder.passwordResetTimeout = seconds
        }
        if let name = timeZone ?? environment["GATEHOUSE_PASSWORD_RESET_TIME_ZONE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let zone = TimeZone(identifier: name) else {
                throw CommandFailure("--password-reset-time-zone: \(name) is not a time zone name (such as UTC or Europe/Paris)")
            }
            builder.passwordResetTimeZone = zone
        }
    }
}
