public import Gatehouse

/// What a policy decided for one request, and why.
///
/// ```swift
/// let decision = try await policy.decide(path: "/secret/", method: "GET", account: user, checker: checker) { ["editors"] }
/// if decision.outcome == .loginRequired { ... }
/// ```
public struct GatewayDecision: Sendable, Hashable {
    /// The answer.
    public enum Outcome: String, Sendable, Hashable {
        /// Serve it.
        case allow
        /// Log in first (302 for a browser, 401 for an API client).
        case loginRequired = "login required"
        /// Logged in, but not allowed (403).
        case forbidden
    }

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
    /// when not logged in). `groups` is asked only for group requirements.
    ///
    /// Staff and superuser requirements need an active user, as Django's `staff_member_required`;
    /// permissions go through `checker` (so superusers have them all); group membership is
    /// membership, superusers included only when they are members.
    public func decide(
        path: String,
        method: String,
        account: any UserAccount,
        checker: PermissionChecker,
        groups: () async throws -> Set<String>
    ) async throws -> GatewayDecision {
        let rule = rule(for: path, method: method)
        let requirement = rule?.requirement ?? defaultRequirement
        func decision(_ outcome: GatewayDecision.Outcome) -> GatewayDecision {
            GatewayDecision(outcome: outcome, rule: rule, requirement: requirement)
        }
        switch requirement {
        case .public:
            return decision(.allow)
        case .deny:
            return decision(.forbidden)  // logging in would not help
        default:
            break
        }
        guard account.isAuthenticated, account.isActive else { return decision(.loginRequired) }
        let allowed: Bool
        switch requirement {
        case .public, .deny, .authenticated: allowed = requirement != .deny
        case .staff: allowed = account.isStaff
        case .superuser: allowed = account.isSuperuser
        case .allPermissions(let names): allowed = try await checker.hasPermissions(account, names)
        case .anyPermissions(let names): allowed = try await checker.hasAnyPermission(account, names)
        case .groups(let names): allowed = !Set(names).isDisjoint(with: try await groups())
        }
        return decision(allowed ? .allow : .forbidden)
    }
}
