public import Gatehouse

/// Who may reach which paths when Gatehouse stands in front of another application: rules that
/// match a path prefix or glob (and optionally methods), each with a requirement, and a default for
/// everything else.
///
/// The most specific matching rule decides: the one with the most literal characters in its
/// pattern; on a tie, one that names methods beats one that does not, then the earlier rule.
///
/// ```swift
/// let policy = try GatewayPolicy(yaml: """
///     default: authenticated
///     rules:
///       - path: /static/
///         require: public
///     """)
/// let rule = policy.rule(for: "/static/app.css", method: "GET")   // the public rule
/// ```
public struct GatewayPolicy: Sendable {
    /// What a request needs: the domain's ``Gatehouse/AccessRequirement`` (a policy file writes the
    /// kinds public, authenticated, staff, superuser, deny, permissions, any_permissions, groups).
    public typealias Requirement = AccessRequirement

    /// One rule of the file.
    public struct Rule: Sendable, Hashable {
        /// The path prefix or glob.
        public var pattern: PathPattern
        /// Upper-case methods the rule is limited to; `nil` for every method.
        public var methods: Set<String>?
        /// What a matching request needs.
        public var requirement: Requirement
        /// The line of the file the rule starts on (0 for rules made in code).
        public var line: Int
        /// The `Host` names the rule is limited to (matched as ``Gatehouse/AllowedHosts`` matches:
        /// case, port and a trailing dot ignored, `.example.com` for the domain and its
        /// subdomains); `nil` for every host. Rules of a `hosts:` section have the section's.
        public var hosts: AllowedHosts?
        /// The client networks the rule is limited to, matched against the client's address as
        /// the trusted-proxy configuration resolved it; `nil` for every client.
        public var networks: [IPNetwork]?

        /// Creates a rule.
        ///
        /// ```swift
        /// let rule = GatewayPolicy.Rule(pattern: PathPattern("/static/"), requirement: .public)
        /// ```
        public init(
            pattern: PathPattern, methods: Set<String>? = nil, requirement: Requirement, line: Int = 0, hosts: AllowedHosts? = nil,
            networks: [IPNetwork]? = nil
        ) {
            self.pattern = pattern
            self.methods = methods.map { Set($0.map { $0.uppercased() }) }
            self.requirement = requirement
            self.line = line
            self.hosts = hosts
            self.networks = networks
        }

        /// How many of methods, hosts and networks the rule names: on a tie in path specificity,
        /// the rule with more conditions decides.
        var conditionCount: Int { (methods == nil ? 0 : 1) + (hosts == nil ? 0 : 1) + (networks == nil ? 0 : 1) }

        func matches(path: String, method: String, caseSensitive: Bool, host: String?, client: IPAddress?) -> Bool {
            if let methods, !methods.contains(method.uppercased()) { return false }
            if let hosts, !(host.map { hosts.allows(host: $0) } ?? false) { return false }
            if let networks, !(client.map { address in networks.contains { $0.contains(address) } } ?? false) { return false }
            return pattern.matches(exactly: path, pattern: caseSensitive ? pattern.text : pattern.folded)
        }

        /// The rule's conditions besides its path, for explanations: ` GET,HEAD host a.example
        /// networks 10.0.0.0/8`.
        var conditions: String {
            var text = methods.map { " " + $0.sorted().joined(separator: ",") } ?? ""
            if let hosts { text += " host " + hosts.patterns.joined(separator: ",") }
            if let networks { text += " networks " + networks.map(\.description).joined(separator: ",") }
            return text
        }
    }

    /// What a request needs when no rule matches (`authenticated` unless the file says otherwise).
    public var defaultRequirement: Requirement
    /// The rules, in the file's order.
    public var rules: [Rule]
    /// Whether paths match with their letters' case (`case_sensitive: true`); by default they do
    /// not, so `/ADMIN/` falls under a rule for `/admin/`.
    public var caseSensitive: Bool
    /// The `hosts:` sections: one application each, with its own upstream and default. (Their
    /// rules are in ``rules``, limited to the section's hosts.)
    public var sites: [Site] = []

    /// A `hosts:` section of the file: the hosts it is about, the application that serves them,
    /// and what their requests need when no rule matches.
    ///
    /// ```swift
    /// let site = GatewayPolicy.Site(hosts: AllowedHosts(["wiki.example.com"]), upstream: "http://127.0.0.1:3001")
    /// ```
    public struct Site: Sendable, Hashable {
        /// The `Host` names of the section.
        public var hosts: AllowedHosts
        /// The application for these hosts (`http://host:port`); `nil` for the `--upstream`.
        public var upstream: String?
        /// What these hosts' requests need when no rule matches; `nil` for the file's default.
        public var defaultRequirement: Requirement?
        /// The line the section starts on (0 for sections made in code).
        public var line: Int

        /// Creates a section.
        public init(hosts: AllowedHosts, upstream: String? = nil, defaultRequirement: Requirement? = nil, line: Int = 0) {
            self.hosts = hosts
            self.upstream = upstream
            self.defaultRequirement = defaultRequirement
            self.line = line
        }
    }

    /// The first `hosts:` section for `host` (a `Host` value), if any.
    ///
    /// ```swift
    /// let upstream = policy.site(forHost: "wiki.example.com")?.upstream
    /// ```
    public func site(forHost host: String?) -> Site? {
        guard let host else { return nil }
        return sites.first { $0.hosts.allows(host: host) }
    }

    /// Creates a policy in code.
    ///
    /// ```swift
    /// let policy = GatewayPolicy(defaultRequirement: .authenticated, rules: [rule])
    /// ```
    public init(defaultRequirement: Requirement = .authenticated, rules: [Rule] = [], caseSensitive: Bool = false) {
        self.defaultRequirement = defaultRequirement
        self.rules = rules
        self.caseSensitive = caseSensitive
    }

    /// The rule that decides `path` (already normalized, see ``PathPattern/normalize(_:)``) for
    /// `method`, or `nil` when the default applies.
    ///
    /// ```swift
    /// policy.rule(for: "/reports/2024/pdf", method: "GET")?.line
    /// ```
    public func rule(for path: String, method: String) -> Rule? {
        rule(for: path, method: method, host: nil, client: nil)
    }

    /// The rule that decides `path` for `method` on `host` (the `Host` value) from `client` (the
    /// client's address): rules limited to other hosts or networks do not match, nor do they when
    /// the host or the address is unknown (`nil`).
    ///
    /// ```swift
    /// policy.rule(for: "/admin/", method: "GET", host: "wiki.example.com", client: IPAddress("10.1.2.3"))
    /// ```
    public func rule(for path: String, method: String, host: String?, client: IPAddress?) -> Rule? {
        var best: (rule: Rule, score: (Int, Int, Int))?
        let path = caseSensitive ? path : PathPattern.folded(path)
        for (index, rule) in rules.enumerated()
        where rule.matches(path: path, method: method, caseSensitive: caseSensitive, host: host, client: client) {
            let score = (rule.pattern.literalCount, rule.conditionCount, -index)
            if best == nil || score > best!.score { best = (rule, score) }
        }
        return best?.rule
    }
}
