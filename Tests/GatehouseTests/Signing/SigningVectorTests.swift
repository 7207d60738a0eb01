import Foundation
import Gatehouse
import GatehouseTesting
import Testing

/// Every vector of signing-vectors.json, in both directions where that makes sense: Gatehouse reads
/// what Django wrote, and what Gatehouse writes for the same input is byte for byte what Django wrote.
@Suite("Django signing vectors")
struct SigningVectorTests {
    static var vectors: SigningVectors? { SigningFixtures.vectors }

    @Test("the fixture file loads and is complete")
    func fixtureLoads() throws {
        let vectors = try SigningFixtures.load()
        #expect(!vectors.signer.isEmpty)
        #expect(!vectors.dumps.isEmpty)
        #expect(vectors.db_sessions.count >= 8)
        #expect(vectors.cookie_sessions.count >= 8)
        #expect(vectors.loads.contains { $0.expect == "bad_signature" })
        #expect(vectors.loads.contains { $0.expect == "expired" })
        #expect(vectors.loads.contains { $0.expect == "malformed" })
        #expect(vectors.db_sessions.contains { $0.compressed })
        #expect(vectors.db_sessions.contains { !$0.compressed })
    }

    @Test("salts and defaults match Django's")
    func facts() throws {
        let facts = try SigningFixtures.required().facts
        #expect(SessionDataCodec.databaseSalt == facts.db_salt)
        #expect(SessionDataCodec.databaseSalt == facts.cached_db_salt)
        #expect(SignedCookieSessionCodec.salt == facts.cookie_salt)
        #expect(Signing.defaultSalt == facts.dumps_salt)
        #expect(Signer.defaultSalt == facts.signer_default_salt)
        #expect(TimestampSigner.defaultSalt == facts.timestamp_signer_default_salt)
        #expect(facts.default_algorithm == "sha256")
        #expect(Signer(keys: try SigningFixtures.keys).algorithm == .sha256)
        #expect(SessionKey.generatedLength == facts.session_key_length)
        #expect(SessionKey.maximumLength == facts.session_key_max_length)
        #expect(String(RandomString.lowercaseAlphanumerics) == facts.session_key_chars)
        #expect(facts.session_serializer == "django.contrib.sessions.serializers.JSONSerializer")
        let configuration = SessionConfiguration()
        #expect(configuration.cookieName == facts.cookie_name)
        #expect(configuration.cookieAge == facts.cookie_age)
        #expect(configuration.expireAtBrowserClose == facts.expire_at_browser_close)
        #expect(configuration.saveEveryRequest == facts.save_every_request)
    }

    @Test("base 62 both ways")
    func base62() throws {
        for vector in try SigningFixtures.required().base62 {
            #expect(Base62.encode(vector.value) == vector.encoded)
            #expect(Base62.decode(vector.encoded) == vector.value)
        }
    }

    @Test("unpadded URL-safe base64 both ways")
    func base64() throws {
        for vector in try SigningFixtures.required().base64 {
            let bytes = signingBytes(hex: vector.hex)
            #expect(Base64URL.encode(bytes) == vector.encoded)
            #expect(Base64URL.decode(vector.encoded) == bytes)
        }
    }

    @Test("JSONSerializer text", arguments: vectors?.json ?? [])
    func json(_ vector: SigningVectors.JSONText) throws {
        let value = try SigningFixtures.parse(vector.text)
        if vector.writes_same {
            #expect(value.serialized() == vector.text)
        } else if case .double(let number) = value, number.isNaN {
            #expect(value.serialized() == "NaN")
        } else {
            // Written differently (key order, integer precision), but it reads back the same.
            #expect(try SigningFixtures.parse(value.serialized()) == value)
        }
    }

    @Test("Signer", arguments: vectors?.signer ?? [])
    func signer(_ vector: SigningVectors.SignerVector) throws {
        let keys = try SigningKeys(secretKey: vector.key)
        let algorithm: SaltedHMAC.Algorithm = vector.algorithm == "sha1" ? .sha1 : .sha256
        let signer = try Signer(keys: keys, salt: vector.salt, algorithm: algorithm, separator: vector.sep)
        #expect(signer.salt == vector.effective_salt)
        #expect(signer.signature(vector.value) == vector.signature)
        #expect(signer.sign(vector.value) == vector.signed)
        #expect(try signer.unsign(vector.signed) == vector.value)
        if vector.sep == ":" {
            #expect(Signer(keys: keys, salt: vector.salt, algorithm: algorithm).sign(vector.value) == vector.signed)
        }
    }

    @Test("TimestampSigner", arguments: vectors?.timestamp_signer ?? [])
    func timestampSigner(_ vector: SigningVectors.TimestampSignerVector) throws {
        let clock = ManualClock(Date(timeIntervalSince1970: TimeInterval(vector.timestamp) + 0.75))
        let signer = TimestampSigner(keys: try SigningKeys(secretKey: vector.key), salt: vector.salt, clock: clock)
        #expect(signer.salt == vector.effective_salt)
        #expect(signer.timestamp() == vector.encoded_timestamp)
        #expect(signer.sign(vector.value) == vector.signed)
        let (value, signedAt) = try signer.unsignTimestamped(vector.signed, maxAge: 1)
        #expect(value == vector.value)
        #expect(signedAt == Date(timeIntervalSince1970: TimeInterval(vector.timestamp)))
    }

