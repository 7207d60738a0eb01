/// Limits applied when reading signed objects (``Signer/unsignObject(_:configuration:)``,
/// ``TimestampSigner/unsignObject(_:maxAge:configuration:)`` and the session codecs).
///
/// Django has no such limits: it decompresses and parses whatever verifies. The limits matter when a
/// signing key leaks or when a value signed by the application itself grew huge; the defaults are far
/// above what a session needs.
///
/// ```swift
/// var configuration = SigningConfiguration()
/// configuration.maximumDecodedBytes = 256 * 1024
/// let object = try signer.unsignObject(token, configuration: configuration)
/// ```
public struct SigningConfiguration: Sendable, Hashable {
    /// The most bytes of JSON a signed object may decode (and decompress) to; 1 MiB by default.
    /// Decompression stops as soon as the output would pass it, so a zip bomb costs at most this much
    /// memory. Signed input longer than about twice this is refused before its signature is checked.
    ///
    /// ```swift
    /// SigningConfiguration(maximumDecodedBytes: 64 * 1024)
    /// ```
    public var maximumDecodedBytes: Int

    /// The deepest nesting of arrays and objects accepted when parsing; 128 by default. Parsing,
    /// comparing and freeing values are recursive, so this bounds stack use.
    ///
    /// ```swift
    /// SigningConfiguration(maximumNestingDepth: 32)
    /// ```
    public var maximumNestingDepth: Int

    /// Creates limits; the defaults are 1 MiB of decoded JSON and 128 levels of nesting.
    ///
    /// ```swift
    /// let configuration = SigningConfiguration()
    /// ```
    public init(maximumDecodedBytes: Int = 1 << 20, maximumNestingDepth: Int = 128) {
        self.maximumDecodedBytes = maximumDecodedBytes
        self.maximumNestingDepth = maximumNestingDepth
    }

    /// The longest signed string worth checking: base64 of `maximumDecodedBytes` plus room for the
    /// compression flag, a timestamp and a signature.
    var maximumSignedBytes: Int {
        let limit = max(0, maximumDecodedBytes)
        let (base64, overflow) = limit.multipliedReportingOverflow(by: 2)
        return overflow ? Int.max : base64 + 1024
    }
}
