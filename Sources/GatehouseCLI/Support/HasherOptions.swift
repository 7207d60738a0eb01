import ArgumentParser
import Foundation
import Gatehouse
import Logging

/// `--preferred-hasher` (or `GATEHOUSE_PREFERRED_HASHER`): the algorithm of new password hashes. The
/// other hashers of Django's default list still check old hashes, which are replaced by the preferred
/// one at the next login (Django's `PASSWORD_HASHERS` with that hasher moved first).
struct HasherOptions: ParsableArguments {
    /// The algorithms that can be preferred.
    static let choices = ["pbkdf2_sha256", "argon2", "bcrypt_sha256", "scrypt", "pbkdf2_sha1"]

    @Option(
        name: .customLong("preferred-hasher"),
        help: ArgumentHelp(
            "The algorithm of new password hashes: pbkdf2_sha256 (Django's default), argon2 (Argon2id, 100 MiB per hash while it runs), bcrypt_sha256, scrypt or pbkdf2_sha1 (or GATEHOUSE_PREFERRED_HASHER). Hashes of the others still log in and are upgraded to it.",
            valueName: "algorithm"
        )
    )
    var preferredHasher: String?

    /// Django's default hashers with the chosen one (option, then environment, then `pbkdf2_sha256`)
    /// first.
    func resolved(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "gatehouse.passwords")
    ) throws -> PasswordHashers {
        let name = preferredHasher ?? environment["GATEHOUSE_PREFERRED_HASHER"] ?? "pbkdf2_sha256"
        let defaults = PasswordHashers(logger: logger)
        guard Self.choices.contains(name), let preferred = defaults.hasher(algorithm: name) else {
            throw CommandFailure(
                "--preferred-hasher must be one of \(Self.choices.joined(separator: ", ")), not '\(name)'")
        }
        return PasswordHashers(
            preferred: preferred, others: defaults.hashers.filter { $0.algorithm != preferred.algorithm },
            pool: defaults.pool, logger: logger)
    }
}
