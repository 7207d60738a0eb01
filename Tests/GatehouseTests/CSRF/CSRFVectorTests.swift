import Foundation
import Gatehouse
import Testing

/// Every vector of Tests/Fixtures/django/csrf-vectors.json (made by Django 6.1.3) against Gatehouse.
@Suite("Django CSRF vectors")
struct CSRFVectorTests {
    @Test("the fixture is present and Django's constants and defaults are Gatehouse's")
    func facts() throws {
        let vectors = try CSRFFixtures.required()
        let facts = vectors.facts
        #expect(facts.django_version == "6.1.3")
        #expect(facts.secret_length == CSRFToken.secretLength)
        #expect(facts.token_length == CSRFToken.tokenLength)
        #expect(facts.allowed_chars == String(CSRFToken.allowedCharacters))
        #expect(facts.use_sessions == false)

        let defaults = CSRFConfiguration.default
        #expect(facts.cookie_name == defaults.cookieName)
        #expect(facts.header_meta_name == "HTTP_" + defaults.headerName.uppercased().replacingOccurrences(of: "-", with: "_"))
        #expect(facts.cookie_age == defaults.cookieAge)
        #expect(facts.cookie_path == defaults.cookiePath)
        #expect(facts.cookie_secure == defaults.cookieSecure)
        #expect(facts.cookie_httponly == defaults.cookieHTTPOnly)
        #expect(facts.cookie_samesite == defaults.cookieSameSite)
        #expect(facts.cookie_domain == defaults.cookieDomain)
        #expect(facts.trusted_origins == defaults.trustedOrigins)
        #expect(defaults.fieldName == "csrfmiddlewaretoken")

        let reasons = facts.reasons
        func fill(_ template: String, _ value: String) -> String {
            template.replacingOccurrences(of: "%s", with: value)
        }
        #expect(CSRFRejection.badOrigin("https://evil.example").reason == fill(reasons.bad_origin, "https://evil.example"))
        #expect(CSRFRejection.badReferer("https://evil.example/").reason == fill(reasons.bad_referer, "https://evil.example/"))
        #expect(CSRFRejection.noReferer.reason == reasons.no_referer)
        #expect(CSRFRejection.malformedReferer.reason == reasons.malformed_referer)
        #expect(CSRFRejection.insecureReferer.reason == reasons.insecure_referer)
        #expect(CSRFRejection.noCookie.reason == reasons.no_csrf_cookie)
        #expect(CSRFRejection.tokenMissing.reason == reasons.csrf_token_missing)
        #expect(CSRFTokenFormatError.incorrectLength.description == reasons.incorrect_length)
        #expect(CSRFTokenFormatError.invalidCharacters.description == reasons.invalid_characters)
        #expect(vectors.scenarios.count >= 40)
    }

    @Test("masking with a fixed mask gives Django's token, and unmasking gives the secret back")
    func mask() throws {
        let vectors = try CSRFFixtures.required()
        #expect(vectors.mask.count >= 40)
        for vector in vectors.mask {
            #expect(try CSRFToken.mask(vector.secret, with: vector.mask) == vector.token, "\(vector.secret) / \(vector.mask)")
            #expect(try CSRFToken.unmask(vector.token) == vector.secret)
            #expect(CSRFToken.tokensMatch(given: vector.token, secret: vector.secret))
        }
    }

    @Test("unmasking gives Django's secret")
    func unmask() throws {
        for vector in try CSRFFixtures.required().unmask {
            #expect(try CSRFToken.unmask(vector.token) == vector.secret, "\(vector.token)")
        }
    }

    @Test("tokens masked by Django with its random masks are accepted")
    func djangoMasked() throws {
        let vectors = try CSRFFixtures.required()
        #expect(!vectors.django_masked.isEmpty)
        let checker = CSRFChecker()
        for vector in vectors.django_masked {
            #expect(try CSRFToken.unmask(vector.token) == vector.secret)
            #expect(CSRFToken.tokensMatch(given: vector.token, secret: vector.secret))
            let verdict = checker.check(
                method: "POST", isSecure: true, host: "testserver", origin: "https://testserver", referer: nil,
                cookieSecret: vector.secret, formToken: vector.token, headerToken: nil
            )
            #expect(verdict == .accept)
            let viaHeader = checker.check(
                method: "PUT", isSecure: false, host: "testserver", origin: nil, referer: nil,
                cookieSecret: vector.secret, formToken: nil, headerToken: vector.token
            )
            #expect(viaHeader == .accept)
        }
    }

    @Test("format checks agree with Django's _check_token_format")
    func format() throws {
        for vector in try CSRFFixtures.required().format {
            var problem: String?
            do {
                try CSRFToken.validateFormat(vector.token)
            } catch {
                problem = error.description
            }
            #expect(problem == vector.problem, "\(vector.token.debugDescription)")
        }
    }

    @Test("token matching agrees with Django's _does_token_match")
    func match() throws {
        for vector in try CSRFFixtures.required().match {
            #expect(CSRFToken.tokensMatch(given: vector.token, secret: vector.secret) == vector.matches, "\(vector.token) vs \(vector.secret)")
        }
    }

    @Test("each middleware scenario: same verdict and reason as Django", arguments: CSRFFixtures.scenarios)
    func scenario(_ scenario: CSRFVectors.Scenario) {
        let verdict = scenario.verdict(serverPort: scenario.request.server_port)
        #expect(verdict.isAccepted == scenario.accepted)
        #expect(verdict.reason == scenario.reason)
    }

    @Test("scenarios without an explicit server port decide the same (port taken from Host, else 443/80)")
    func derivedServerPort() throws {
        for scenario in try CSRFFixtures.required().scenarios {
            let defaultPort = scenario.request.secure ? 443 : 80
            // Only the cookie-domain scenarios with a port that differs from Host's depend on SERVER_PORT.
            guard scenario.request.server_port == defaultPort else { continue }
            let verdict = scenario.verdict(serverPort: nil)
            if scenario.request.host.contains(":"), scenario.settings.cookie_domain != nil { continue }
            #expect(verdict.reason == scenario.reason, "\(scenario.name)")
        }
    }
}
