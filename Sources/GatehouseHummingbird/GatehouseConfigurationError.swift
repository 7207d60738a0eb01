/// Wiring that cannot work, reported when the server is put together instead of as wrong answers
/// on every request.
///
/// ```swift
/// do {
///     _ = try builder.permissionChecker
/// } catch let error as GatehouseConfigurationError {
///     print(error)   // "the user store MyStore keeps no permissions ..."
/// }
/// ```
public struct GatehouseConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable {
        case storeKeepsNoPermissions(storeType: String)
        case invalidPublicURL(reason: String)
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    /// A permission checker was asked for on a user store that is not a `PermissionStore`.
    static func storeKeepsNoPermissions(_ store: Any.Type) -> GatehouseConfigurationError {
        GatehouseConfigurationError(.storeKeepsNoPermissions(storeType: String(describing: store)))
    }

    /// A public URL (the origin of links) that is not an `http` or `https` origin.
    static func invalidPublicURL(_ reason: String) -> GatehouseConfigurationError {
        GatehouseConfigurationError(.invalidPublicURL(reason: reason))
    }

    /// What is wrong and what to do about it.
    public var description: String {
        switch kind {
        case .storeKeepsNoPermissions(let storeType):
            "the user store \(storeType) keeps no permissions (it is not a PermissionStore), so a permission "
                + "checker on it could only deny everything: give the builder a store that is one, or build a "
                + "PermissionChecker with your own permission backends"
        case .invalidPublicURL(let reason):
            "the public URL is not usable as the origin of links: \(reason) (give it as https://example.com or https://example.com:8443)"
        }
    }
}
