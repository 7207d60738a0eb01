/// Waits until `condition` holds, polling every millisecond, and throws after `seconds` instead of
/// spinning forever: a condition that is never met fails its test rather than holding the whole run
/// (a bare `while !condition { await Task.yield() }` once spun on CI's two cores for half an hour).
public func yieldUntil(
    seconds: Int = 60, _ what: @autoclosure () -> String = "a condition", _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while try await !condition() {
        if ContinuousClock.now > deadline { throw TestFailure("not reached within \(seconds) s: \(what())") }
        try await Task.sleep(for: .milliseconds(1))
    }
}
