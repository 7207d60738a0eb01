import Foundation
import Gatehouse
@testable import GatehouseHummingbird
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MetricsTestKit
import Testing

/// The request metrics in process, on swift-metrics' test factory: route classes instead of paths,
/// one count and one timing per answered request, errors included; and audit event scrubbing.
@Suite("Request metrics")
struct RequestMetricsTests {
    @Test(arguments: [
        ("/accounts/login/", RouteClass.login),
        ("/accounts/logout/", .logout),
        ("/accounts/profile/", .accounts),
        ("/accounts/reset/MQ/abc/", .accounts),
        ("/_gatehouse/auth", .forwardAuth),
        ("/_gatehouse/health", .internal),
        ("/reports/2026/", .application),
        ("/", .application),
        ("/accounts", .application),
    ] as [(String, RouteClass)])
    func pathsFallIntoAFewClasses(_ path: String, _ route: RouteClass) {
        #expect(RouteClass.of(path: path, loginPath: "/accounts/login/", logoutPath: "/accounts/logout/") == route)
    }

    @Test func everyAnsweredRequestIsCountedByClassAndStatus() async throws {
        let factory = TestMetrics()
        let metrics = RequestMetrics(factory: factory)
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(loginPath: "/accounts/login/", logoutPath: "/accounts/logout/", metrics: metrics))
        router.get("/accounts/login/") { _, _ in "form" }
        router.get("/fails") { _, _ -> String in throw HTTPError(.forbidden) }
        router.get("/crashes") { _, _ -> String in throw CancellationError() }
        try await Application(router: router).test(.router) { client in
            for path in ["/accounts/login/", "/accounts/login/", "/fails", "/crashes", "/nowhere/\(UUID().uuidString)"] {
                _ = try await client.execute(uri: path, method: .get)
            }
        }
        let login = try factory.expectCounter("gatehouse_http_requests_total", [("route", "login"), ("status", "200")])
        #expect(login.totalValue == 2)
        #expect(try factory.expectCounter("gatehouse_http_requests_total", [("route", "application"), ("status", "403")]).totalValue == 1)
        #expect(try factory.expectCounter("gatehouse_http_requests_total", [("route", "application"), ("status", "500")]).totalValue == 1)
        #expect(try factory.expectCounter("gatehouse_http_requests_total", [("route", "application"), ("status", "404")]).totalValue == 1)
        #expect(factory.counters(label: "gatehouse_http_requests_total").count == 4, "one series per class and status, never per path")
        #expect(try factory.expectTimer("gatehouse_http_request_duration_seconds", [("route", "login")]).values.count == 2)
        #expect(try factory.expectTimer("gatehouse_http_request_duration_seconds", [("route", "application")]).values.count == 3)
        #expect(metrics.counter(.login, status: 42) === metrics.counter(.login, status: 999), "odd statuses share one `other` series")
    }

    @Test func auditNamesAreScrubbedAndBounded() {
        #expect(AuditEvent.scrubbed("eve\r\n{\"level\":\"x\"}\u{0}\u{1B}\u{85}\u{2028}\u{202E}") == "eve??{\"level\":\"x\"}?????")
        #expect(AuditEvent.scrubbed("zoë-ünïcode") == "zoë-ünïcode")
        let long = AuditEvent.scrubbed(String(repeating: "a", count: 500))
        #expect(long.count == AuditEvent.maximumNameLength + 1 && long.hasSuffix("…"))
        // The printable-ASCII shortcut: at the limit exactly, kept; one more, cut; DEL and a tab are
        // ASCII but not printable, and are replaced.
        let exact = String(repeating: "b", count: AuditEvent.maximumNameLength)
        #expect(AuditEvent.scrubbed(exact) == exact)
        #expect(AuditEvent.scrubbed(exact + "c") == exact + "…")
        #expect(AuditEvent.scrubbed("/secret/\u{7F}x\ty ~") == "/secret/?x?y ~")
        let event = AuditEvent("login.failed", ["username": "a\nb", "path": String(repeating: "p", count: 2_000)])
        #expect(event.fields["username"] == "a?b" && event.fields["path"]?.count == 1_025)
    }
}
