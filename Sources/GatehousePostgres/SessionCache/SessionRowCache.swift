import Crypto
package import Foundation
package import GatehouseSQL
import Synchronization

/// Session rows kept in memory between requests, trusted only while PostgreSQL is telling this
/// process of every change (``SessionChangeListener``): each request with a cached session then
/// needs no query at all.
///
/// The rules that keep it from ever answering with a row the database no longer has:
/// - Not live (no listener, or its connection is down or not yet confirmed) means every lookup
///   misses and nothing is stored: the database answers, as it would without the cache.
/// - A row is stored only if nothing was invalidated between the start of the read that found it
///   and its storing (a generation counter): a read that raced a logout cannot put the old row back.
/// - Any write through this process clears everything before the write returns, so the instance
///   that ends a session refuses it at once; other instances drop it when the notification comes.
/// - Rows are found by the SHA-256 of the key (what the notifications name), expiry is checked on
///   every hit, and an absent row is never remembered (a session created elsewhere is found at once).
package final class SessionRowCache: Sendable {
    /// What a miss hands to ``store(_:for:)``: the key's digest and the generation the read began in.
    package struct Ticket: Sendable {
        fileprivate let digest: KeyDigest
        fileprivate let generation: UInt64
    }

    package enum Lookup: Sendable {
        case hit(SessionRow)
        /// Ask the database; store what it says with the ticket, if there is one.
        case miss(Ticket?)
    }

    private struct State {
        var live = false
        var generation: UInt64 = 0
        var rows: [KeyDigest: SessionRow] = [:]
        var lastNotification: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    /// The most rows kept; storing one more starts over from empty.
    let capacity: Int

    package init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// A session key's SHA-256, as the notifications name it: its 32 bytes as four words.
    struct KeyDigest: Hashable, Sendable {
        var words = SIMD4<UInt64>()

        init(_ bytes: some Sequence<UInt8>) {
            for (index, byte) in bytes.enumerated() where index < 32 {
                words[index / 8] = words[index / 8] << 8 | UInt64(byte)
            }
        }
    }

    static func digest(of key: String) -> KeyDigest {
        KeyDigest(SHA256.hash(data: Array(key.utf8)))
    }

    package func lookup(key: String, now: Date) -> Lookup {
        let digest = Self.digest(of: key)
        return state.withLock { state in
            guard state.live else { return .miss(nil) }
            if let row = state.rows[digest] {
                if row.expireDate > now { return .hit(row) }
                state.rows[digest] = nil
            }
            return .miss(Ticket(digest: digest, generation: state.generation))
        }
    }

    /// Keeps `row`, unless something was invalidated since the lookup that gave `ticket`.
    package func store(_ row: SessionRow, for ticket: Ticket) {
        state.withLock { state in
            guard state.live, state.generation == ticket.generation else { return }
            if state.rows.count >= capacity { state.rows.removeAll(keepingCapacity: true) }
            state.rows[ticket.digest] = row
        }
    }

    /// Forgets everything (a write by this process, or a notification that names no keys).
    package func invalidateAll() {
        state.withLock { state in
            state.generation &+= 1
            state.rows.removeAll()
        }
    }

    /// Applies one notification payload: `*`, or hex SHA-256 digests separated by commas. Anything
    /// else forgets everything.
    package func apply(notification payload: Substring) {
        var digests: [KeyDigest]? = []
        for part in payload.split(separator: ",", omittingEmptySubsequences: false) {
            guard let digest = Self.digest(hex: part) else {
                digests = nil
                break
            }
            digests?.append(digest)
        }
        let now = ContinuousClock.now
        state.withLock { state in
            state.generation &+= 1
            if let digests {
                for digest in digests { state.rows[digest] = nil }
            } else {
                state.rows.removeAll()
            }
            state.lastNotification = now
        }
    }

    /// Whether the cache may answer; either change forgets everything.
    package func setLive(_ live: Bool) {
        state.withLock { state in
            state.live = live
            state.generation &+= 1
            state.rows.removeAll()
        }
    }

    package var isLive: Bool { state.withLock { $0.live } }
    package var count: Int { state.withLock { $0.rows.count } }
    /// Whether the row under `key` is in memory.
    package func contains(key: String) -> Bool {
        let digest = Self.digest(of: key)
        return state.withLock { $0.rows[digest] != nil }
    }
    /// When the last notification was applied (how tests measure staleness without their own delays).
    package var lastNotification: ContinuousClock.Instant? { state.withLock { $0.lastNotification } }

    /// 64 lowercase hex digits as a digest; `nil` for anything else.
    static func digest(hex: Substring) -> KeyDigest? {
        let bytes = Array(hex.utf8)
        guard bytes.count == 2 * SHA256.byteCount else { return nil }
        var raw = [UInt8](repeating: 0, count: SHA256.byteCount)
        for index in 0..<SHA256.byteCount {
            guard let high = nibble(bytes[2 * index]), let low = nibble(bytes[2 * index + 1]) else { return nil }
            raw[index] = high << 4 | low
        }
        return KeyDigest(raw)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