    @Test("signing.dumps / loads", arguments: vectors?.dumps ?? [])
    func dumps(_ vector: SigningVectors.DumpsVector) throws {
        let keys = try SigningKeys(secretKey: vector.key)
        let clock = ManualClock(Date(timeIntervalSince1970: TimeInterval(vector.timestamp)))
        let expected = try SigningFixtures.parse(vector.json)
        let loaded = try Signing.loads(vector.signed, keys: keys, salt: vector.salt, clock: clock)
        #expect(loaded.serialized() == expected.serialized())
        #expect(loaded == expected || expected.serialized().contains("NaN"))
        let ours = Signing.dumps(expected, keys: keys, salt: vector.salt, compress: vector.compress, clock: clock)
        #expect(ours == vector.signed, "Gatehouse writes what Django writes")
        #expect(ours.hasPrefix(".") == vector.compressed)
    }

    @Test("database session_data", arguments: vectors?.db_sessions ?? [])
    func databaseSession(_ vector: SigningVectors.DatabaseSession) throws {
        let codec = SessionDataCodec(keys: try SigningKeys(secretKey: vector.secret_key))
        let expected = try SigningFixtures.object(vector.json)
        #expect(try codec.decode(vector.session_data) == expected)
        let ours = codec.encode(expected, at: Date(timeIntervalSince1970: TimeInterval(vector.timestamp)))
        #expect(ours == vector.session_data, "Gatehouse writes what Django writes")
        #expect(ours.hasPrefix(".") == vector.compressed)
    }

