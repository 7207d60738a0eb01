/// A policy file that cannot be used, with the line it is about.
///
/// ```swift
/// do { _ = try GatewayPolicy(yaml: text) } catch let error as GatewayPolicyError { print(error) }   // "line 4: ..."
/// ```
public struct GatewayPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable {
        case syntax(String)
        case invalid(String)
    }

    private let kind: Kind
    /// The 1-based line, when known.
    public let line: Int?

    private init(_ kind: Kind, line: Int?) {
        self.kind = kind
        self.line = line
    }

    /// The file is not YAML.
    static func syntax(_ message: String, line: Int?) -> GatewayPolicyError { GatewayPolicyError(.syntax(message), line: line) }

    /// The file is YAML but not a policy.
    static func invalid(_ message: String, line: Int?) -> GatewayPolicyError { GatewayPolicyError(.invalid(message), line: line) }

    /// `line N: message`.
    public var description: String {
        let message: String
        switch kind {
        case .syntax(let text): message = "not valid YAML: \(text)"
        case .invalid(let text): message = text
        }
        return line.map { "line \($0): \(message)" } ?? message
    }
}
