import Foundation
@testable import Gatehouse
import Testing

/// Django's common-password list as a gzip resource of the Gatehouse module (Bundle.module).
@Suite("common-password list resource")
struct CommonPasswordResourceTests {
    @Test("the list has Django 6.1's 19,640 passwords, the common ones in, others out")
    func countAndEntries() throws {
        let passwords = CommonPasswordValidator().passwords
        #expect(passwords.count == 19_640)
        for common in ["123456", "password", "qwerty", "iloveyou", "1q2w3e4r5t", "dragon", "monkey"] {
            #expect(passwords.contains(common), "\(common)")
        }
        for uncommon in ["", "Password", "correct horse battery staple", "gatehouse-7f3k9q", " 123456"] {
            #expect(!passwords.contains(uncommon), "\(uncommon)")
        }
        #expect(throws: ValidationError.self) { try CommonPasswordValidator().validate(" PASSWORD ", user: nil) }
        #expect(throws: Never.self) { try CommonPasswordValidator().validate("correct horse battery staple", user: nil) }
    }

    @Test("the resource is found through Bundle.module and is gzip of the fixture's exact bytes")
    func resourceBytes() throws {
        let url = try #require(Bundle.module.url(forResource: CommonPasswords.resourceName, withExtension: "gz"))
        let compressed = Array(try Data(contentsOf: url))
        #expect(compressed.starts(with: [0x1F, 0x8B]), "a gzip header")
        let text = try CommonPasswords.loadDjangoList()
        let fixture = try Data(contentsOf: PasswordFixtures.directory.appending(component: "common-passwords.txt"))
        #expect(Array(text.utf8) == Array(fixture))
        // The copy in the source tree is the one the bundle holds.
        let source = PasswordFixtures.repositoryRoot.appending(components: "Sources", "Gatehouse", "Resources", "common-passwords.txt.gz")
        #expect(Array(try Data(contentsOf: source)) == compressed)
    }

    @Test("gunzip refuses zlib-format data, truncated gzip and more than the limit")
    func gunzipBounds() throws {
        let url = try #require(Bundle.module.url(forResource: CommonPasswords.resourceName, withExtension: "gz"))
        let compressed = Array(try Data(contentsOf: url))
        #expect(throws: SigningError.self) { try Zlib.gunzip(Array(compressed.prefix(compressed.count / 2)), limit: 1 << 24) }
        #expect(throws: SigningError.self) { try Zlib.gunzip(compressed, limit: 1000) }
        let zlibFormat = try #require(Zlib.compress(Array("password\n".utf8)))
        #expect(throws: SigningError.self) { try Zlib.gunzip(zlibFormat, limit: 1000) }
        #expect(try Zlib.decompress(zlibFormat, limit: 1000) == Array("password\n".utf8))
    }
}
