import Foundation
import Gatehouse
import GatehouseGateway
import GatehouseHummingbird
import GatehouseTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

// docs/gateway.md's path table, row by row: the decoder, the policy, and forward auth in process
// (the proxy runs the same rows through the real binary in GatewayHardeningTests).
@Suite("Path model")
struct PathModelTests {
    @Test func decodingAcceptsEscapesThatKeepTheStructure() {
        #expect(PathPattern.normalize("/a%20b") == "/a b")
        #expect(PathPattern.normalize("/caf%C3%A9") == "/café")
        #expect(PathPattern.normalize("/%41DMIN/") == "/ADMIN/")
        #expect(PathPattern.normalize("/u%40x%3Ay%2Bz") == "/u@x:y+z")
        #expect(PathPattern.normalize("//admin//x/") == "/admin/x/")
        #expect(PathPattern.normalize("/a!$&'()*+,=:@~_-b") == "/a!$&'()*+,=:@~_-b", "RFC 3986 allows these raw")
        #expect(PathPattern.normalize("/a/b/") == "/a/b/", "a trailing slash is kept")
        #expect(PathPattern.normalize("/a.b/c") == "/a.b/c")
    }

    /// `decoded` answers a path that is already canonical in one pass; this checks that the shortcut
    /// never answers differently from the full decoding, over paths built from the characters that
    /// matter (escapes, dots, slashes, `;`, case, non-ASCII), with a fixed seed.
    @Test func theOnePassShortcutAgreesWithTheFullDecoding() {
        let alphabet = ["a", "A", "z", ".", "/", "%", "2", "e", "E", "F", "f", ";", " ", "~", "é", "\\", "0", "C", "3", "9", "-", ":", "@", "#"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var canonical = 0
        for _ in 0..<60_000 {
            var path = "/"
            for _ in 0..<(1 + next(10)) { path += alphabet[next(alphabet.count)] }
            let shortcut = PathPattern.decoded(path)
            #expect(shortcut == PathPattern.decodedInFull(path), "\(path)")
            if shortcut == .success(path) { canonical += 1 }
        }
        #expect(canonical > 1_000, "the corpus has canonical paths for the shortcut to take")
    }

    @Test func everyRefusalHasItsReason() {
        let cases: [(String, PathPattern.Refusal)] = [
            ("relative", .notAPath), ("/a%2Fb", .structuralEscape), ("/a%5Cb", .structuralEscape), ("/a%00", .structuralEscape),
            ("/a%252F", .structuralEscape), ("/%zz", .malformedEscape), ("/a%2", .malformedEscape), ("/%FF", .notUTF8),
            ("/%C3", .notUTF8), ("/a%0Ab", .controlCharacter), ("/a\tb", .invalidCharacter), ("/a\\b", .invalidCharacter),
            ("/a%7F", .controlCharacter), ("/admin;x/", .segmentParameter), ("/p/..;/admin/", .segmentParameter),
            ("/a%3Bb", .segmentParameter), ("/admin./", .trailingDotOrSpace), ("/admin%20/", .trailingDotOrSpace),
            ("/admin...", .trailingDotOrSpace), ("/a//../b", .dotSegment), ("/..", .dotSegment), ("/a/../b", .dotSegment),
            ("/a/./b", .dotSegment), ("/a/%2e%2E/b", .dotSegment), ("/a/%2e", .dotSegment), ("/admin/#/../public/", .invalidCharacter),
            ("/a b", .invalidCharacter), ("/a{b", .invalidCharacter), ("/a\"b", .invalidCharacter), ("/caf\u{E9}", .invalidCharacter),
            ("/a|b", .invalidCharacter), ("/a^b", .invalidCharacter), ("/a[b]", .invalidCharacter),
        ]
        for (path, reason) in cases {
            #expect(PathPattern.decoded(path) == .failure(reason), "\(path)")
        }
    }

    @Test func rulesCoverTheirPathWithoutTrailingSlashAndInAnyCase() throws {
        #expect(PathPattern("/admin/").matches("/admin"))
        #expect(PathPattern("/admin/").matches("/ADMIN/x"))
        #expect(!PathPattern("/admin/").matches("/ADMIN/x", caseSensitive: true))
        #expect(!PathPattern("/admin/").matches("/administrator"))
        #expect(PathPattern("/files/*/raw").matches("/files/x/raw/"))
        #expect(PathPattern("/files/*/raw").matches("/files/x/RAW"))
        #expect(!PathPattern("/files/*/raw").matches("/files/x/raw/y"))
        let strict = try GatewayPolicy(yaml: "case_sensitive: true\nrules:\n  - path: /admin/\n    require: deny\n")
        #expect(strict.caseSensitive)
        #expect(strict.rule(for: "/admin", method: "GET") != nil)
        #expect(strict.rule(for: "/ADMIN/", method: "GET") == nil)
        let loose = try GatewayPolicy(yaml: "rules:\n  - path: /Admin/\n    require: deny\n")
        #expect(!loose.caseSensitive)
        #expect(loose.rule(for: "/aDMIN/x", method: "GET") != nil)
        #expect(throws: GatewayPolicyError.self) { try GatewayPolicy(yaml: "case_sensitive: maybe\nrules: []\n") }
    }

    @Test func forwardAuthDecidesEveryRowOfTheTable() async throws {
        let store = MemoryAuthStore()
        let builder = GatehouseRouterBuilder(
            users: store, sessions: MemorySessionStore(), keys: try SigningKeys(secretKey: "path-model-secret-0123456789abcdefghijklmn")
        )
        let router = Router(context: GatehouseRequestContext.self)
        builder.install(on: router, logRequests: false)
        let policy = try GatewayPolicy(yaml: PathModelCases.policy)
        ForwardAuthRoute<GatehouseRequestContext>(policy: policy, checker: try builder.permissionChecker, groups: store).add(to: router)
        try await Application(router: router).test(.router) { client in
            for row in PathModelCases.rows {
                for header in ["X-Original-URI", "X-Forwarded-Uri"] {
                    var headers = HTTPFields()
                    headers[HTTPField.Name(header)!] = row.path
                    let answer = try await client.execute(uri: "/_gatehouse/auth", method: .get, headers: headers)
                    let expected: HTTPResponse.Status =
                        switch row.outcome {
                        case .allowed: .ok
                        case .loginRequired: .unauthorized
                        case .forbidden: .forbidden
                        case .refused: .badRequest
                        }
                    #expect(answer.status == expected, "\(row.path) (\(row.note)) via \(header): \(answer.status)")
                }
            }
        }
    }
}
