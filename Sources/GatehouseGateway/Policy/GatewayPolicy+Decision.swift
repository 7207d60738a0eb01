public import Gatehouse

/// What a policy decided for one request, and why.
///
/// ```swift
/// let decision = try await policy.decide(path: "/secret/", method: "GET", account: user, checker: checker) { ["editors"] }
/// if decision.outcome == .loginRequired { ... }
/// ```
public struct GatewayDecision: Sendable, Hashable {
    /// The answer: the domain's ``Gatehouse/AccessOutcome``.
    public typealias Outcome = AccessOutcome

    /// The answer.
    public var outcome: Outcome
    /// The rule that decided, or `nil` for the default.
    public var rule: GatewayPolicy.Rule?
    /// The requirement that was applied.
    public var requirement: GatewayPolicy.Requirement
    /// The `hosts:` section the request's host fell in, if any (its default and upstream apply).
    public var site: GatewayPolicy.Site?

    /// One line for logs and `gatehouse policy explain`.
    public var explanation: String {
        let source = rule.map { rule in
            rule.line > 0 ? "rule at line \(rule.line) (\(rule.pattern)\(rule.conditions))" : "rule \(rule.pattern)\(rule.conditions)"
        } ?? (site.map { $0.defaultRequirement == nil ? "the default" : ($0.line > 0 ? "the default of the hosts at line \($0.line)" : "the default of its hosts") }
            ?? "the default")
        return "\(outcome.rawValue): \(source) requires \(requirement)"
    }
}

extension GatewayPolicy {
    /// Decides a request for `path` (normalized) and `method` by `account` (an ``AnonymousUser``
    /// when not logged in): the rule's requirement, decided by
    /// ``Gatehouse/AccessRequirement/outcome(for:checker:groups:)`` like every other access decision.
    /// `groups` is asked only for group requirements.
    public func decide(
        path: String,
        method: String,
        account: any UserAccount,
        checker: PermissionChecker,
        groups: () async throws -> Set<String>
    ) async throws -> GatewayDecision {
        try await decide(path: path, method: method, host: nil, client: nil, account: account, checker: checker, groups: groups)
    }

    /// Decides a request for `path` and `method` on `host` (the `Host` value) from `client` (the
    /// client's address as the trusted-proxy configuration resolved it): rules limited to hosts or
    /// networks count only when these match, and a `hosts:` section's default replaces the file's.
    ///
    /// ```swift
    /// let decision = try await policy.decide(
    ///     path: "/admin/", method: "GET", host: "wiki.example.com", client: IPAddress("10.0.0.7"),
    ///     account: user, checker: checker) { [] }
    /// ```
    public func decide(
        path: String,
        method: String,
        host: String?,
        client: IPAddress?,
        account: any UserAccount,
        checker: PermissionChecker,
        groups: () async throws -> Set<String>
    ) async throws -> GatewayDecision {
        let rule = rule(for: path, method: method, host: host, client: client)
        let site = site(forHost: host)
        let requirement = rule?.requirement ?? site?.defaultRequirement ?? defaultRequirement
        let outcome = try await requirement.outcome(for: account, checker: checker, groups: groups)
        return GatewayDecision(outcome: outcome, rule: rule, requirement: requirement, site: site)
    }
}
