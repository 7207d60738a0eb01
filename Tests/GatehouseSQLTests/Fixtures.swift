import Foundation

/// Files under `Tests/Fixtures`, found from this source file's path so tests run from any directory.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relativePath))
    }
}

/// A schema dump made by `scripts/django/dump_schema.py` with real Django.
struct SchemaDump: Decodable {
    struct Query: Decodable {
        let name: String
        let sql: String
        let rows: [[String?]]
    }

    let django_version: String
    let queries: [Query]

    static func load(_ file: String) throws -> SchemaDump {
        try JSONDecoder().decode(SchemaDump.self, from: Fixtures.data("django/\(file)"))
    }
}
