/// One entry of the audit trail: a stable name (`login.failed`, `group.member_added`) and its
/// fields (`user_id`, `username`, `client`, `path`, `reason`...), never a secret.
/// docs/operations.md lists every event and its fields.
package struct AuditEvent: Sendable, Hashable {
    /// The event's stable name, also the log line's message.
    package let name: String
    /// The event's fields, by name.
    package var fields: [String: String]

    /// An event named `name` with `fields`, each value scrubbed (``scrubbed(_:limit:)``): names
    /// (`username`, `group`) to ``maximumNameLength`` characters, others to 1,024.
    package init(_ name: String, _ fields: [String: String] = [:]) {
        self.name = name
        var scrubbed: [String: String] = [:]
        for (key, value) in fields {
            scrubbed[key] = Self.scrubbed(value, limit: key == "username" || key == "group" ? Self.maximumNameLength : 1_024)
        }
        self.fields = scrubbed
    }

    /// The longest value kept of a name a client typed: Django's username limit.
    package static let maximumNameLength = 150

    /// `text` with every control character (C0, DEL, C1, line and paragraph separators, and the
    /// invisible format characters that reorder text) replaced by `?`, cut at `limit` characters
    /// (then ending in `…`): a name as typed, which can neither forge a line nor hide what it is.
    package static func scrubbed(_ text: String, limit: Int = maximumNameLength) -> String {
        // Printable ASCII within the limit (nearly every name and path) is kept as it is, without
        // looking up each scalar's Unicode category: a 403 is audited, so this runs per request.
        if text.utf8.count <= limit, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                result += "…"
                break
            }
            let category = scalar.properties.generalCategory
            let control = category == .control || category == .format || scalar == "\u{2028}" || scalar == "\u{2029}"
            result.unicodeScalars.append(control ? "?" : scalar)
            count += 1
        }
        return result
    }
}
