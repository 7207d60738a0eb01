// Micro benchmarks (ordo-one/benchmark): the pieces every request or login runs.
//
//   cd Benchmarks && swift package benchmark --target GatehouseMicro
import Benchmark
import Foundation
import Gatehouse

/// A small world for permission checks: 50 permissions, alice holding 10 through two groups.
struct PermissionWorld {
    let store: MemoryAuthStore
    let alice: User

    static func make() async throws -> PermissionWorld {
        let store = MemoryAuthStore()
        var permissions: [Permission] = []
        for model in 0..<10 {
            let result = try await ModelRegistration(store: store).register(appLabel: "app\(model)", model: "thing")
            permissions += result.createdPermissions
        }
        let alice = try await store.insertUser(NewUser(username: "alice", password: "!", dateJoined: Date()))
        for (index, name) in ["readers", "writers"].enumerated() {
            let group = try await store.insertGroup(name: name)
            for permission in permissions.dropFirst(index * 5).prefix(5) { try await store.grant(permission.id, toGroup: group.id) }
            try await store.addUser(alice.id, toGroup: group.id)
        }
        return PermissionWorld(store: store, alice: alice)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .throughput], maxDuration: .seconds(2))

    let keys = try! SigningKeys(secretKey: "micro-benchmark-secret-key-0123456789abcdefghij")
    let codec = SessionDataCodec(keys: keys)
    let session: [String: JSONValue] = [
        "_auth_user_id": "42", "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
        "_auth_user_hash": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ]
    let encoded = codec.encode(session, at: Date())
    let signer = Signer(keys: keys, salt: "gatehouse.benchmark")
    let signed = signer.sign("hello world")
    let secret = CSRFToken.makeSecret()
    let token = try! CSRFToken.mask(secret)

    Benchmark("session data: encode (sign + compress)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(codec.encode(session, at: Date())) }
    }
    Benchmark("session data: decode (verify + decompress)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try codec.decode(encoded)) }
    }
    Benchmark("signing: sign") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(signer.sign("hello world")) }
    }
    Benchmark("signing: unsign") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try signer.unsign(signed)) }
    }
    Benchmark("CSRF: mask") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try CSRFToken.mask(secret)) }
    }
    Benchmark("CSRF: check a token against the secret") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(CSRFToken.tokensMatch(given: token, secret: secret)) }
    }

    let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher())
    let pbkdf2 = try! PBKDF2PasswordHasher().encode(password: "correct horse battery staple", salt: "abcdefghijklmnopqrstuv")
    Benchmark(
        "password: pbkdf2_sha256 verify (1,500,000 iterations)",
        configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(5), maxIterations: 10)
    ) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try await hashers.verifyPassword("correct horse battery staple", encoded: pbkdf2)) }
    }

    Benchmark("permissions: cold check (no cache)") { benchmark, world in
        let checker = PermissionChecker(backends: [ModelPermissionBackend(store: world.store)])
        for _ in benchmark.scaledIterations { blackHole(try await checker.hasPermission(world.alice, "app3.change_thing")) }
    } setup: {
        try await PermissionWorld.make()
    }
    Benchmark("permissions: warm check (cached)") { benchmark, world in
        let checker = PermissionChecker(backends: [
            CachedPermissionBackend(ModelPermissionBackend(store: world.store), cache: PermissionCache(), versions: world.store.permissionVersion)
        ])
        _ = try await checker.hasPermission(world.alice, "app3.change_thing")
        for _ in benchmark.scaledIterations { blackHole(try await checker.hasPermission(world.alice, "app3.change_thing")) }
    } setup: {
        try await PermissionWorld.make()
    }
}
