import Foundation
import Gatehouse
import Testing

/// The password change form against what Django 6.1's `PasswordChangeForm` says for the same
/// submissions (scripts/django/gen_password_change_vectors.py).
@Suite("Password change form: Django's fields, order and messages")
struct PasswordChangeFormTests {
    struct Vectors: Decodable {
        struct Person: Decodable {
            let username: String
            let first_name: String
            let last_name: String
            let email: String
            let password: String
        }
        struct Case: Decodable, CustomTestStringConvertible {
            let name: String
            let data: [String: String]
            let valid: Bool
            let errors: [String: [Message]]
            var testDescription: String { name }
        }
        struct Message: Decodable, Hashable {
            let code: String
            let message: String
        }
        let validators: [String]
        let user: Person
        let cases: [Case]
    }

    static let vectors: Vectors = {
        do {
            return try PasswordFixtures.load("password-change-vectors.json", as: Vectors.self)
        } catch {
            fatalError("Tests/Fixtures/django/password-change-vectors.json: \(error)")
        }
    }()

    static let hashers = PasswordHashers(preferred: PBKDF2PasswordHasher(iterations: 1_000))

    static func user() async throws -> User {
        let person = vectors.user
        let hash = try await hashers.makePassword(person.password)
        return User(
            id: 7, password: hash, lastLogin: nil, isSuperuser: false, username: person.username, firstName: person.first_name,
            lastName: person.last_name, email: person.email, isStaff: false, isActive: true, dateJoined: Date(timeIntervalSince1970: 0)
        )
    }

    @Test func theVectorsUseGatehousesDefaultValidators() {
        #expect(Self.vectors.validators == PasswordValidators.defaults.validators.map { String(describing: type(of: $0)) })
        #expect(Self.vectors.cases.count >= 20)
    }

    @Test(arguments: vectors.cases)
    func sameErrorsAsDjango(_ vector: Vectors.Case) async throws {
        let form = PasswordChangeForm(
            oldPassword: vector.data["old_password"], newPassword1: vector.data["new_password1"], newPassword2: vector.data["new_password2"]
        )
        let errors = try await form.errors(for: try await Self.user(), hashers: Self.hashers, validators: .defaults)
        #expect(errors.isEmpty == vector.valid)
        var got: [String: [Vectors.Message]] = [:]
        for (field, list) in errors.byField {
            got[field] = list.map { Vectors.Message(code: $0.code, message: $0.message) }
        }
        #expect(got == vector.errors)
    }
}
