/// Where content types are kept (`django_content_type`).
///
/// ```swift
/// let post = try await store.insertContentType(appLabel: "blog", model: "post")
/// ```
public protocol ContentTypeStore: Sendable {
    /// Saves a new content type; throws ``StoreError/duplicate(_:)`` with field `app_label, model`.
    func insertContentType(appLabel: String, model: String) async throws -> ContentType
    /// The content type with `id`, if any.
    func contentType(id: Int64) async throws -> ContentType?
    /// The content type for `appLabel` and `model`, if any.
    func contentType(appLabel: String, model: String) async throws -> ContentType?
    /// Every content type ordered by app label and model.
    func contentTypes() async throws -> [ContentType]
    /// Deletes the content type and its permissions; `false` when it did not exist.
    @discardableResult
    func deleteContentType(id: Int64) async throws -> Bool
}
