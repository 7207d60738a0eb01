import NIOConcurrencyHelpers

/// How many WebSockets are open, in all and per client address.
final class WebSocketCounter: Sendable {
    private let state = NIOLockedValueBox<(total: Int, perAddress: [String: Int])>((0, [:]))
    let limit: Int
    let perAddressLimit: Int

    init(limit: Int, perAddressLimit: Int) {
        self.limit = limit
        self.perAddressLimit = perAddressLimit
    }

    /// Takes a share for `address`; `nil` when either limit is reached. The closure gives it back.
    func acquire(address: String) -> (@Sendable () -> Void)? {
        let taken = state.withLockedValue { state -> Bool in
            guard state.total < limit, state.perAddress[address, default: 0] < perAddressLimit else { return false }
            state.total += 1
            state.perAddress[address, default: 0] += 1
            return true
        }
        guard taken else { return nil }
        let once = NIOLockedValueBox(false)
        return { [state] in
            guard once.withLockedValue({ done in defer { done = true }; return !done }) else { return }
            state.withLockedValue { state in
                state.total -= 1
                let left = state.perAddress[address, default: 1] - 1
                state.perAddress[address] = left > 0 ? left : nil
            }
        }
    }
}
