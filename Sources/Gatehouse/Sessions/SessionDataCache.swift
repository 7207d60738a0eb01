/// Session data texts that already verified, with what they decoded to, limited in size.
///
/// The key is the whole signed text, so a hit is exactly the text that verified before under the
/// same keys: nothing unverified is ever returned, and a changed session (a new text) is decoded
/// afresh. Saves the HMAC, the decompression and the JSON parsing on every request of a session
/// whose data did not change. The least recently used tenth goes when it is full.
///
/// ```swift
/// let codec = SessionDataCodec(keys: keys, cache: SessionDataCache(maximumEntries: 10_000))
/// ```
package final class SessionDataCache: Sendable {
    /// The most texts kept.
    package var maximumEntries: Int { memo.limit }
    private let memo: BoundedMemo<String, [String: JSONValue]>

    /// Creates an empty cache.
    package init(maximumEntries: Int = 10_000) {
        memo = BoundedMemo(limit: maximumEntries)
    }

    /// What `text` decoded to, when it verified before.
    ///
    /// ```swift
    /// let known = SessionDataCache().data(for: text)   // nil: decode and verify it
    /// ```
    package func data(for text: String) -> [String: JSONValue]? {
        let found = memo.value(for: text)
        DomainMetrics.shared.countSessionCache(hit: found != nil)
        return found
    }

    /// Remembers what `text` decoded to; call only after it verified.
    ///
    /// ```swift
    /// SessionDataCache().store(data, for: text)
    /// ```
    package func store(_ data: [String: JSONValue], for text: String) {
        memo.store(data, for: text)
    }

    /// How many texts are kept now.
    package var count: Int { memo.count }
}
