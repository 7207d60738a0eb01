import Foundation
import Gatehouse
import GatehouseHummingbird
import GatehouseSQL
import GatehouseTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// A session Django's `login()` made shows on Gatehouse's sessions page once Gatehouse has served it,
/// and ending it there ends it for Django too.
@Suite("Django sessions on the sessions page")
struct DjangoSessionsInteropTests {
    @Test(
        "a Django session is listed after its first request and ended for Django too",
        .enabled(if: DjangoInterop.enabled, "GATEHOUSE_TEST_DJANGO_PYTHON is not set (point it at the Django oracle's python)"),
        arguments: InteropDatabase.available
    )
    func aDjangoSessionCanBeEndedFromGatehouse(database: InteropDatabase) async throws {
        try await database.with { shared in
            let gatehouse = InteropGatehouse(shared)
            let zoe = try await gatehouse.createUser("zoe")
            let login = try await DjangoInterop.login(shared, secret: DjangoInteropTests.secret, username: "zoe", password: DjangoInteropTests.password)
            let index = SQLUserSessionStore(provider: shared.provider)
            #expect(try await index.records(userID: zoe.id).isEmpty, "Django knows nothing of Gatehouse's index")
            let keys = try SigningKeys(secretKey: DjangoInteropTests.secret)
            try await gatehouse.app(keys: keys).test(.router) { client in
                let django = Browser(client)
                django.setCookie("sessionid", login.session_key)
                #expect(try await django.get("/accounts/profile/").status == .ok)
                #expect(try await index.records(userID: zoe.id).map(\.sessionKey) == [login.session_key])

                let here = Browser(client)
                #expect(try await here.logIn(username: "zoe", password: DjangoInteropTests.password).status == .found)
                let page = try await here.get("/accounts/sessions/")
                let djangoID = UserSessionRecord.id(ofKey: login.session_key)
                #expect(String(buffer: page.body).contains(#"value="\#(djangoID)""#))
                let token = try #require(Browser.csrfToken(in: page))
                #expect(try await here.post("/accounts/sessions/", form: [("csrfmiddlewaretoken", token), ("session", djangoID)]).status == .found)

                let whoami = try await DjangoInterop.whoami(shared, secret: DjangoInteropTests.secret, session: login.session_key)
                #expect(!whoami.is_authenticated && !whoami.session_found)
                #expect(try await django.get("/accounts/profile/").status == .found)
                #expect(try await here.get("/accounts/profile/").status == .ok)
            }
        }
    }
}
