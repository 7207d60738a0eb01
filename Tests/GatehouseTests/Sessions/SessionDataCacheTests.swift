import Foundation
import Gatehouse
import Testing

@Suite("Session data cache")
struct SessionDataCacheTests {
    @Test func onlyVerifiedTextsAreRememberedAndTamperingStillFails() throws {
        let keys = try SigningKeys(secretKey: "session-data-cache-secret-0123456789abcdef")
        let cache = SessionDataCache(maximumEntries: 3)
        let codec = SessionDataCodec(keys: keys, cache: cache)
        let text = codec.encode(["_auth_user_id": "7"], at: Date())
        #expect(try codec.decode(text) == ["_auth_user_id": "7"])
        #expect(cache.count == 1)
        #expect(cache.data(for: text) == ["_auth_user_id": "7"])
        #expect(try codec.decode(text) == ["_auth_user_id": "7"], "answered from the cache")

        var tampered = Array(text)
        tampered[3] = tampered[3] == "a" ? "b" : "a"
        #expect(throws: SigningError.self) { try codec.decode(String(tampered)) }
        #expect(cache.count == 1, "a text that did not verify is never remembered")
        let otherKeys = SessionDataCodec(keys: try SigningKeys(secretKey: "another-secret-key-0123456789abcdefghijkl"), cache: SessionDataCache())
        #expect(throws: SigningError.self) { try otherKeys.decode(text) }

        for index in 0..<10 { _ = try codec.decode(codec.encode(["i": .int(index)], at: Date())) }
        #expect(cache.count <= 3, "bounded")
    }
}
