import Gatehouse
import GatehouseConformance
import Testing

@Suite("MemoryObjectPermissionStore conformance")
struct MemoryObjectPermissionStoreTests {
    @Test(arguments: ObjectPermissionConformance.cases)
    func conformance(_ check: ObjectPermissionConformance.Case) async throws {
        let store = MemoryAuthStore()
        try await check.run(on: store, objects: MemoryObjectPermissionStore(authStore: store))
    }

    @Test func defaultVerboseNamesFollowDjango() {
        #expect(ModelRegistration.defaultVerboseName("BlogPost") == "blog post")
        #expect(ModelRegistration.defaultVerboseName("post") == "post")
        #expect(ModelRegistration.defaultVerboseName("HTTPRequest") == "http request")
        #expect(ModelRegistration.defaultVerboseName("LogEntry") == "log entry")
        #expect(ModelRegistration.defaultVerboseName("ABC") == "abc")
        #expect(ModelRegistration.defaultVerboseName("MyURLField2") == "my url field2")
    }
}
