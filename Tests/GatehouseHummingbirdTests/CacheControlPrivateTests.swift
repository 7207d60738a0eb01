@testable import GatehouseHummingbird
import Testing

/// A response that depends on the session gets `Cache-Control: private` unless it already has it:
/// the directive is found by name in any case, not as a substring.
@Suite("Cache-Control private directive")
struct CacheControlPrivateTests {
    @Test(arguments: [
        ("private", true), ("PRIVATE", true), ("no-cache, private", true), ("max-age=0,Private ", true),
        ("private=\"Set-Cookie\"", true), ("  private  , no-store", true),
        ("public", false), ("no-store", false), ("privateer", false), ("not-private", false), ("", false), (",,", false),
        ("x-private=1", false),
    ])
    func findsTheDirective(value: String, expected: Bool) {
        #expect(GatehouseSessionMiddleware<GatehouseRequestContext>.hasPrivateDirective([value]) == expected, "\(value)")
    }
}
