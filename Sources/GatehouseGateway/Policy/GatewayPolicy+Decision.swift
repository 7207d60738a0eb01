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

    /// One line for logs and `gatehouse policy explain`.
    public var explanation: String {
        let source = rule.map { rule in
            let methods = rule.methods.map { " " + $0.sorted().joined(separator: ",") } ?? ""
            return rule.line > 0 ? "rule at line \(rule.line) (\(rule.pattern)\(methods))" : "rule \(rule.pattern)\(methods)"
        } ?? "the default"
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
        let rule = rule(for: path, method: method)
        let requirement = rule?.requirement ?? defaultRequirement
        let outcome = try await requirement.outcome(for: account, checker: checker, groups: groups)
        return GatewayDecision(outcome: outcome, rule: rule, requirement: requirement)
    }
}
