import Foundation
import Gatehouse
import GatehouseTesting
import Testing

/// Signed values and session data made by Gatehouse, read by real Django through
/// scripts/django/check_sessions.py.
///
/// Set `GATEHOUSE_TEST_DJANGO_PYTHON` to the oracle's Python (usually `.venv-django/bin/python`) to run
/// it; without the variable the test is skipped with a note.
@Suite("Django reads Gatehouse signatures and sessions")
struct DjangoSigningOracleTests {
    static let python = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_DJANGO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }

    struct Item: Encodable {
        var kind: String
        var value: String
        var salt: String?
        var max_age: Double?
    }

    struct Request: Encodable {
        var secret_key: String
        var fallbacks: [String]
        var now: Double?
        var items: [Item]
    }

    struct Verdict: Decodable {
        var ok: Bool
        var error: String?
        var json: String?
        var session_json: String?
    }

    struct Expectation {
        var label: String
        var json: String?
        var sessionJSON: String?
        var error: String?
    }

    static let sessions: [(String, [String: JSONValue])] = [
        ("empty", [:]),
        ("auth", ["_auth_user_id": "42", "_auth_user_backend": "django.contrib.auth.backends.ModelBackend", "_auth_user_hash": "abc123"]),
        ("unicode", ["name": "Zoë 😀", "ключ": "значение", "emoji 🔑": "𝄞", "escapes": "\"\\/\n\t\u{0}\u{7F}\u{80}"]),
        ("nested", ["cart": ["items": [["sku": "A1", "qty": 2, "price": 9.99]], "coupon": nil, "gift": false], "deep": [1, [2, [3, []]], [:]]]),
        ("numbers", ["int": 7, "neg": -3, "big": .int(Int.max), "float": 0.1, "small": 1e-7, "whole": 2.0, "huge": 1e300, "nan": .double(.nan), "inf": .double(.infinity)]),
        ("large", ["history": .array((0..<400).map { .string("/catalogue/page/\($0)/?sort=price") })]),
        ("gatehouse", ["_gatehouse_created": 1_717_000_000, "_gatehouse_last_activity": 1_717_100_000, "_session_expiry": 1800]),
    ]

    @Test(
        "Django reads what Gatehouse signs and encodes",
        .enabled(if: python != nil, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)")
    )
    func djangoReads() async throws {
        let python = try #require(Self.python)
        let secret = "gatehouse-reverse-oracle-secret"
        let oldSecret = "gatehouse-reverse-oracle-old-secret"
        let now = Date(timeIntervalSince1970: 1_717_171_717)
        let clock = ManualClock(now)
        let keys = try SigningKeys(secretKey: secret)
        let oldKeys = try SigningKeys(secretKey: oldSecret)
        var items: [Item] = []
        var expectations: [Expectation] = []
        func add(_ label: String, _ item: Item, json: String?, sessionJSON: String? = nil, error: String? = nil) {
            items.append(item)
            expectations.append(Expectation(label: label, json: json, sessionJSON: sessionJSON, error: error))
        }

        for (name, data) in Self.sessions {
            let expected = JSONValue.object(data).serialized()
            let databaseText = SessionDataCodec(keys: keys).encode(data, at: now)
            add("db \(name)", Item(kind: "db_data", value: databaseText), json: expected, sessionJSON: expected)
            let cookie = SignedCookieSessionCodec(keys: keys).encode(data, at: now.addingTimeInterval(-100))
            // Django's signed_cookies backend needs at least 8 characters (an empty dict is shorter).
            add("cookie \(name)", Item(kind: "cookie", value: cookie), json: expected, sessionJSON: cookie.count >= 8 ? expected : "{}")
            let old = SessionDataCodec(keys: oldKeys).encode(data, at: now)
            add("db old key \(name)", Item(kind: "db_data", value: old), json: expected, sessionJSON: expected)
        }
        for (index, value) in ([
            "hello", "", 42, 1.5, nil, true, ["a", 1, [2.5]], ["k": ["nested": "é"]],
            .array(Array(repeating: "compress me", count: 100)),
        ] as [JSONValue]).enumerated() {
            for compress in [false, true] {
                let token = Signing.dumps(value, keys: keys, salt: "gatehouse.oracle", compress: compress, clock: clock)
                add("dumps \(index) \(compress)", Item(kind: "loads", value: token, salt: "gatehouse.oracle", max_age: 3600), json: value.serialized())
            }
        }
        let signer = Signer(keys: keys, salt: "gatehouse.signer")
        add("signer", Item(kind: "signer", value: signer.sign("alice@example.com"), salt: "gatehouse.signer"), json: #""alice@example.com""#)
        add("signer unicode", Item(kind: "signer", value: signer.sign("Zoë:😀"), salt: "gatehouse.signer"), json: #""Zo\u00eb:\ud83d\ude00""#)
        let timestamped = TimestampSigner(keys: keys, salt: "gatehouse.ts", clock: ManualClock(now.addingTimeInterval(-30)))
        add("timestamp signer", Item(kind: "timestamp_signer", value: timestamped.sign("v"), salt: "gatehouse.ts", max_age: 30), json: #""v""#)
        add(
            "timestamp signer expired", Item(kind: "timestamp_signer", value: timestamped.sign("v"), salt: "gatehouse.ts", max_age: 29),
            json: nil, error: "SignatureExpired"
        )
        // Django refuses what Gatehouse refuses.
        let good = SessionDataCodec(keys: keys).encode(["a": 1], at: now)
        add("tampered", Item(kind: "db_data", value: "x" + good.dropFirst()), json: nil, sessionJSON: "{}", error: "BadSignature")
        add(
            "wrong salt", Item(kind: "db_data", value: SignedCookieSessionCodec(keys: keys).encode(["a": 1], at: now)),
            json: nil, sessionJSON: "{}", error: "BadSignature"
        )

        let verdicts = try Self.runOracle(
            python: python, Request(secret_key: secret, fallbacks: [oldSecret], now: now.timeIntervalSince1970, items: items)
        )
        try #require(verdicts.count == items.count)
        for (expected, verdict) in zip(expectations, verdicts) {
            #expect(verdict.error == expected.error, "\(expected.label)")
            #expect(verdict.ok == (expected.error == nil), "\(expected.label)")
            if let json = expected.json { #expect(verdict.json == json, "\(expected.label)") }
            if let sessionJSON = expected.sessionJSON { #expect(verdict.session_json == sessionJSON, "\(expected.label)") }
        }
    }

    static func runOracle(python: String, _ request: Request) throws -> [Verdict] {
        let root = SigningFixtures.repositoryRoot
        let process = Process()
        process.executableURL = URL(filePath: python.hasPrefix("/") ? python : root.appending(path: python).path)
        process.arguments = [root.appending(components: "scripts", "django", "check_sessions.py").path]
        process.currentDirectoryURL = root
        let input = Pipe()
        let output = Pipe()
        let errors = FileManager.default.temporaryDirectory.appending(path: "gatehouse-check-sessions-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let payload = try JSONEncoder().encode(request)
        // A child that exits early closes the pipe: report that through its status, not a crash.
        try? input.fileHandleForWriting.write(contentsOf: payload)
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw ValidationError(code: "oracle_failed", message: "check_sessions.py exited \(process.terminationStatus): \(text)")
        }
        return try JSONDecoder().decode([Verdict].self, from: data)
    }
}
