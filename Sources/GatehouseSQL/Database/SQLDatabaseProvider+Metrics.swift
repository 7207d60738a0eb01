import Gatehouse

extension SQLDatabaseProvider {
    /// Counts `error`, thrown by a read or a write, in `gatehouse_database_errors_total`, unless it is
    /// an answer rather than a failure: a constraint the store turns into ``Gatehouse/StoreError``,
    /// a `StoreError` other than an outage, or a cancelled task.
    package func countError(_ error: any Error, writing: Bool) {
        if error is CancellationError || constraintViolation(in: error) != nil { return }
        if let error = error as? StoreError, !error.isUnavailable { return }
        DomainMetrics.shared.countDatabaseError(writing: writing)
    }
}
