public import Foundation

/// Django's `CommonPasswordValidator`: the password, lowercased and with surrounding whitespace
/// removed (Python's `.lower().strip()`), must not be on a list of common passwords.
///
/// The default list is Django's own (19,640 passwords in Django 6.1), read once from the module's
/// resource `common-passwords.txt.gz` (written by `scripts/django/gen_common_passwords.py`). A binary
/// finds it in the `Gatehouse_Gatehouse.resources` bundle SwiftPM builds beside it: ship that with it.
///
/// ```swift
/// try CommonPasswordValidator().validate("Password1", user: nil)
/// // ValidationError(code: "password_too_common", message: "This password is too common.")
/// let custom = CommonPasswordValidator(passwords: ["acme2024", "letmein"])
/// ```
public struct CommonPasswordValidator: PasswordValidator {
    /// The passwords refused, each stripped of surrounding whitespace. Entries should be lowercase,
    /// since passwords are lowercased before the lookup (as in Django).
    public let passwords: Set<String>

    /// Uses Django's list.
    ///
    /// ```swift
    /// let validator = CommonPasswordValidator()
    /// ```
    public init() {
        self.passwords = CommonPasswords.django
    }

    /// Uses `passwords` instead of Django's list; each entry is stripped of surrounding whitespace.
    ///
    /// ```swift
    /// let validator = CommonPasswordValidator(passwords: ["acme2024"])
    /// ```
    public init(passwords: some Sequence<String>) {
        self.passwords = Set(passwords.map(PythonText.strip))
    }

    /// Reads a list with one password per line (UTF-8), as Django's `password_list_path`.
    ///
    /// ```swift
    /// let validator = try CommonPasswordValidator(contentsOf: URL(filePath: "/etc/app/passwords.txt"))
    /// ```
    public init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        self.init(passwords: CommonPasswords.lines(text))
    }

    /// Throws `password_too_common` when the normalized password is on the list.
    ///
    /// ```swift
    /// try CommonPasswordValidator().validate(" QWERTY ", user: nil)   // throws password_too_common
    /// ```
    public func validate(_ password: String, user: PasswordUserAttributes?) throws(ValidationError) {
        if passwords.contains(PythonText.strip(PythonText.lower(password))) {
            throw ValidationError(code: "password_too_common", message: "This password is too common.")
        }
    }

    /// "Your password can’t be a commonly used password."
    public var helpText: String { "Your password can\u{2019}t be a commonly used password." }
}

/// Django's common-password list, read and parsed once on first use.
enum CommonPasswords {
    /// The resource, as Django ships it: gzip of UTF-8 text, one password per line.
    static let resourceName = "common-passwords.txt"
    /// More than the list will ever need (it is about 170 KB); a damaged file cannot take more.
    static let decompressedLimit = 16 << 20

    /// Django's common passwords.
    static let django: Set<String> = {
        do {
            return Set(lines(try loadDjangoList()).map(PythonText.strip))
        } catch {
            // An empty list would quietly accept every common password: refuse to go on instead.
            fatalError("Gatehouse: \(error)")
        }
    }()

    /// The text of `common-passwords.txt.gz` from the module's resource bundle.
    static func loadDjangoList() throws -> String {
        guard let url = Bundle.module.url(forResource: resourceName, withExtension: "gz") else {
            throw CommonPasswordListError.missing
        }
        let compressed = try Data(contentsOf: url)
        do {
            let bytes = try Zlib.gunzip(Array(compressed), limit: decompressedLimit)
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw CommonPasswordListError.unreadable(path: url.path, reason: "\(error)")
        }
    }

    /// The lines of `text` as Python reads a text file: split after `\n`, `\r\n` or `\r` (universal
    /// newlines), line ends dropped, no final empty line.
    static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var previousWasCarriageReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousWasCarriageReturn {
                previousWasCarriageReturn = false
                continue
            }
            previousWasCarriageReturn = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                result.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { result.append(String(current)) }
        return result
    }
}

/// Django's common-password list could not be loaded from the module's resources.
struct CommonPasswordListError: Error, CustomStringConvertible {
    private enum Kind {
        case missing
        case unreadable(path: String, reason: String)
    }

    private let kind: Kind

    /// The resource is not in the bundle (or the bundle is not beside the binary).
    static let missing = CommonPasswordListError(kind: .missing)

    /// The resource is there but is not gzip of at most ``CommonPasswords/decompressedLimit`` bytes.
    static func unreadable(path: String, reason: String) -> CommonPasswordListError {
        CommonPasswordListError(kind: .unreadable(path: path, reason: reason))
    }

    var description: String {
        switch kind {
        case .missing:
            "\(CommonPasswords.resourceName).gz is missing from the Gatehouse_Gatehouse resource bundle"
        case .unreadable(let path, let reason):
            "\(path) is not a readable gzip file (\(reason))"
        }
    }
}
