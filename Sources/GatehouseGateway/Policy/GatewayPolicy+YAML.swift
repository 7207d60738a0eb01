import Foundation
import Gatehouse
import Yams

extension GatewayPolicy {
    /// Parses and validates a policy file; errors name the line.
    ///
    /// ```yaml
    /// default: authenticated          # or: public, deny
    /// case_sensitive: false           # the default: /ADMIN/ falls under /admin/
    /// rules:
    ///   - path: /static/              # a prefix; globs like /reports/*/pdf also work
    ///     require: public
    ///   - path: /reports/
    ///     methods: [GET, HEAD]
    ///     require:
    ///       any_permissions: [reports.view, reports.admin]
    /// ```
    ///
    /// ```swift
    /// let policy = try GatewayPolicy(yaml: String(contentsOfFile: "policy.yaml", encoding: .utf8))
    /// ```
    public init(yaml: String) throws(GatewayPolicyError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw .syntax(Self.describe(error), line: Self.line(of: error))
        } catch {
            throw .syntax("\(error)", line: nil)
        }
        guard let root else { throw .invalid("the file is empty: it needs at least `rules:`", line: 1) }
        guard let mapping = root.mapping else { throw .invalid("the file must be a mapping with `default` and `rules`", line: Self.line(root)) }
        var defaultRequirement = Requirement.authenticated
        var rules: [Rule] = []
        var caseSensitive = false
        for (key, value) in mapping {
            switch key.string {
            case "default":
                guard let word = value.scalar?.string, let requirement = Self.simpleRequirement(word), requirement != .staff,
                    requirement != .superuser
                else {
                    throw .invalid("`default` is one of authenticated, public, deny", line: Self.line(value))
                }
                defaultRequirement = requirement
            case "rules":
                guard let sequence = value.sequence else { throw .invalid("`rules` is a list", line: Self.line(value)) }
                for item in sequence { rules.append(try Self.rule(item)) }
            case "case_sensitive":
                guard let flag = value.scalar.flatMap({ Bool.construct(from: $0) }) else {
                    throw .invalid("`case_sensitive` is true or false", line: Self.line(value))
                }
                caseSensitive = flag
            default:
                throw .invalid("unknown key `\(key.string ?? "?")` (expected default, rules, case_sensitive)", line: Self.line(key))
            }
        }
        self.init(defaultRequirement: defaultRequirement, rules: rules, caseSensitive: caseSensitive)
    }

    /// Reads and parses the file at `path`.
    ///
    /// ```swift
    /// let policy = try GatewayPolicy(contentsOfFile: "policy.yaml")
    /// ```
    public init(contentsOfFile path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) else {
            throw GatewayPolicyError.syntax("the file is not UTF-8", line: nil)
        }
        try self.init(yaml: text)
    }

    private static func rule(_ node: Node) throws(GatewayPolicyError) -> Rule {
        guard let mapping = node.mapping else { throw .invalid("a rule is a mapping with `path` and `require`", line: line(node)) }
        var pattern: PathPattern?
        var methods: Set<String>?
        var requirement: Requirement?
        for (key, value) in mapping {
            switch key.string {
            case "path":
                guard let text = value.scalar?.string, text.hasPrefix("/") else {
                    throw .invalid("`path` is a path starting with /", line: line(value))
                }
                guard PathPattern.normalize(text.replacingOccurrences(of: "*", with: "x").replacingOccurrences(of: "?", with: "x")) != nil
                else {
                    throw .invalid("`path` \(text) would never match a normalized request path", line: line(value))
                }
                pattern = PathPattern(text)
            case "methods":
                guard let list = value.sequence, !list.isEmpty else { throw .invalid("`methods` is a non-empty list", line: line(value)) }
                var set: Set<String> = []
                for item in list {
                    guard let method = item.scalar?.string, !method.isEmpty, method.allSatisfy({ $0.isLetter && $0.isASCII }) else {
                        throw .invalid("`methods` holds HTTP method names such as GET", line: line(item))
                    }
                    set.insert(method.uppercased())
                }
                methods = set
            case "require":
                requirement = try self.requirement(value)
            default:
                throw .invalid("unknown key `\(key.string ?? "?")` in a rule (expected path, methods, require)", line: line(key))
            }
        }
        guard let pattern else { throw .invalid("a rule needs `path`", line: line(node)) }
        guard let requirement else { throw .invalid("the rule for \(pattern) needs `require`", line: line(node)) }
        return Rule(pattern: pattern, methods: methods, requirement: requirement, line: line(node) ?? 0)
    }

    private static func simpleRequirement(_ word: String) -> Requirement? {
        switch word {
        case "public": .public
        case "authenticated": .authenticated
        case "staff": .staff
        case "superuser": .superuser
        case "deny": .deny
        default: nil
        }
    }

    private static func requirement(_ node: Node) throws(GatewayPolicyError) -> Requirement {
        if let word = node.scalar?.string {
            guard let requirement = simpleRequirement(word) else {
                throw .invalid(
                    "unknown requirement `\(word)` (expected public, authenticated, staff, superuser, deny, or a mapping)",
                    line: line(node)
                )
            }
            return requirement
        }
        guard let mapping = node.mapping, mapping.count == 1, let (key, value) = mapping.first else {
            throw .invalid("`require` is a word or a mapping with one of permissions, any_permissions, groups", line: line(node))
        }
        guard let list = value.sequence, !list.isEmpty else {
            throw .invalid("`\(key.string ?? "?")` is a non-empty list", line: line(value))
        }
        var names: [String] = []
        for item in list {
            guard let name = item.scalar?.string, !name.isEmpty else { throw .invalid("names are text", line: line(item)) }
            names.append(name)
        }
        switch key.string {
        case "permissions", "any_permissions":
            for (item, name) in zip(list, names) {
                let parts = name.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw .invalid("permission `\(name)` is not app_label.codename", line: line(item))
                }
            }
            return key.string == "permissions" ? .allPermissions(names) : .anyPermissions(names)
        case "groups":
            return .groups(names)
        default:
            throw .invalid("unknown requirement `\(key.string ?? "?")` (expected permissions, any_permissions, groups)", line: line(key))
        }
    }

    private static func line(_ node: Node) -> Int? { node.mark.map { $0.line } }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }
}
