import Foundation
@testable import Gatehouse

/// Signed values and session data under a fixed key (Tests/Fixtures/django/signing-vectors.json's).
/// The first byte picks how the rest is used: as stored text (a `django_session.session_data` row, a
/// signed-cookie session, a `signing.loads` token), or signed here first so the timestamp, base64,
/// zlib and JSON readers behind a valid signature see it, or as raw JSON / zlib bytes behind one.
enum SigningTarget {
    static let keys = try! SigningKeys(
        secretKey: "gatehouse-oracle-test-secret-key-not-for-production",
        fallbacks: ["gatehouse-oracle-previous-secret-key-rotated-out"]
    )
    static let database = SessionDataCodec(keys: keys)
    static let cookies = SignedCookieSessionCodec(keys: keys)
    static let sessionSigner = Signer(keys: keys, salt: SessionDataCodec.databaseSalt)
    static let signedAt = Date(timeIntervalSince1970: 1_717_171_717)

    static func run(_ data: [UInt8]) {
        guard let mode = data.first else { return }
        let text = String(decoding: data.dropFirst(), as: UTF8.self)
        switch mode % 4 {
        case 0:
            check(try? database.decode(text))
            _ = try? cookies.decode(text, now: signedAt, maxAge: 1_209_600)
            _ = try? Signing.loads(text, keys: keys)
            _ = try? Signer(keys: keys).unsignObject(text)
        case 1:
            check(try? database.decode(sessionSigner.sign(text)))
            _ = try? Signer(keys: keys).unsignObject(Signer(keys: keys).sign(text))
        case 2:
            check(try? database.decode(sessionSigner.sign(Base64URL.encode(data.dropFirst()) + ":1sD4o1")))
        default:
            check(try? database.decode(sessionSigner.sign("." + Base64URL.encode(data.dropFirst()) + ":1sD4o1")))
        }
    }

    /// What decoded must encode, decode again, and encode to the same text.
    static func check(_ decoded: [String: JSONValue]?) {
        guard let decoded else { return }
        let text = database.encode(decoded, at: signedAt)
        do {
            let again = try database.decode(text)
            precondition(database.encode(again, at: signedAt) == text, "session data changed on a round trip")
        } catch {
            // Escaping may grow the JSON past the limit it was read under; nothing else may fail.
            if error == .tooLarge(limit: database.configuration.maximumDecodedBytes) { return }
            preconditionFailure("session data Gatehouse encoded does not decode: \(error)")
        }
    }
}
