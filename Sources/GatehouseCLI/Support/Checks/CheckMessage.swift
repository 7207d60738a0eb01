import ArgumentParser

/// How serious a finding of `gatehouse check` is. `--fail-level` names the least serious level that
/// makes the command exit with status 1.
enum CheckLevel: Int, Comparable, CaseIterable, ExpressibleByArgument, Sendable {
    case info = 20
    case warning = 30
    case error = 40

    var name: String {
        switch self {
        case .info: "INFO"
        case .warning: "WARNING"
        case .error: "ERROR"
        }
    }

    init?(argument: String) {
        guard let level = Self.allCases.first(where: { $0.name == argument.uppercased() }) else { return nil }
        self = level
    }

    static var allValueStrings: [String] { allCases.map(\.name) }

    static func < (lhs: CheckLevel, rhs: CheckLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One finding: a stable id (`gatehouse.W003`) that `--silence` can name, what is wrong, and what
/// to do about it.
struct CheckMessage: Sendable, Equatable {
    let id: String
    let level: CheckLevel
    let message: String
    let hint: String

    var text: String { "\(level.name) \(id): \(message)\n    HINT: \(hint)" }
}
