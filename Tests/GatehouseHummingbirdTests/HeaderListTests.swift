@testable import GatehouseHummingbird
import HTTPTypes
import Testing

/// Comma-separated header lists (`Connection`, `Vary`) read on bytes: whole elements, any case,
/// spaces and tabs around them ignored, several field lines.
@Suite("Header lists")
struct HeaderListTests {
    @Test(arguments: [
        (["close"], true), (["Close"], true), (["  CLOSE\t"], true), (["keep-alive, close"], true), (["keep-alive", "close"], true),
        (["keep-alive"], false), (["closed"], false), (["close=1"], false), (["clo se"], false), ([""], false), ([String](), false),
    ])
    func connectionClose(values: [String], expected: Bool) {
        #expect(HeaderList.contains(values, token: "close") == expected, "\(values)")
    }

    @Test func varyGetsCookieOnceWhateverItsSpelling() {
        for existing in [["Cookie"], ["accept-encoding, COOKIE"], ["Accept-Encoding", "x ,  cookie\t, y"], ["*"]] {
            var headers = HTTPFields()
            for value in existing { headers.append(HTTPField(name: .vary, value: value)) }
            GatehouseSessionMiddleware<GatehouseRequestContext>.addVaryCookie(to: &headers)
            #expect(headers[values: .vary] == existing, "\(existing)")
        }
        var headers = HTTPFields()
        headers[.vary] = "Accept-Encoding, Cookies"
        GatehouseSessionMiddleware<GatehouseRequestContext>.addVaryCookie(to: &headers)
        #expect(headers[values: .vary] == ["Accept-Encoding, Cookies", "Cookie"])
    }
}
