/// Django's default model permissions (`Meta.default_permissions`).
///
/// ```swift
/// let readOnly: [DefaultPermission] = [.view]
/// ```
public enum DefaultPermission: String, Sendable, Hashable, CaseIterable, Codable {
    /// `add_<model>`, "Can add <verbose name>".
    case add
    /// `change_<model>`, "Can change <verbose name>".
    case change
    /// `delete_<model>`, "Can delete <verbose name>".
    case delete
    /// `view_<model>`, "Can view <verbose name>".
    case view
}

/// What one ``ModelRegistration/register(appLabel:model:verboseName:customPermissions:defaultPermissions:)``
/// call found and created.
///
/// ```swift
/// let result = try await registration.register(appLabel: "blog", model: "post")
/// print(result.createdPermissions.map(\.codename))   // ["add_post", "change_post", "delete_post", "view_post"]
/// ```
public struct ModelRegistrationResult: Sendable, Hashable {
    /// The model's content type, found or created.
    public var contentType: ContentType
    /// Whether the content type was created by this call.
    public var createdContentType: Bool
    /// The permissions this call created, in the order they were declared (defaults, then custom).
    public var createdPermissions: [Permission]

    /// Creates a result value.
    public init(contentType: ContentType, createdContentType: Bool, createdPermissions: [Permission]) {
        self.contentType = contentType
        self.createdContentType = createdContentType
        self.createdPermissions = createdPermissions
    }

    /// Whether the call changed nothing.
    public var isUnchanged: Bool { !createdContentType && createdPermissions.isEmpty }
}

/// Registers a model the way Django's `migrate` does (`create_contenttypes` and
/// `create_permissions`): its content type when missing, and its default and custom permissions
/// when missing. Running it again changes nothing; existing names are never rewritten, as in Django.
///
/// ```swift
/// let registration = ModelRegistration(store: store)
/// let result = try await registration.register(
///     appLabel: "blog", model: "BlogPost",
///     customPermissions: [("publish_blogpost", "Can publish posts")]
/// )
/// // content type blog.blogpost; add_blogpost "Can add blog post", ..., publish_blogpost
/// ```
public struct ModelRegistration: Sendable {
    /// Where content types and permissions are kept.
    public let store: any ContentTypeStore & PermissionStore

    /// Creates the registration on `store`.
    public init(store: any ContentTypeStore & PermissionStore) {
        self.store = store
    }

    /// Creates what is missing of the model's content type and permissions and returns what it created.
    ///
    /// - `model` is the model's class name (`BlogPost`) or its lowercased name; the content type
    ///   stores it lowercased, as Django's `model_name`.
    /// - `verboseName` defaults to Django's default `verbose_name`: the model name with spaces
    ///   between camel-case words, lowercased (`BlogPost` → `blog post`).
    /// - Default permissions are `<action>_<model_name>` named `Can <action> <verbose name>`.
    ///
    /// ```swift
    /// try await ModelRegistration(store: store).register(appLabel: "blog", model: "post", defaultPermissions: [.view])
    /// ```
    @discardableResult
    public func register(
        appLabel: String,
        model: String,
        verboseName: String? = nil,
        customPermissions: [(codename: String, name: String)] = [],
        defaultPermissions: [DefaultPermission] = DefaultPermission.allCases
    ) async throws -> ModelRegistrationResult {
        let modelName = model.lowercased()
        let verbose = verboseName ?? Self.defaultVerboseName(model)
        guard !appLabel.isEmpty, appLabel.unicodeScalars.count <= 100, !modelName.isEmpty, modelName.unicodeScalars.count <= 100
        else {
            throw ValidationError(code: "invalid_model", message: "App labels and model names have 1 to 100 characters.")
        }
        var wanted: [(codename: String, name: String)] = defaultPermissions.map {
            ("\($0.rawValue)_\(modelName)", "Can \($0.rawValue) \(verbose)")
        }
        wanted += customPermissions
        for permission in wanted {
            guard !permission.codename.isEmpty, permission.codename.unicodeScalars.count <= Permission.maximumCodenameLength else {
                throw ValidationError(
                    code: "invalid_codename",
                    message: "Permission codenames have 1 to \(Permission.maximumCodenameLength) characters."
                )
            }
            guard permission.name.unicodeScalars.count <= Permission.maximumNameLength else {
                // Django's create_permissions refuses the same way.
                throw ValidationError(
                    code: "name_too_long",
                    message: "The permission name \(permission.name) is longer than \(Permission.maximumNameLength) characters."
                )
            }
        }

        var createdContentType = false
        let contentType: ContentType
        if let existing = try await store.contentType(appLabel: appLabel, model: modelName) {
            contentType = existing
        } else {
            do {
                contentType = try await store.insertContentType(appLabel: appLabel, model: modelName)
                createdContentType = true
            } catch let error as StoreError where error.isDuplicate {
                // Registered concurrently.
                guard let existing = try await store.contentType(appLabel: appLabel, model: modelName) else { throw error }
                contentType = existing
            }
        }

        var existing = Set(try await store.permissions().filter { $0.contentType.id == contentType.id }.map(\.codename))
        var created: [Permission] = []
        for permission in wanted where !existing.contains(permission.codename) {
            do {
                created.append(
                    try await store.insertPermission(name: permission.name, codename: permission.codename, contentTypeID: contentType.id)
                )
            } catch let error as StoreError where error.isDuplicate {
                // Registered concurrently; keep the other registration's row.
            }
            existing.insert(permission.codename)
        }
        return ModelRegistrationResult(contentType: contentType, createdContentType: createdContentType, createdPermissions: created)
    }

    /// Django's default `verbose_name` for a model class name (`camel_case_to_spaces`): a space
    /// before each capital that follows a lowercase letter or starts a new word, then lowercased.
    ///
    /// ```swift
    /// ModelRegistration.defaultVerboseName("BlogPost")    // "blog post"
    /// ModelRegistration.defaultVerboseName("HTTPRequest") // "http request"
    /// ```
    public static func defaultVerboseName(_ model: String) -> String {
        // re.sub('(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))', ' \\1', value).strip().lower()
        let characters = Array(model)
        var result = ""
        for (index, character) in characters.enumerated() {
            if Self.isASCIIUpper(character) {
                let afterLower = index > 0 && Self.isASCIILower(characters[index - 1])
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let startsWord = next != nil && !Self.isASCIIUpper(next!)
                if afterLower || startsWord { result.append(" ") }
            }
            result.append(character)
        }
        return result.trimmingWhitespace().lowercased()
    }

    private static func isASCIIUpper(_ character: Character) -> Bool { ("A"..."Z").contains(character) }
    private static func isASCIILower(_ character: Character) -> Bool { ("a"..."z").contains(character) }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
