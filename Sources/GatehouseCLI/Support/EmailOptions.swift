import ArgumentParser
import Foundation
import Gatehouse
import GatehouseSMTP
import Logging

/// `--email-url` and `--from-email` (or `GATEHOUSE_EMAIL_URL`, `GATEHOUSE_FROM_EMAIL`): where
/// password reset messages go, and whom they come from (docs/email.md).
struct EmailOptions: ParsableArguments {
    @Option(
        name: .customLong("email-url"),
        help: ArgumentHelp(
            "Where email goes: console: (the default: logged, not sent), smtp://host[:port], smtp+starttls://user:password@host[:port] or smtps://user:password@host[:port] (or GATEHOUSE_EMAIL_URL). See docs/email.md.",
            valueName: "url"
        )
    )
    var emailURL: String?

    @Option(
        name: .customLong("from-email"),
        help: ArgumentHelp(
            "The sender of Gatehouse's email, as address or 'Name <address>' (or GATEHOUSE_FROM_EMAIL; default webmaster@localhost).",
            valueName: "address"
        )
    )
    var fromEmail: String?

    /// The email URL in force (option, environment, `console:`), checked.
    func resolvedURL(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> EmailURL {
        let text = emailURL ?? environment["GATEHOUSE_EMAIL_URL"] ?? "console:"
        do {
            return try EmailURL(text)
        } catch {
            // The error's text never has the password (EmailURL's promise).
            throw CommandFailure("--email-url: \(error)")
        }
    }

    /// The sender address in force (option, environment, Django's `webmaster@localhost`), checked.
    func resolvedFrom(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let text = fromEmail ?? environment["GATEHOUSE_FROM_EMAIL"] ?? "webmaster@localhost"
        do {
            _ = try EmailAddress(parsing: text)
        } catch {
            throw CommandFailure("--from-email must be an address (local@domain) or 'Name <local@domain>' without line breaks")
        }
        return text
    }
}
