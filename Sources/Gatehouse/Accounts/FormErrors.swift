/// The errors of a submitted form, by field name (Django's `form.errors`); `"__all__"` holds the
/// errors of the whole form.
///
/// ```swift
/// var errors = FormErrors()
/// errors.add(ValidationError(code: "required", message: "This field is required."), to: "email")
/// errors["email"].map(\.message)   // ["This field is required."]
/// ```
public struct FormErrors: Sendable, Hashable {
    /// The field name Django uses for errors of the whole form.
    public static let nonField = "__all__"

    /// Errors by field, each in the order they were found.
    public private(set) var byField: [String: [ValidationError]] = [:]

    /// No errors.
    public init() {}

    /// The errors of `field` (empty when it has none).
    public subscript(field: String) -> [ValidationError] { byField[field] ?? [] }

    /// Whether the form is valid.
    public var isEmpty: Bool { byField.isEmpty }

    /// Whether `field` has an error.
    public func contains(_ field: String) -> Bool { byField[field] != nil }

    /// Adds `error` to `field`.
    public mutating func add(_ error: ValidationError, to field: String) {
        byField[field, default: []].append(error)
    }
}
