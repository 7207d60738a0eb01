import Gatehouse
@testable import GatehouseHummingbird
import GatehouseTestSupport
import GatehouseTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The access line: one per answered request, with the session's user and the client, and nothing
/// in it that looks like a secret.
@Suite("Access log")
struct AccessLogTests {
    @Test(arguments: [
        ("/accounts/login/", nil, "/accounts/login/"),
        ("/accounts/reset/MQ/cdp3x4-5f1e2a9b8c7d6e5f4a3b2c1d0e9f8a7b/", nil, "/accounts/reset/MQ/[redacted]/"),
        ("/accounts/login/", "next=/reports/2026/&username=alice", "/accounts/login/?next=/reports/2026/&username=alice"),
        ("/cb", "code=abc&state=1", "/cb?code=[redacted]&state=1"),
        ("/cb", "access_token=x&apiToken=y&Session=z&monkey=banana", "/cb?access_token=[redacted]&apiToken=[redacted]&Session=[redacted]&monkey=banana"),
        ("/files/report-2026-12-07-final-version.pdf", nil, "/files/report-2026-12-07-final-version.pdf"),
        ("/x", "v=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", "/x?v=[redacted]"),
        ("/x", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "/x?[redacted]"),
        ("/u/550e8400-e29b-41d4-a716-446655440000", "internationalization=1", "/u/550e8400-e29b-41d4-a716-446655440000?internationalization=1"),
        ("/s/abcdefghij0123456789xyz", nil, "/s/[redacted]"),
    ] as [(String, String?, String)])
    func tokenLikePartsAreRedacted(_ path: String, _ query: String?, _ expected: String) {
        #expect(AccessLogRedaction.redacted(path: path, query: query) == expected)
    }

    @Test func theSecondSegmentUnderATokenPathIsAlwaysRedacted() {
        // A token whose hash part happens to be all digits is not "token-like"; under the reset path it is redacted anyway.
        let prefixes = ["/accounts/reset/"]
        #expect(AccessLogRedaction.redacted(path: "/accounts/reset/MQ/a1-123/", query: nil, tokenPathPrefixes: prefixes) == "/accounts/reset/MQ/[redacted]/")
        #expect(AccessLogRedaction.redacted(path: "/accounts/reset/MQ/set-password/", query: nil, tokenPathPrefixes: prefixes) == "/accounts/reset/MQ/set-password/")
        #expect(AccessLogRedaction.redacted(path: "/accounts/reset/done/", query: nil, tokenPathPrefixes: prefixes) == "/accounts/reset/done/")
        #expect(AccessLogRedaction.redacted(path: "/accounts/login/", query: nil, tokenPathPrefixes: prefixes) == "/accounts/login/")
    }

    @Test func aLongPathIsCut() {
        let long = AccessLogRedaction.redacted(path: "/" + String(repeating: "a/", count: 2_000), query: nil)
        #expect(long.count == 1_025 && long.hasSuffix("…"))
    }

    @Test func oneLinePerRequestWithUserClientAndStatusButNotForProbes() async throws {
        let logs = LogCapture()
        let fixture = try await LoginFlowTests.Fixture.make()
        let builder = fixture.builder
        let router = Router(context: PeerContext.self)
        builder.install(on: router, logRequests: true)
        router.get("/_gatehouse/health") { _, _ in "ok" }
        router.get("/boom") { _, _ -> String in throw HTTPError(.serviceUnavailable) }
        try await Application(router: router, logger: logs.logger("app", level: .info)).test(.router) { client in
            let browser = Browser(client)
            try await PeerContext.$peer.withValue("198.51.100.4") {
                _ = try await browser.logIn(username: "alice", password: "correct horse battery staple")
                _ = try await browser.get("/accounts/profile/")
                _ = try await browser.get("/boom")
                _ = try await browser.get("/_gatehouse/health")
            }
        }
        let lines = logs.all.filter { $0.message == "request" }
        #expect(!lines.contains { $0.metadata["path"] == "/_gatehouse/health" }, "probes are not logged")
        let profile = try #require(lines.first { $0.metadata["path"] == "/accounts/profile/" })
        #expect(profile.level == .info && profile.metadata["method"] == "GET" && profile.metadata["status"] == "200")
        #expect(profile.metadata["user_id"] == "\(fixture.alice.id)" && profile.metadata["client"] == "198.51.100.4")
        #expect(Double(profile.metadata["duration_ms"] ?? "") != nil)
        let boom = try #require(lines.first { $0.metadata["path"] == "/boom" })
        #expect(boom.metadata["status"] == "503", "a thrown error is logged with its status")
        #expect(lines.filter { $0.metadata["path"] == "/accounts/profile/" }.count == 1, "one line per request, not two")
        #expect(!logs.all.contains { $0.text.contains("correct horse") })
    }
}
