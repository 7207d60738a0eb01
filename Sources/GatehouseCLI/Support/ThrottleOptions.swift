import ArgumentParser
import Foundation
import Gatehouse

/// The failed-login limits, shared by `serve` (which enforces them) and `throttle list` (which shows
/// what is locked under them). Each option falls back to its environment variable, then to
/// ``Gatehouse/LoginThrottleConfiguration``'s default.
struct ThrottleOptions: ParsableArguments {
    @Option(
        name: .customLong("login-failure-limit"),
        help: ArgumentHelp(
            "Failed logins of one username from one address within the cool-off before that pair is locked (default: $GATEHOUSE_LOGIN_FAILURE_LIMIT, else 5; 0 turns throttling off).",
            valueName: "n"
        )
    )
    var limit: Int?

    @Option(
        name: .customLong("login-failure-limit-address"),
        help: ArgumentHelp(
            "Failed logins from one address, any username, before the address is locked (default: $GATEHOUSE_LOGIN_FAILURE_LIMIT_ADDRESS, else 30; 0: no such limit).",
            valueName: "n"
        )
    )
    var addressLimit: Int?

    @Option(
        name: .customLong("login-failure-limit-user"),
        help: ArgumentHelp(
            "Failed logins of one username, from any address, before the username is locked (default: $GATEHOUSE_LOGIN_FAILURE_LIMIT_USER, else 100; 0: no such limit).",
            valueName: "n"
        )
    )
    var userLimit: Int?

    @Option(
        name: .customLong("login-cooloff"),
        help: ArgumentHelp(
            "Seconds a failed login counts; a lock lifts when its failures are older (default: $GATEHOUSE_LOGIN_COOLOFF, else 900; 0 turns throttling off).",
            valueName: "seconds"
        )
    )
    var cooloff: Int?

    @Option(
        name: .customLong("login-checks-per-address"),
        help: ArgumentHelp(
            "Password checks one client address may run at once; more wait their turn (default: $GATEHOUSE_LOGIN_CHECKS_PER_ADDRESS, else 2; 0: no limit).",
            valueName: "n"
        )
    )
    var checksPerAddress: Int?

    /// The configuration in force: options, then environment variables, then the defaults.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LoginThrottleConfiguration {
        let defaults = LoginThrottleConfiguration()
        func value(_ option: Int?, _ flag: String, _ variable: String, _ fallback: Int) throws -> Int {
            if let option {
                guard option >= 0 else { throw CommandFailure("--\(flag) must be 0 or more") }
                return option
            }
            guard let text = environment[variable] else { return fallback }
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), number >= 0 else {
                throw CommandFailure("\(variable) must be a whole number, 0 or more")
            }
            return number
        }
        let limit = try value(self.limit, "login-failure-limit", "GATEHOUSE_LOGIN_FAILURE_LIMIT", defaults.usernameAndAddressLimit)
        let cooloff = try value(self.cooloff, "login-cooloff", "GATEHOUSE_LOGIN_COOLOFF", Int(defaults.window))
        return LoginThrottleConfiguration(
            isEnabled: limit > 0 && cooloff > 0,
            usernameAndAddressLimit: limit,
            addressLimit: try value(addressLimit, "login-failure-limit-address", "GATEHOUSE_LOGIN_FAILURE_LIMIT_ADDRESS", defaults.addressLimit),
            usernameLimit: try value(userLimit, "login-failure-limit-user", "GATEHOUSE_LOGIN_FAILURE_LIMIT_USER", defaults.usernameLimit),
            window: TimeInterval(cooloff),
            concurrentChecksPerAddress: try value(
                checksPerAddress, "login-checks-per-address", "GATEHOUSE_LOGIN_CHECKS_PER_ADDRESS", defaults.concurrentChecksPerAddress
            )
        )
    }
}
