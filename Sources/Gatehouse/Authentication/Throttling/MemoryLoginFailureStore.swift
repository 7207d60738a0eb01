public import Foundation

/// A ``LoginFailureStore`` in memory: for tests and single-process servers (counts are lost on
/// restart and not shared between processes; `GatehouseSQL`'s store shares them).
///
/// ```swift
/// let throttle = LoginThrottle(store: MemoryLoginFailureStore())
/// ```
public actor MemoryLoginFailureStore: LoginFailureStore {
    private struct Failure {
        var username: String
        var address: String
        var date: Date
    }

    private var failures: [Failure] = []

    /// Creates an empty store.
    ///
    /// ```swift
    /// let store = MemoryLoginFailureStore()
    /// ```
    public init() {}

    /// How many failures the store holds, old ones included.
    ///
    /// ```swift
    /// let held = await store.count
    /// ```
    public var count: Int { failures.count }

    /// Records a failure and forgets at most ``LoginFailureStoreLimits/pruneBatch`` older than `cutoff`.
    public func recordFailure(username: String, address: String, at date: Date, pruningBefore cutoff: Date) {
        var pruned = 0
        failures.removeAll { failure in
            guard pruned < LoginFailureStoreLimits.pruneBatch, failure.date < cutoff else { return false }
            pruned += 1
            return true
        }
        failures.append(Failure(username: username, address: address, date: date))
    }

    /// The failures under `key` since `since`.
    public func failures(for key: LoginFailureKey, since: Date, nthNewest: Int) -> LoginFailureWindow {
        let dates = failures.filter { $0.date >= since && Self.matches($0, key) }.map(\.date).sorted(by: >)
        let nth = nthNewest >= 1 && dates.count >= nthNewest ? dates[nthNewest - 1] : nil
        return LoginFailureWindow(count: dates.count, nthNewest: nth)
    }

    /// Every key of `kind` with failures since `since`.
    public func failureGroups(_ kind: LoginFailureKey.Kind, since: Date) -> [LoginFailureGroup] {
        var groups: [LoginFailureKey: (count: Int, newest: Date)] = [:]
        for failure in failures where failure.date >= since {
            let key: LoginFailureKey
            switch kind {
            case .usernameAndAddress: key = .usernameAndAddress(username: failure.username, address: failure.address)
            case .address: key = .address(failure.address)
            case .username: key = .username(failure.username)
            }
            let previous = groups[key]
            groups[key] = ((previous?.count ?? 0) + 1, max(previous?.newest ?? failure.date, failure.date))
        }
        return groups.map { LoginFailureGroup(key: $0.key, count: $0.value.count, newest: $0.value.newest) }
            .sorted { ($0.count, $1.key.sortText) > ($1.count, $0.key.sortText) }
    }

    /// Deletes the matching failures.
    public func deleteFailures(username: String?, address: String?) -> Int {
        let before = failures.count
        failures.removeAll { failure in
            (username.map { $0 == failure.username } ?? true) && (address.map { $0 == failure.address } ?? true)
        }
        return before - failures.count
    }

    private static func matches(_ failure: Failure, _ key: LoginFailureKey) -> Bool {
        switch key {
        case .usernameAndAddress(let username, let address): failure.username == username && failure.address == address
        case .address(let address): failure.address == address
        case .username(let username): failure.username == username
        }
    }
}

extension LoginFailureKey {
    /// The order groups with equal counts are listed in: username, then address.
    var sortText: String { "\(username ?? "")\u{0}\(address ?? "")" }
}
