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

        /// Creates a rule.
        ///
        /// ```swift
        /// let rule = GatewayPolicy.Rule(pattern: PathPattern("/static/"), requirement: .public)
        /// ```
        public init(pattern: PathPattern, methods: Set<String>? = nil, requirement: Requirement, line: Int = 0) {
            self.pattern = pattern
            self.methods = methods.map { Set($0.map { $0.uppercased() }) }
            self.requirement = requirement
            self.line = line
        }

        func matches(path: String, method: String, caseSensitive: Bool) -> Bool {
            if let methods, !methods.contains(method.uppercased()) { return false }
            return pattern.matches(exactly: path, pattern: caseSensitive ? pattern.text : pattern.folded)
        }
    }

    /// What a request needs when no rule matches (`authenticated` unless the file says otherwise).
    public var defaultRequirement: Requirement
    /// The rules, in the file's order.
    public var rules: [Rule]
    /// Whether paths match with their letters' case (`case_sensitive: true`); by default they do
    /// not, so `/ADMIN/` falls under a rule for `/admin/`.
    public var caseSensitive: Bool

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
        var best: (rule: Rule, score: (Int, Int, Int))?
        let path = caseSensitive ? path : path.lowercased()
        for (index, rule) in rules.enumerated() where rule.matches(path: path, method: method, caseSensitive: caseSensitive) {
            let score = (rule.pattern.literalCount, rule.methods == nil ? 0 : 1, -index)
            if best == nil || score > best!.score { best = (rule, score) }
        }
        return best?.rule
    }
}
