import Foundation
import Gatehouse
import Synchronization

/// A ``SessionStore`` that records every key it is asked about, to prove hostile keys never reach
/// storage.
final class SpySessionStore: SessionStore {
    let inner: MemorySessionStore
    private let calls = Mutex<[String]>([])

    init(inner: MemorySessionStore = MemorySessionStore()) {
        self.inner = inner
    }

    var recordedKeys: [String] { calls.withLock { $0 } }

    private func record(_ operation: String, _ key: String) {
        calls.withLock { $0.append("\(operation) \(key)") }
    }

    func load(key: String, now: Date) async throws -> SessionRecord? {
        record("load", key)
        return await inner.load(key: key, now: now)
    }

    func create(_ record: SessionRecord) async throws -> String {
        let key = try await inner.create(record)
        self.record("create", key)
        return key
    }

    func save(key: String, _ record: SessionRecord) async throws -> Bool {
        self.record("save", key)
        return await inner.save(key: key, record)
    }

    func delete(key: String) async throws -> Bool {
        record("delete", key)
        return await inner.delete(key: key)
    }

    func exists(key: String) async throws -> Bool {
        record("exists", key)
        return await inner.exists(key: key)
    }

    func clearExpired(now: Date) async throws -> Int {
        await inner.clearExpired(now: now)
    }
}

/// Session keys a client might send that must never reach a store.
enum HostileSessionKeys {
    static let all: [String] = [
        "",
        "a",
        "abcdefg",
        String(repeating: "a", count: 41),
        String(repeating: "a", count: 4096),
        String(repeating: "é", count: 20),
        "ключключключключ",
        "ABCDEFGHIJKLMNOP",
        "abcdefgh ijklmnop",
        "abcdefgh'; DROP TABLE django_session; --",
        "abcdefgh\u{0}ijklmnop",
        "abcdefgh%00ijklmnop",
        "../../../../etc/passwd",
        "abcdefgh\nSet-Cookie: x=y",
        "abcdefghijklmnopqrstuvwxyz01234😀",
    ]
}

/// Keys made by a fixed list, for collision tests.
final class ScriptedKeys: Sendable {
    private let keys: Mutex<[String]>

    init(_ keys: [String]) {
        self.keys = Mutex(keys)
    }

    func next() -> String {
        keys.withLock { keys in keys.isEmpty ? "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" : keys.removeFirst() }
    }
}

extension SessionCookieUpdate.Action {
    /// The cookie value of a `.set`.
    var setValue: String? {
        if case .set(let value, _, _) = self { return value }
        return nil
    }

    var maxAge: Int?? {
        if case .set(_, let maxAge, _) = self { return .some(maxAge) }
        return nil
    }
}
