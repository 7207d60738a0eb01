/// Everything the model needs from storage, in one value.
///
/// ```swift
/// func setUp(store: some AuthStore) async throws { ... }
/// ```
public typealias AuthStore = UserStore & GroupStore & ContentTypeStore & PermissionStore
