import Foundation
import Gatehouse
import Testing

/// Hashes made by Gatehouse, judged by real Django through scripts/django/check_hashes.py.
///
/// Set `GATEHOUSE_TEST_DJANGO_PYTHON` to the oracle's Python (the last line of
/// `bash scripts/django/venv.sh`, usually `.venv-django/bin/python`) to run it; without the variable
/// the test is skipped with a note saying so.
@Suite("Django judges Gatehouse hashes")
struct DjangoReverseOracleTests {
    static let python = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_DJANGO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }

    struct Item: Encodable {
        var password: String
        var encoded: String
    }

    struct Verdict: Decodable {
        var verifies: Bool
        var must_update: Bool
        var identified: String?
        var needs_upgrade: Bool?
        var django_raises: String?
    }

    struct Expectation {
        var label: String
        var verifies: Bool
        var algorithm: String
        var mustUpdate: Bool
    }

    static let passwords = [
        "password", "", "pässwörd Ünïcödé", "🔐🦄🔑", String(("Gatehouse-long-password-0123456789-" * 6).prefix(200)), "  spaced  ",
        "tab\tand\nnewline", "nul\u{0}inside",
    ]

    @Test(
        "Django verifies every Gatehouse hash and rejects wrong passwords",
        .enabled(if: python != nil, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)")
    )
    func djangoJudges() async throws {
        let python = try #require(Self.python)
        var items: [Item] = []
        var expectations: [Expectation] = []
        func add(_ hasher: any PasswordHasher, _ password: String, mustUpdate: Bool) throws {
            let encoded = try hasher.makePassword(password)
            items.append(Item(password: password, encoded: encoded))
            expectations.append(Expectation(label: "\(hasher.algorithm) \(password.debugDescription)", verifies: true, algorithm: hasher.algorithm, mustUpdate: mustUpdate))
            let wrong = password.isEmpty ? "a" : String(password.dropLast()) + "\u{1}"
            items.append(Item(password: wrong, encoded: encoded))
            expectations.append(Expectation(label: "\(hasher.algorithm) wrong \(wrong.debugDescription)", verifies: false, algorithm: hasher.algorithm, mustUpdate: mustUpdate))
        }
        // Cheap parameters for every password (Django's hasher then says must_update)...
        for hasher in CheapHashers.encoding {
            for password in Self.passwords {
                if hasher.algorithm == "bcrypt", password.utf8.count > 72 || password.utf8.contains(0) { continue }
                try add(hasher, password, mustUpdate: true)
            }
        }
        // argon2 at small costs (Django's hasher then says must_update)...
        for password in Self.passwords {
            try add(Argon2PasswordHasher(timeCost: 1, memoryCost: 64, parallelism: 2), password, mustUpdate: true)
        }
        try add(Argon2PasswordHasher(timeCost: 3, memoryCost: 256, parallelism: 8), "pässwörd 🔑", mustUpdate: true)
        // ...and at Django's 100 MiB once (about a second of CPU in a debug build).
        try add(Argon2PasswordHasher(), "pässwörd 🔑", mustUpdate: false)
        // ...and Django's own defaults once each (must_update false).
        for hasher in [PBKDF2PasswordHasher(), PBKDF2PasswordHasher(digest: .sha1), BCryptSHA256PasswordHasher(), BCryptPasswordHasher(), ScryptPasswordHasher()] as [any PasswordHasher] {
            try add(hasher, "pässwörd 🔑", mustUpdate: false)
        }
        // Unusable passwords from Gatehouse are unusable to Django.
        items.append(Item(password: "", encoded: PasswordHashers.makeUnusablePassword()))
        expectations.append(Expectation(label: "unusable", verifies: false, algorithm: "", mustUpdate: false))

        let verdicts = try Self.runOracle(python: python, items: items)
        try #require(verdicts.count == items.count)
        for (expected, verdict) in zip(expectations, verdicts) {
            #expect(verdict.django_raises == nil, "\(expected.label)")
            #expect(verdict.verifies == expected.verifies, "\(expected.label)")
            #expect(verdict.identified == (expected.algorithm.isEmpty ? nil : expected.algorithm), "\(expected.label)")
            #expect(verdict.must_update == expected.mustUpdate, "\(expected.label)")
        }
    }

    static func runOracle(python: String, items: [Item]) throws -> [Verdict] {
        let process = Process()
        process.executableURL = URL(filePath: python.hasPrefix("/") ? python : PasswordFixtures.repositoryRoot.appending(path: python).path)
        process.arguments = [PasswordFixtures.repositoryRoot.appending(components: "scripts", "django", "check_hashes.py").path]
        process.currentDirectoryURL = PasswordFixtures.repositoryRoot
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let payload = try JSONEncoder().encode(items)
        // A child that exits early closes the pipe: report that through its status, not a crash.
        try? input.fileHandleForWriting.write(contentsOf: payload)
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError(code: "oracle_failed", message: "check_hashes.py exited \(process.terminationStatus): \(errorText)")
        }
        return try JSONDecoder().decode([Verdict].self, from: data)
    }
}

private func * (text: String, count: Int) -> String { String(repeating: text, count: count) }
