import Foundation
import Testing

/// Package.swift says macOS 15 as well as Linux: no source or test may spell a call in a way only one
/// C library module understands. Checked on the text, so a Linux run catches what only a Mac build
/// would otherwise show.
@Suite("sources build on Glibc, Musl and Darwin alike")
struct PlatformSpellingTests {
    static let repositoryRoot: URL = {
        var url = URL(filePath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    /// Every Swift file of the package, its tests, the benchmarks and the fuzz targets.
    static func swiftFiles() -> [(path: String, lines: [Substring])] {
        var files: [(String, [Substring])] = []
        for folder in ["Sources", "Tests", "Benchmarks/Sources", "Benchmarks/Benchmarks", "Fuzz/Sources"] {
            let directory = repositoryRoot.appending(path: folder)
            guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in enumerator where file.pathExtension == "swift" {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                files.append((String(file.path.dropFirst(repositoryRoot.path.count)), text.split(separator: "\n", omittingEmptySubsequences: false)))
            }
        }
        return files
    }

    @Test("no call is qualified with Glibc, Musl or Darwin")
    func noQualifiedCalls() throws {
        let qualified = try Regex(#"\b(Glibc|Musl|Darwin)\.[a-z_]\w*"#)
        let files = Self.swiftFiles()
        #expect(files.count > 100)
        for (path, lines) in files {
            for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                #expect(line.firstMatch(of: qualified) == nil, "\(path):\(number + 1): \(line)")
            }
        }
    }

    @Test("C library modules are imported only under #if canImport of that module")
    func guardedImports() throws {
        let importLine = try Regex(#"^\s*(?:@preconcurrency\s+)?(?:\w+\s+)?import\s+(Glibc|Musl|Darwin)\b"#)
        for (path, lines) in Self.swiftFiles() {
            for (number, line) in lines.enumerated() {
                guard let match = line.firstMatch(of: importLine), let module = match.output[1].substring else { continue }
                let previous = number > 0 ? lines[number - 1].trimmingCharacters(in: .whitespaces) : ""
                #expect(
                    previous == "#if canImport(\(module))" || previous == "#elseif canImport(\(module))",
                    "\(path):\(number + 1): import \(module) outside #if canImport(\(module))"
                )
            }
        }
    }

    @Test("Glibc-only spellings sit in a #if canImport(Glibc) branch")
    func glibcOnlySpellings() {
        // Glibc's overlay imports these as enums or types the other C libraries do not have.
        let glibcOnly = ["__rlimit_resource_t", "SOCK_STREAM.rawValue", "SOCK_DGRAM.rawValue", "__socket_type"]
        for (path, lines) in Self.swiftFiles() where !path.hasSuffix("/PlatformSpellingTests.swift") {
            var branch = ""
            for (number, line) in lines.enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("#if") || trimmed.hasPrefix("#elseif") || trimmed.hasPrefix("#else") {
                    branch = trimmed
                } else if trimmed.hasPrefix("#endif") {
                    branch = ""
                }
                for spelling in glibcOnly where line.contains(spelling) {
                    #expect(branch == "#if canImport(Glibc)", "\(path):\(number + 1): \(spelling) outside #if canImport(Glibc)")
                }
            }
        }
    }
}
