import Gatehouse
import Testing

@Suite("CSRF checker")
struct CSRFCheckerTests {
    static let secret = "abcdefghijklmnopqrstuvwxyzABCDEF"

    static func post(
        _ checker: CSRFChecker = CSRFChecker(),
        method: String = "POST",
        isSecure: Bool? = false,
        host: String = "example.com",
        origin: String? = nil,
        referer: String? = nil,
        cookie: String? = secret,
        form: String? = nil,
        header: String? = nil,
        serverPort: Int? = nil
    ) -> CSRFVerdict {
        checker.check(
            method: method, isSecure: isSecure, host: host, origin: origin, referer: referer,
            cookieSecret: cookie, formToken: form, headerToken: header, serverPort: serverPort
        )
    }

    @Test("safe methods pass whatever else is wrong")
    func safeMethods() {
        for method in ["GET", "HEAD", "OPTIONS", "TRACE", "get", "Options"] {
            #expect(Self.post(method: method, isSecure: true, origin: "https://evil.example", cookie: nil) == .accept)
            #expect(CSRFChecker.isSafeMethod(method))
        }
        #expect(!CSRFChecker.isSafeMethod("POST"))
        #expect(!CSRFChecker.isSafeMethod("PROPFIND"))
        #expect(!CSRFChecker.isSafeMethod(""))
    }

    @Test("form field first, header as fallback; only POST reads the form")
    func tokenSources() throws {
        let token = try CSRFToken.mask(Self.secret)
        let wrong = try CSRFToken.mask(CSRFToken.makeSecret())
        #expect(Self.post(form: token) == .accept)
        #expect(Self.post(form: "", header: token) == .accept)
        #expect(Self.post(form: wrong, header: token) == .reject(.badToken(nil, source: .form)))
        #expect(Self.post(method: "PUT", form: token) == .reject(.tokenMissing))
        #expect(Self.post(method: "PUT", form: wrong, header: token) == .accept)
        #expect(Self.post(method: "DELETE", header: Self.secret) == .accept)
        #expect(Self.post(header: "").reason == "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length.")
    }

    @Test("the header name in reasons is spelled as Django spells it")
    func headerNames() {
        #expect(CSRFTokenSource.header("X-CSRFToken").reasonText == "the 'X-Csrftoken' HTTP header")
        #expect(CSRFTokenSource.header("x-xsrf-token").reasonText == "the 'X-Xsrf-Token' HTTP header")
        #expect(CSRFTokenSource.header("My_Csrf2token").reasonText == "the 'My-Csrf2Token' HTTP header")
        #expect(CSRFTokenSource.form.reasonText == "POST")
        let checker = CSRFChecker(configuration: CSRFConfiguration(headerName: "X-XSRF-TOKEN"))
        #expect(Self.post(checker, header: "nope").reason == "CSRF token from the 'X-Xsrf-Token' HTTP header has incorrect length.")
    }

    @Test("isSecure nil falls back to the configuration")
    func secureDefault() throws {
        let token = try CSRFToken.mask(Self.secret)
        let https = CSRFChecker(configuration: CSRFConfiguration(isHTTPS: true))
        #expect(Self.post(https, isSecure: nil, form: token) == .reject(.noReferer))
        #expect(Self.post(https, isSecure: false, form: token) == .accept)
        #expect(Self.post(CSRFChecker(), isSecure: nil, form: token) == .accept)
        #expect(CSRFConfiguration(isHTTPS: true).cookieSecure)
        #expect(!CSRFConfiguration(isHTTPS: true, cookieSecure: false).cookieSecure)
    }

    @Test("cookie domain: server port from the argument, else from Host, else 443")
    func cookieDomainPort() throws {
        let token = try CSRFToken.mask(Self.secret)
        let checker = CSRFChecker(configuration: CSRFConfiguration(cookieDomain: ".example.com"))
        let referer = "https://other.example.com/"
        #expect(Self.post(checker, isSecure: true, host: "www.example.com", referer: referer, form: token) == .accept)
        #expect(Self.post(checker, isSecure: true, host: "www.example.com", referer: referer, form: token, serverPort: 443) == .accept)
        #expect(Self.post(checker, isSecure: true, host: "www.example.com", referer: referer, form: token, serverPort: 80) == .accept)
        #expect(!Self.post(checker, isSecure: true, host: "www.example.com", referer: referer, form: token, serverPort: 8443).isAccepted)
        #expect(!Self.post(checker, isSecure: true, host: "www.example.com:8443", referer: referer, form: token).isAccepted)
        #expect(Self.post(checker, isSecure: true, host: "www.example.com:8443", referer: "https://other.example.com:8443/", form: token) == .accept)
    }

    @Test("rejection kinds")
    func rejectionKinds() {
        #expect(CSRFRejection.badOrigin("x").isOriginOrRefererFailure)
        #expect(CSRFRejection.noReferer.isOriginOrRefererFailure)
        #expect(!CSRFRejection.noCookie.isOriginOrRefererFailure)
        #expect(!CSRFRejection.badToken(.invalidCharacters, source: .form).isOriginOrRefererFailure)
        #expect(CSRFRejection.badCookie(.invalidCharacters).reason == "CSRF cookie has invalid characters.")
        #expect(CSRFVerdict.accept.reason == nil)
        #expect("\(CSRFRejection.tokenMissing)" == "CSRF token missing.")
    }

    @Test("a trusted origin that does not parse trusts nothing, and nothing traps")
    func badTrustedOrigin() throws {
        let token = try CSRFToken.mask(Self.secret)
        let checker = CSRFChecker(configuration: CSRFConfiguration(trustedOrigins: ["https://*.[bad", "", "*", "https://*"]))
        #expect(!Self.post(checker, isSecure: true, origin: "https://x.[bad", form: token).isAccepted)
        #expect(!Self.post(checker, isSecure: true, origin: "https://evil.example", form: token).isAccepted)
        #expect(!Self.post(checker, isSecure: true, referer: "https://evil.example/", form: token).isAccepted)
    }

    @Test("hostile header values give verdicts, never traps")
    func hostile() throws {
        let token = try CSRFToken.mask(Self.secret)
        let checker = CSRFChecker(configuration: CSRFConfiguration(trustedOrigins: ["https://*.example.com", "https://x.example"], allowedHosts: [".example.com"], cookieDomain: ".example.com"))
        let values: [String?] = [
            nil, "", "null", "https://", "https://[", "https://]", "https://[::1", "https://[v1.x]", "https://[1.2.3.4]",
            "https://a\u{2100}b", "\u{0}", "https://example.com\u{0}", String(repeating: "/", count: 10_000),
            "https://" + String(repeating: "a.", count: 5_000) + "example.com", "https://é.example.com", "https://e\u{301}.example.com",
            "\u{FEFF}https://example.com", "https://[::1%]", "https://[::1%25%25]", "HTTPS://EXAMPLE.COM",
        ]
        let hosts = ["example.com", "", "[", "[::1]", "[::1", "EXAMPLE.COM:", "example.com:99999999999999999999", "\u{212A}.example.com", "é", "a:b:c"]
        for host in hosts {
            for value in values {
                for secure in [true, false] {
                    _ = Self.post(checker, isSecure: secure, host: host, origin: value, form: token)
                    _ = Self.post(checker, isSecure: secure, host: host, referer: value, cookie: value, form: value, header: value)
                }
            }
        }
    }
}
