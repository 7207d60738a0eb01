import Foundation

/// What `--print-config` and the settings' error messages hide: the whole value of a setting named
/// like a secret, and the password of any URL (`postgres://app:********@db/app`).
enum SettingRedaction {
    static let mask = "********"

    /// A name with `key`, `secret`, `password`, `passwd` or `token` in it, in any case.
    static func isSecretName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["key", "secret", "password", "passwd", "token"].contains { lowered.contains($0) }
    }

    /// `value` as it may be shown for the setting `name`.
    static func shown(_ value: String, name: String) -> String {
        if isSecretName(name) { return value.isEmpty ? value : mask }
        return withoutURLPasswords(value)
    }

    /// Whether `value` holds a URL with a password.
    static func hasURLPassword(_ value: String) -> Bool { withoutURLPasswords(value) != value }

    /// `value` with the password of every `scheme://user:password@` replaced. The user part runs to
    /// the last `@` after `://`, so that a password with an unescaped `@` or `/` is hidden whole.
    static func withoutURLPasswords(_ value: String) -> String {
        guard let separator = value.range(of: "://") else { return value }
        let rest = value[separator.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return value }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return value }
        return String(value[..<userInfo.index(after: colon)]) + mask + String(rest[at...])
    }
}
