import Gatehouse
import GatehouseConformance
import Testing

@Suite("Permission checks with Django's semantics, on the memory store")
struct PermissionCheckerTests {
    @Test(arguments: PermissionCheckerConformance.cases)
    func semantics(_ check: PermissionCheckerConformance.Case) async throws {
        try await check.run(on: MemoryAuthStore())
    }
}
