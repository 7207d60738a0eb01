import Gatehouse
import GatehouseConformance
import Testing

@Suite("MemoryAuthStore conformance")
struct MemoryAuthStoreTests {
    @Test(arguments: AuthStoreConformance.cases)
    func conformance(_ check: AuthStoreConformance.Case) async throws {
        try await check.run(on: MemoryAuthStore())
    }
}
