import Foundation
import Gatehouse
import Testing

/// Tokens masked by Gatehouse, judged by real Django through `gen_csrf_vectors.py --check`.
///
/// Set `GATEHOUSE_TEST_DJANGO_PYTHON` to the oracle's Python (usually `.venv-django/bin/python`) to run
/// it; without the variable the test is skipped with a note saying so.
@Suite("Django judges Gatehouse CSRF tokens")
struct CSRFDjangoReverseOracleTests {
    struct Item: Encodable {
        var secret: String
        var token: String
        var header: Bool
    }

    struct Verdict: Decodable {
        var format: String?
        var matches: Bool
        var accepted: Bool
        var reason: String?
    }

    @Test(
        "Django accepts Gatehouse-masked tokens and refuses mismatched ones",
        .enabled(if: CSRFFixtures.python != nil, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)")
    )
    func djangoJudges() throws {
        let python = try #require(CSRFFixtures.python)
        var items: [Item] = []
        var expected: [(label: String, accepted: Bool, reason: String?)] = []
        for index in 0..<40 {
            let secret = CSRFToken.makeSecret()
            let token = try CSRFToken.mask(secret)
            let header = index % 2 == 1
            items.append(Item(secret: secret, token: token, header: header))
            expected.append(("token \(index)", true, nil))
            let other = try CSRFToken.mask(CSRFToken.rotate(replacing: secret))
            items.append(Item(secret: secret, token: other, header: header))
            let source: CSRFTokenSource = header ? .header("X-CSRFToken") : .form
            expected.append(("mismatch \(index)", false, CSRFRejection.badToken(nil, source: source).reason))
        }
        let issued = CSRFToken.issue(cookie: nil)
        items.append(Item(secret: issued.secret, token: issued.token, header: false))
        expected.append(("issued", true, nil))

        let verdicts = try Self.runOracle(python: python, items: items)
        try #require(verdicts.count == items.count)
        for ((label, accepted, reason), verdict) in zip(expected, verdicts) {
            #expect(verdict.format == nil, "\(label)")
            #expect(verdict.matches == accepted, "\(label)")
            #expect(verdict.accepted == accepted, "\(label)")
            #expect(verdict.reason == reason, "\(label)")
        }
    }

    static func runOracle(python: String, items: [Item]) throws -> [Verdict] {
        let root = CSRFFixtures.repositoryRoot
        let process = Process()
        process.executableURL = URL(filePath: python.hasPrefix("/") ? python : root.appending(path: python).path)
        process.arguments = [root.appending(components: "scripts", "django", "gen_csrf_vectors.py").path, "--check"]
        process.currentDirectoryURL = root
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
            throw ValidationError(code: "oracle_failed", message: "gen_csrf_vectors.py --check exited \(process.terminationStatus): \(errorText)")
        }
        return try JSONDecoder().decode([Verdict].self, from: data)
    }
}
