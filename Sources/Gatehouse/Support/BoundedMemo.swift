import Synchronization

/// Remembered values, at most `limit` of them (the least recently used tenth goes when full), safe
/// to share between requests: the memo behind the session-data cache, the session-hash memo and
/// the rendered 403 page.
package final class BoundedMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The most values kept.
    package let limit: Int
    private let state = Mutex(VersionedCacheState<Key, Value>())

    /// Creates an empty memo.
    package init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// The value remembered for `key`.
    package func value(for key: Key) -> Value? {
        state.withLock { $0.value(for: key, at: 0) }
    }

    /// Remembers `value` for `key`.
    package func store(_ value: Value, for key: Key) {
        let limit = limit
        state.withLock { $0.store(value, for: key, at: 0, limit: limit) }
    }

    /// How many values are kept now.
    package var count: Int { state.withLock { $0.count } }
}
