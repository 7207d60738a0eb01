/// The bookkeeping shared by ``PermissionCache`` and ``UserCache``: values kept with the data
/// version they were read at, answered only at exactly that version, and at most `limit` of them
/// (the least recently used tenth goes when full). Not thread-safe: the caches hold it in a mutex.
struct VersionedCacheState<Key: Hashable, Value> {
    private struct Entry {
        var value: Value
        var version: UInt64
        var lastUse: UInt64
    }

    private var entries: [Key: Entry] = [:]
    private var tick: UInt64 = 0
    private(set) var hits = 0
    private(set) var misses = 0

    var count: Int { entries.count }

    mutating func value(for key: Key, at version: UInt64) -> Value? {
        tick &+= 1
        guard let index = entries.index(forKey: key), entries.values[index].version == version else {
            misses += 1
            return nil
        }
        // In place: one hash lookup per hit.
        entries.values[index].lastUse = tick
        hits += 1
        return entries.values[index].value
    }

    mutating func store(_ value: Value, for key: Key, at version: UInt64, limit: Int) {
        tick &+= 1
        if let existing = entries[key], existing.version > version { return }
        if entries[key] == nil, entries.count >= limit {
            let drop = max(1, limit / 10)
            for old in entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }).prefix(drop) {
                entries.removeValue(forKey: old.key)
            }
        }
        entries[key] = Entry(value: value, version: version, lastUse: tick)
    }

    mutating func removeAll() {
        entries.removeAll()
    }
}
