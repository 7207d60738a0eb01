/// A setting from the environment or the settings file that cannot be used, naming where it came
/// from: `GATEHOUSE_PORT: 'eighty' is not a valid value for --port <port>`, or
/// `gatehouse.yaml line 3: unknown key 'upstream_timout'; did you mean 'upstream-timeout'?`.
/// Values of secret settings and URL passwords never appear in it.
struct SettingsError: Error, CustomStringConvertible {
    private enum Kind {
        case file(path: String, line: Int?, message: String)
        case environment(variable: String, message: String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// About the settings file, at `line` when known.
    static func file(_ path: String, line: Int?, _ message: String) -> SettingsError {
        SettingsError(.file(path: path, line: line, message: message))
    }

    /// About the environment variable `variable`.
    static func environment(_ variable: String, _ message: String) -> SettingsError {
        SettingsError(.environment(variable: variable, message: message))
    }

    var description: String {
        switch kind {
        case .file(let path, let line, let message):
            return "\(path)\(line.map { " line \($0)" } ?? ""): \(message)"
        case .environment(let variable, let message):
            return "\(variable): \(message)"
        }
    }
}
