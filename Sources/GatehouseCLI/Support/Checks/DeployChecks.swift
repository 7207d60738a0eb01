import Foundation
import Gatehouse

/// What `gatehouse check --deploy` looks at: the settings `gatehouse serve` would run with, gathered
/// without opening the database or writing anything.
struct DeploySettings {
    /// Where SECRET_KEY would come from.
    enum SecretKeySource {
        /// `GATEHOUSE_SECRET_KEY`.
        case environment(String)
        /// The key file beside the database: its path, and its permission bits if it exists.
        case file(path: String, mode: Int?)
    }

    var host: String
    var https: Bool
    var hstsSeconds: Int
    var secretKey: SecretKeySource
    /// The gateway policy's default requirement, with `--policy` or `--upstream`.
    var policyDefault: AccessRequirement?
    var policyFile: String?
    /// The SQLite database file, when the database is SQLite on a file.
    var sqliteFile: String?
    var preferredHasher: any PasswordHasher
    var throttle: LoginThrottleConfiguration
    var onlyLocalHostsAllowed: Bool
    var trustedProxies: [IPNetwork]
    var emailIsConsole: Bool
    /// `--metrics-address`'s host, when metrics are on.
    var metricsHost: String? = nil
    /// The network filesystem holding a path, if any (``FilesystemKind/networkFilesystem(at:)``).
    var networkFilesystem: (String) -> String? = FilesystemKind.networkFilesystem(at:)
}

/// `gatehouse check --deploy`: each check is one finding about a setting that is fine on a laptop and
/// unsafe in production, in the spirit of Django's `check --deploy` (whose default `--fail-level` is
/// ERROR; Gatehouse's is WARNING, so that a deploy script stops on any of these).
enum DeployChecks {
    static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    static func run(_ settings: DeploySettings) -> [CheckMessage] {
        var found: [CheckMessage] = []
        func warn(_ number: Int, _ message: String, hint: String) {
            found.append(CheckMessage(id: String(format: "gatehouse.W%03d", number), level: .warning, message: message, hint: hint))
        }
        let exposed = !loopbackHosts.contains(settings.host.lowercased())

        switch settings.secretKey {
        case .environment(let key):
            if isWeak(key) {
                warn(
                    1, "GATEHOUSE_SECRET_KEY is weak: \(key.count) characters, \(Set(key).count) different ones\(key.hasPrefix("django-insecure-") ? ", and a prefix that marks a development key" : "").",
                    hint: "Use at least 50 random characters with at least 5 different ones, e.g. from `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`.")
            }
        case .file(let path, let mode):
            warn(
                2, mode == nil
                    ? "GATEHOUSE_SECRET_KEY is not set: a key will be generated at the first start and saved in \(path)."
                    : "GATEHOUSE_SECRET_KEY is not set: the key is the generated one in \(path).",
                hint: "A key kept beside the database travels with its backups, and each machine would make its own (so sessions and reset links made on one fail on another): set GATEHOUSE_SECRET_KEY from your secret store (the file's key can be moved there).")
            if let mode, mode & 0o077 != 0 {
                warn(3, "The key file \(path) can be read by others (mode \(String(mode & 0o777, radix: 8))).", hint: "chmod 600 \(path)")
            }
        }
        if exposed && !settings.https {
            warn(
                4, "Serving on \(settings.host), a non-loopback address, without --https.",
                hint: "Put a TLS proxy in front and pass --https (with --trusted-proxy for its address), or serve TLS yourself.")
        }
        if !settings.https {
            warn(
                5, "Session and CSRF cookies are not always marked Secure (--https is off): a browser sends them over plain HTTP.",
                hint: "Pass --https once the site is reached over HTTPS only.")
        } else if settings.hstsSeconds <= 0 {
            warn(
                6, "--https is on but --hsts-seconds is 0: browsers are not told to refuse plain HTTP for this site.",
                hint: "Leave --hsts-seconds at its default (one year) once HTTPS works everywhere on the site.")
        }
        if let requirement = settings.policyDefault, case .public = requirement {
            warn(
                7, "The policy\(settings.policyFile.map { " \($0)" } ?? "")'s default is public: every path no rule names is open to anonymous visitors.",
                hint: "Make the default `authenticated` (or `deny`) and open public paths with rules of their own.")
        }
        if let file = settings.sqliteFile {
            let directory = (file as NSString).deletingLastPathComponent
            if let kind = settings.networkFilesystem(directory.isEmpty ? "." : directory) {
                warn(
                    8, "The SQLite database \(file) is on a network filesystem (\(kind)), whose file locks SQLite cannot rely on: two writers can corrupt it.",
                    hint: "Keep the database on a local disk, or use PostgreSQL (--database postgres://...).")
            }
        }
        if let weaker = weakerHasher(settings.preferredHasher) {
            warn(9, "The preferred password hasher is weaker than Django's default: \(weaker).", hint: "Use pbkdf2_sha256 or argon2 at Django's costs (--preferred-hasher).")
        }
        if !settings.throttle.isCounting {
            warn(
                10, "Login throttling is off: passwords can be guessed as fast as the server answers.",
                hint: "Leave the --login-failure-* limits at their defaults, or set limits above 0.")
        }
        if exposed && settings.onlyLocalHostsAllowed {
            warn(
                11, "Serving on \(settings.host) with only localhost, 127.0.0.1 and [::1] as allowed hosts: requests naming this site get 400.",
                hint: "Name the site with --allowed-host or --public-url.")
        }
        for network in settings.trustedProxies where network.prefixLength == 0 {
            warn(
                12, "--trusted-proxy \(network) trusts every address: any client can set X-Forwarded-For and X-Forwarded-Proto.",
                hint: "Name only your proxies' addresses or their subnet.")
        }
        if settings.emailIsConsole {
            warn(
                13, "Email goes to the log (console): password reset links would be written to it, and no user gets them.",
                hint: "Set --email-url (GATEHOUSE_EMAIL_URL) to your SMTP server.")
        }
        if let metricsHost = settings.metricsHost, !loopbackHosts.contains(metricsHost.lowercased()) {
            warn(
                14, "Metrics are served on \(metricsHost), a non-loopback address: anyone who reaches it reads request and login counts.",
                hint: "Listen on 127.0.0.1 (or a private address your Prometheus alone reaches, then silence this check).")
        }
        return found
    }

