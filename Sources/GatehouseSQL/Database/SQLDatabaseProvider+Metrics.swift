import Gatehouse

extension SQLDatabaseProvider {
    /// Counts `error`, thrown by a read or a write, in `gatehouse_database_errors_total`, unless it is
    /// an answer rather than a failure: a constraint the store turns into ``Gatehouse/StoreError``,
    /// a `StoreError` itself, or a cancelled task.
    package func countError(_ error: any Error, writing: Bool) {
        if error is CancellationError || error is StoreError || constraintViolation(in: error) != nil { return }
        DomainMetrics.shared.countDatabaseError(writing: writing)
    }
}
