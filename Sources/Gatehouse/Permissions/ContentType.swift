/// A model an application registers permissions for (`django_content_type`).
///
/// ```swift
/// let post = try await store.insertContentType(appLabel: "blog", model: "post")
/// ```
public struct ContentType: Sendable, Hashable, Codable, Identifiable {
    /// The primary key.
    public var id: Int64
    /// The application's label, such as `blog`.
    public var appLabel: String
    /// The model's lowercased name, such as `post`.
    public var model: String

    /// Creates a content type value.
    public init(id: Int64, appLabel: String, model: String) {
        self.id = id
        self.appLabel = appLabel
        self.model = model
    }
}