    /// Shorter than 50 characters, fewer than 5 different ones, or marked as a development key.
    static func isWeak(_ key: String) -> Bool {
        key.count < 50 || Set(key).count < 5 || key.hasPrefix("django-insecure-")
    }

    /// Why `hasher` is weaker than Django 6.1's default for its algorithm, or `nil`.
    static func weakerHasher(_ hasher: any PasswordHasher) -> String? {
        switch hasher {
        case let pbkdf2 as PBKDF2PasswordHasher:
            if pbkdf2.algorithm != "pbkdf2_sha256" { return "\(pbkdf2.algorithm) (SHA-1 inside PBKDF2)" }
            if pbkdf2.iterations < PBKDF2PasswordHasher.defaultIterations {
                return "pbkdf2_sha256 with \(pbkdf2.iterations) iterations, below \(PBKDF2PasswordHasher.defaultIterations)"
            }
            return nil
        case let argon2 as Argon2PasswordHasher:
            if argon2.timeCost < Argon2PasswordHasher.defaultTimeCost || argon2.memoryCost < Argon2PasswordHasher.defaultMemoryCost {
                return "argon2 with t=\(argon2.timeCost), m=\(argon2.memoryCost) KiB, below t=\(Argon2PasswordHasher.defaultTimeCost), m=\(Argon2PasswordHasher.defaultMemoryCost)"
            }
            return nil
        case let scrypt as ScryptPasswordHasher:
            return scrypt.workFactor < ScryptPasswordHasher.defaultWorkFactor ? "scrypt with N=\(scrypt.workFactor), below \(ScryptPasswordHasher.defaultWorkFactor)" : nil
        case let bcrypt as BCryptSHA256PasswordHasher:
            return bcrypt.cost < BCryptSHA256PasswordHasher.defaultCost ? "bcrypt_sha256 with cost \(bcrypt.cost), below \(BCryptSHA256PasswordHasher.defaultCost)" : nil
        case is MD5PasswordHasher:
            return "md5 (one round of MD5)"
        default:
            return nil
        }
    }
}
