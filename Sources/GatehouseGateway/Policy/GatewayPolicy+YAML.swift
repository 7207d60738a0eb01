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
        var sites: [Site] = []
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
            case "hosts":
                guard let sequence = value.sequence else { throw .invalid("`hosts` is a list of sections", line: Self.line(value)) }
                for item in sequence {
                    let (site, siteRules) = try Self.site(item)
                    sites.append(site)
                    rules += siteRules
                }
            default:
                throw .invalid("unknown key `\(key.string ?? "?")` (expected default, rules, hosts, case_sensitive)", line: Self.line(key))
            }
        }
        self.init(defaultRequirement: defaultRequirement, rules: rules, caseSensitive: caseSensitive)
        self.sites = sites
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

    /// A `hosts:` section and its rules (limited to its hosts).
    private static func site(_ node: Node) throws(GatewayPolicyError) -> (Site, [Rule]) {
        guard let mapping = node.mapping else {
            throw .invalid("a `hosts` section is a mapping with `host` and `upstream`, `default` or `rules`", line: line(node))
        }
        var hosts: AllowedHosts?
        var upstream: String?
        var defaultRequirement: Requirement?
        var ruleNodes: [Node] = []
        for (key, value) in mapping {
            switch key.string {
            case "host":
                hosts = try self.hosts(value)
            case "upstream":
                guard let text = value.scalar?.string, (try? GatewayProxyConfiguration(upstream: text)) != nil else {
                    throw .invalid("`upstream` is http://host:port (no path)", line: line(value))
                }
                upstream = try? GatewayProxyConfiguration(upstream: text).upstream
            case "default":
                guard let word = value.scalar?.string, let requirement = simpleRequirement(word), requirement != .staff,
                    requirement != .superuser
                else {
                    throw .invalid("`default` is one of authenticated, public, deny", line: line(value))
                }
                defaultRequirement = requirement
            case "rules":
                guard let sequence = value.sequence else { throw .invalid("`rules` is a list", line: line(value)) }
                ruleNodes = Array(sequence)
            default:
                throw .invalid("unknown key `\(key.string ?? "?")` in a hosts section (expected host, upstream, default, rules)", line: line(key))
            }
        }
        guard let hosts else { throw .invalid("a `hosts` section needs `host`", line: line(node)) }
        var rules: [Rule] = []
        for item in ruleNodes {
            var rule = try self.rule(item)
            guard rule.hosts == nil else {
                throw .invalid("a rule in a `hosts` section has the section's hosts: no `host` of its own", line: line(item))
            }
            rule.hosts = hosts
            rules.append(rule)
        }
        return (Site(hosts: hosts, upstream: upstream, defaultRequirement: defaultRequirement, line: line(node) ?? 0), rules)
    }

    /// `host: wiki.example.com` or `host: [a.example, .b.example]`: names as `--allowed-host`
    /// takes them (no port, no `*`).
    private static func hosts(_ node: Node) throws(GatewayPolicyError) -> AllowedHosts {
        let items = node.sequence.map { Array($0) } ?? [node]
        guard !items.isEmpty else { throw .invalid("`host` is a host name or a non-empty list of them", line: line(node)) }
        var patterns: [String] = []
        for item in items {
            guard let text = item.scalar?.string, !text.isEmpty else { throw .invalid("`host` holds host names", line: line(item)) }
            let name = text.hasPrefix(".") ? String(text.dropFirst()) : text
            guard !name.isEmpty, let domain = AllowedHosts.domain(ofHost: name), domain == name.lowercased(), !name.hasSuffix(".") else {
                throw .invalid(
                    "`host` \(text) is not a host name or address without a port (`example.com`, `.example.com` for subdomains, `[::1]`)",
                    line: line(item)
                )
            }
            patterns.append(text.lowercased())
        }
        return AllowedHosts(patterns)
    }

    /// `networks: [10.0.0.0/8, 192.168.1.7, fd00::/8]`.
    private static func networks(_ node: Node) throws(GatewayPolicyError) -> [IPNetwork] {
        guard let list = node.sequence, !list.isEmpty else {
            throw .invalid("`networks` is a non-empty list of addresses or CIDR ranges", line: line(node))
        }
        var networks: [IPNetwork] = []
        for item in list {
            guard let text = item.scalar?.string else { throw .invalid("`networks` holds addresses or CIDR ranges", line: line(item)) }
            do {
                networks.append(try IPNetwork(text))
            } catch {
                throw .invalid("`networks`: \(error)", line: line(item))
            }
        }
        return networks
    }

    private static func rule(_ node: Node) throws(GatewayPolicyError) -> Rule {
        guard let mapping = node.mapping else { throw .invalid("a rule is a mapping with `path` and `require`", line: line(node)) }
        var pattern: PathPattern?
        var methods: Set<String>?
        var requirement: Requirement?
        var hosts: AllowedHosts?
        var networks: [IPNetwork]?
        for (key, value) in mapping {
            switch key.string {
            case "host":
                hosts = try self.hosts(value)
            case "networks":
                networks = try self.networks(value)
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
                throw .invalid(
                    "unknown key `\(key.string ?? "?")` in a rule (expected path, methods, host, networks, require)", line: line(key)
                )
            }
        }
        guard let pattern else { throw .invalid("a rule needs `path`", line: line(node)) }
        guard let requirement else { throw .invalid("the rule for \(pattern) needs `require`", line: line(node)) }
        return Rule(pattern: pattern, methods: methods, requirement: requirement, line: line(node) ?? 0, hosts: hosts, networks: networks)
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
