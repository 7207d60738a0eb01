import Gatehouse
import GatehouseConformance
import Testing

@Suite("MemoryLoginFailureStore conformance")
struct MemoryLoginFailureStoreTests {
    @Test(arguments: LoginFailureStoreConformance.cases)
    func conformance(_ check: LoginFailureStoreConformance.Case) async throws {
        try await check.run(on: MemoryLoginFailureStore())
    }
}
