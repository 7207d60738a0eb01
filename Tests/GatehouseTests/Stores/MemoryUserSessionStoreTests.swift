import Gatehouse
import GatehouseConformance
import Testing

@Suite("MemoryUserSessionStore conformance")
struct MemoryUserSessionStoreTests {
    @Test(arguments: UserSessionStoreConformance.cases)
    func conformance(_ check: UserSessionStoreConformance.Case) async throws {
        try await check.run(on: MemoryUserSessionStore())
    }
}
