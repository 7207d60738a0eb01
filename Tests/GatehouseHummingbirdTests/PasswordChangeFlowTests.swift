import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehouseTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The password change pages through requests, on every store: Django's form, then this session
/// kept under a new key and every other session of the user ended.
@Suite("Password change pages")
struct PasswordChangeFlowTests {
    static let newPassword = "a new staple battery"

    @Test(arguments: GuardStore.enabled)
    func changingThePasswordKeepsThisSessionAndEndsTheOthers(_ store: GuardStore) async throws {
        try await store.with { users, sessions in
            let fixture = try await LoginFlowTests.Fixture.make(users: users, sessions: sessions)
            try await fixture.app().test(.router) { client in
                // Anonymous: sent to log in, as every login-required page.
                let anonymous = Browser(client)
                let away = try await anonymous.get("/accounts/password_change/")
                #expect(away.status == .found)
                #expect(away.headers[.location] == "/accounts/login/?next=/accounts/password_change/")
                #expect(try await anonymous.get("/accounts/password_change/done/").status == .found)

                let here = Browser(client)
                let elsewhere = Browser(client)
                #expect(try await LoginFlowTests.logIn(here).status == .found)
                #expect(try await LoginFlowTests.logIn(elsewhere).status == .found)
                let keyBefore = try #require(here.cookie("sessionid"))

                let formPage = try await here.get("/accounts/password_change/")
                #expect(formPage.status == .ok)
                let html = String(buffer: formPage.body)
                for field in ["old_password", "new_password1", "new_password2", "csrfmiddlewaretoken"] {
                    #expect(html.contains(#"name="\#(field)""#), "\(field)")
                }
                #expect(html.contains("Your password can’t be too similar to your other personal information."))
                let token = try #require(Browser.csrfToken(in: formPage))

                // No CSRF token: refused before anything is checked.
                let forged = try await here.post(
                    "/accounts/password_change/",
                    form: [("old_password", LoginFlowTests.password), ("new_password1", Self.newPassword), ("new_password2", Self.newPassword)]
                )
                #expect(forged.status == .forbidden)

                // Django's errors, all at once; nothing changes.
                let wrong = try await here.post(
                    "/accounts/password_change/",
                    form: [("csrfmiddlewaretoken", token), ("old_password", "not it"), ("new_password1", "123"), ("new_password2", "1234")]
                )
                #expect(wrong.status == .ok)
                let wrongHTML = String(buffer: wrong.body)
                #expect(wrongHTML.contains("Your old password was entered incorrectly. Please enter it again."))
                #expect(wrongHTML.contains("The two password fields didn’t match."))
                let weak = try await here.post(
                    "/accounts/password_change/",
                    form: [("csrfmiddlewaretoken", token), ("old_password", LoginFlowTests.password), ("new_password1", "123456"), ("new_password2", "123456")]
                )
                #expect(String(buffer: weak.body).contains("This password is too common."))
                #expect(String(buffer: weak.body).contains("This password is entirely numeric."))
                #expect(try await users.user(id: fixture.alice.id)?.password == fixture.alice.password)

                // Success: 302 to done, the hash re-made with the preferred hasher.
                let changed = try await here.post(
                    "/accounts/password_change/",
                    form: [("csrfmiddlewaretoken", token), ("old_password", LoginFlowTests.password), ("new_password1", Self.newPassword), ("new_password2", Self.newPassword)]
                )
                #expect(changed.status == .found)
                #expect(changed.headers[.location] == "/accounts/password_change/done/")
                let saved = try #require(try await users.user(id: fixture.alice.id))
                #expect(saved.password != fixture.alice.password)
                #expect(saved.password.hasPrefix("\(fixture.builder.hashers.preferred.algorithm)$"))
                #expect(try await fixture.builder.hashers.verifyPassword(Self.newPassword, encoded: saved.password).isCorrect)

                // This session: logged in under a new key; the old key is gone from the store.
                let keyAfter = try #require(here.cookie("sessionid"))
                #expect(keyAfter != keyBefore)
                #expect(try await sessions.load(key: keyBefore, now: Date()) == nil)
                let done = try await here.get("/accounts/password_change/done/")
                #expect(done.status == .ok)
                #expect(String(buffer: done.body).contains("Your password was changed."))
                #expect(try await here.get("/accounts/profile/").status == .ok)

                // Every other session ends on its next request.
                let other = try await elsewhere.get("/accounts/profile/")
                #expect(other.status == .found)
                #expect(other.headers[.location]?.hasPrefix("/accounts/login/") == true)

                // The old password no longer logs in; the new one does.
                #expect(try await LoginFlowTests.logIn(Browser(client)).status == .ok)
                #expect(try await LoginFlowTests.logIn(Browser(client), password: Self.newPassword).status == .found)
            }
        }
    }

    @Test func theProfileLinksToThePasswordChangeAndAnAPIClientGets401() async throws {
        let fixture = try await LoginFlowTests.Fixture.make()
        try await fixture.app().test(.router) { client in
            var json = HTTPFields()
            json[.accept] = "application/json"
            #expect(try await Browser(client).get("/accounts/password_change/", headers: json).status == .unauthorized)
            let browser = Browser(client)
            _ = try await LoginFlowTests.logIn(browser)
            let profile = String(buffer: try await browser.get("/accounts/profile/").body)
            #expect(profile.contains(#"<a href="/accounts/password_change/">Change password</a>"#))
        }
    }
}