    @Test("signed_cookies session values", arguments: vectors?.cookie_sessions ?? [])
    func cookieSession(_ vector: SigningVectors.CookieSession) throws {
        let codec = SignedCookieSessionCodec(keys: try SigningKeys(secretKey: vector.secret_key))
        let expected = try SigningFixtures.object(vector.json)
        let signedAt = Date(timeIntervalSince1970: TimeInterval(vector.timestamp))
        let decoded = try codec.decode(vector.cookie, now: signedAt.addingTimeInterval(30), maxAge: 1_209_600)
        #expect(decoded.data == expected)
        #expect(decoded.signedAt == signedAt)
        #expect(codec.encode(expected, at: signedAt) == vector.cookie, "Gatehouse writes what Django writes")
        #expect(throws: SigningError.expired) {
            try codec.decode(vector.cookie, now: signedAt.addingTimeInterval(1_209_601), maxAge: 1_209_600)
        }
    }

    @Test("values signed with a fallback key", arguments: vectors?.fallbacks ?? [])
    func fallback(_ vector: SigningVectors.Fallback) throws {
        let rotated = try SigningKeys(secretKey: vector.secret_key, fallbacks: vector.fallbacks)
        let current = try SigningKeys(secretKey: vector.secret_key)
        let old = try SigningKeys(secretKey: vector.signed_with)
        #expect(vector.without_fallbacks == "BadSignature")
        let now = SigningFixtures.timestamp
        let clock = ManualClock(now)
        switch vector.kind {
        case "db":
            let expected = try SigningFixtures.object(try #require(vector.json))
            #expect(try SessionDataCodec(keys: rotated).decode(vector.signed) == expected)
            #expect(throws: SigningError.badSignature) { try SessionDataCodec(keys: current).decode(vector.signed) }
            // Re-encoding signs with the current key only.
            let reencoded = SessionDataCodec(keys: rotated).encode(expected, at: now)
            #expect(try SessionDataCodec(keys: current).decode(reencoded) == expected)
            #expect(throws: SigningError.badSignature) { try SessionDataCodec(keys: old).decode(reencoded) }
        case "cookie":
            let expected = try SigningFixtures.object(try #require(vector.json))
            #expect(try SignedCookieSessionCodec(keys: rotated).decode(vector.signed, now: now, maxAge: 60).data == expected)
            #expect(throws: SigningError.badSignature) {
                try SignedCookieSessionCodec(keys: current).decode(vector.signed, now: now, maxAge: 60)
            }
        case "signer":
            #expect(try Signer(keys: rotated, salt: vector.salt).unsign(vector.signed) == vector.value)
            #expect(throws: SigningError.badSignature) { try Signer(keys: current, salt: vector.salt).unsign(vector.signed) }
        case "loads":
            let expected = try SigningFixtures.parse(try #require(vector.json))
            #expect(try Signing.loads(vector.signed, keys: rotated, salt: vector.salt, clock: clock) == expected)
            #expect(throws: SigningError.badSignature) {
                try Signing.loads(vector.signed, keys: current, salt: vector.salt, clock: clock)
            }
        default:
            Issue.record("unknown fallback kind \(vector.kind)")
        }
    }

    @Test("loads and unsign verdicts", arguments: vectors?.loads ?? [])
    func loads(_ vector: SigningVectors.Loads) throws {
        let keys = try SigningKeys(secretKey: vector.secret_key)
        let clock = ManualClock(Date(timeIntervalSince1970: vector.now))
        let result: Result<String, SigningError>
        switch vector.kind {
        case "loads":
            result = Result { () throws(SigningError) in
                try Signing.loads(vector.signed, keys: keys, salt: vector.salt, maxAge: vector.max_age, clock: clock).serialized()
            }
        case "timestamp_signer":
            result = Result { () throws(SigningError) in
                try TimestampSigner(keys: keys, salt: vector.salt, clock: clock).unsign(vector.signed, maxAge: vector.max_age)
            }
        case "signer":
            result = Result { () throws(SigningError) in try Signer(keys: keys, salt: vector.salt).unsign(vector.signed) }
        default:
            Issue.record("unknown kind \(vector.kind)")
            return
        }
        switch (vector.expect, result) {
        case ("ok", .success(let value)):
            #expect(value == (vector.json ?? vector.value))
        case ("bad_signature", .failure(let error)):
            #expect(error == .badSignature)
        case ("expired", .failure(let error)):
            #expect(error == .expired)
        case ("malformed", .failure(let error)):
            #expect(error == .malformed)
        default:
            Issue.record("expected \(vector.expect) (Django: \(vector.django_error ?? "ok")), got \(result)")
        }
    }

    @Test("a zip bomb is refused at the limit and readable above it")
    func zipBomb() throws {
        let bomb = try SigningFixtures.required().zip_bomb
        let keys = try SigningKeys(secretKey: bomb.secret_key)
        let clock = ManualClock(Date(timeIntervalSince1970: TimeInterval(bomb.timestamp)))
        #expect(bomb.signed_bytes < 4096, "small enough for a cookie")
        #expect(bomb.decoded_bytes > 1 << 20)
        #expect(throws: SigningError.tooLarge(limit: 1 << 20)) {
            try Signing.loads(bomb.signed, keys: keys, salt: bomb.salt, clock: clock)
        }
        #expect(throws: SigningError.tooLarge(limit: 1 << 20)) {
            try SignedCookieSessionCodec(keys: keys).decode(bomb.cookie, now: clock.now(), maxAge: 60)
        }
        #expect(throws: SigningError.tooLarge(limit: 1000)) {
            try SessionDataCodec(keys: keys, salt: bomb.salt, configuration: SigningConfiguration(maximumDecodedBytes: 1000))
                .decode(bomb.signed)
        }
        let roomy = SigningConfiguration(maximumDecodedBytes: bomb.decoded_bytes)
        let value = try Signing.loads(bomb.signed, keys: keys, salt: bomb.salt, configuration: roomy, clock: clock)
        #expect(value["a"]?.stringValue?.utf8.count == 2_000_000)
        #expect(throws: SigningError.tooLarge(limit: bomb.decoded_bytes - 1)) {
            try Signing.loads(
                bomb.signed, keys: keys, salt: bomb.salt,
                configuration: SigningConfiguration(maximumDecodedBytes: bomb.decoded_bytes - 1), clock: clock
            )
        }
    }

    @Test("expiry rules match get_expiry_age / get_expiry_date / get_expire_at_browser_close", arguments: vectors?.expiry ?? [])
    func expiry(_ vector: SigningVectors.Expiry) async throws {
        let configuration = SessionConfiguration(
            cookieAge: vector.cookie_age,
            expireAtBrowserClose: vector.expire_at_browser_close_setting,
            idleTimeout: nil,
            absoluteLifetime: nil
        )
        let clock = ManualClock(Date(timeIntervalSince1970: TimeInterval(vector.modification)))
        let sessions = SessionManager(store: MemorySessionStore(), configuration: configuration, clock: clock)
        let session = Session()
        session["x"] = 1
        if let stored = vector.session_expiry {
            session[SessionExpiry.dataKey] = stored
        }
        #expect(sessions.expireDate(of: session).timeIntervalSince1970 == vector.expiry_date)
        #expect(sessions.expiresAtBrowserClose(session) == vector.expire_at_browser_close)
        let update = try await sessions.save(session)
        guard case .set(_, let maxAge, _) = update.action else {
            Issue.record("expected a cookie, got \(update.action)")
            return
        }
        #expect(maxAge == (vector.expire_at_browser_close ? nil : vector.expiry_age))
    }

    @Test("set_expiry(datetime) stores Python's isoformat()")
    func setExpiry() throws {
        for vector in try SigningFixtures.required().set_expiry {
            let date = Date(timeIntervalSince1970: vector.unix)
            #expect(SessionExpiry.at(date).storedValue == .string(vector.stored))
            guard case .at(let parsed)? = SessionExpiry(storedValue: .string(vector.stored)) else {
                Issue.record("\(vector.stored) did not parse")
                continue
            }
            #expect(abs(parsed.timeIntervalSince(date)) < 1e-6)
        }
    }
}
