import Gatehouse

/// One request's decision under the policy in force, shared by the proxy's middleware and the
/// forward-auth endpoint: the user's groups are fetched at most once, and only when a group
/// requirement or the caller needs them.
struct GatewayAccess: Sendable {
    let policy: PolicyHolder
    let checker: PermissionChecker
    let groups: any GroupStore

    /// The user's group names (none for anonymous visitors).
    func groupNames(of account: any UserAccount) async throws -> [String] {
        guard account.isAuthenticated, let id = account.userID else { return [] }
        return try await groups.groups(ofUser: id).map(\.name)
    }

    /// Decides `path` (decoded, see ``PathPattern/decoded(_:)``) for `method` on `host` from
    /// `client` (the address the trusted-proxy configuration resolved, as text) and `account`;
    /// also returns the group names when the decision fetched them.
    func decide(
        path: String, method: String, host: String?, client: String?, account: any UserAccount
    ) async throws -> (decision: GatewayDecision, groups: [String]?) {
        var fetched: [String]?
        let address = client.flatMap { IPAddress($0) }
        let decision = try await policy.policy.decide(
            path: path, method: method, host: host, client: address, account: account, checker: checker
        ) {
            let names = try await groupNames(of: account)
            fetched = names
            return Set(names)
        }
        return (decision, fetched)
    }
}
