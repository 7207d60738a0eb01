import Foundation
import Gatehouse
import Testing

/// Every case of Tests/Fixtures/django/validator-vectors.json (made by Django 6.1.3).
@Suite("Django validator vectors")
struct ValidatorVectorTests {
    @Test("the fixture is present")
    func fixtureLoads() throws {
        let vectors = try PasswordFixtures.load("validator-vectors.json", as: ValidatorVectors.self)
        #expect(vectors.django_version == "6.1.3")
        #expect(vectors.cases.count > 50)
        #expect(!vectors.combined.isEmpty)
        #expect(
            vectors.default_validators
                == ["UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator"]
        )
    }

    /// The validator a case describes, or the error Django raised when constructing it.
    static func makeValidator(_ vector: ValidatorVectors.Case) throws -> any PasswordValidator {
        switch vector.validator {
        case "MinimumLengthValidator":
            return MinimumLengthValidator(minimumLength: vector.options.min_length ?? MinimumLengthValidator.defaultMinimumLength)
        case "UserAttributeSimilarityValidator":
            return try UserAttributeSimilarityValidator(
                userAttributes: vector.options.user_attributes ?? UserAttributeSimilarityValidator.defaultUserAttributes,
                maximumSimilarity: vector.options.max_similarity ?? UserAttributeSimilarityValidator.defaultMaximumSimilarity
            )
        case "CommonPasswordValidator":
            return CommonPasswordValidator()
        case "NumericPasswordValidator":
            return NumericPasswordValidator()
        default:
            throw ValidationError(code: "unknown", message: "unknown validator \(vector.validator)")
        }
    }

    @Test("each case: errors (code and message), help text, construction", arguments: PasswordFixtures.validatorCases)
    func vector(_ vector: ValidatorVectors.Case) throws {
        if let constructError = vector.construct_error {
            #expect(constructError == "ValueError: max_similarity must be at least 0.1")
            #expect(throws: ValidationError.self) { try Self.makeValidator(vector) }
            return
        }
        let validator = try Self.makeValidator(vector)
        #expect(validator.helpText == vector.help_text)
        var problems: [ValidatorVectors.Problem] = []
        do {
            try validator.validate(vector.password, user: vector.user?.attributes)
        } catch {
            problems.append(.init(code: error.code, message: error.message))
        }
        #expect(problems == vector.errors)
    }

    @Test("combined: the four defaults report every error in order", arguments: PasswordFixtures.combinedCases)
    func combined(_ vector: ValidatorVectors.Combined) {
        let errors = PasswordValidators.defaults.errors(for: vector.password, user: vector.user?.attributes)
        #expect(errors.map { ValidatorVectors.Problem(code: $0.code, message: $0.message) } == vector.errors)
        do {
            try PasswordValidators.defaults.validate(vector.password, user: vector.user?.attributes)
            #expect(vector.errors.isEmpty)
        } catch {
            #expect(error.errors.map(\.code) == vector.errors.map(\.code))
        }
    }

    @Test("help texts of the defaults")
    func helpTexts() throws {
        let vectors = try #require(PasswordFixtures.validators)
        #expect(PasswordValidators.defaults.helpTexts == vectors.help_texts)
        #expect(PasswordValidators.none.errors(for: "").isEmpty)
    }

    @Test("the compiled common-password list is Django's list")
    func commonList() throws {
        let text = try String(contentsOf: PasswordFixtures.directory.appending(component: "common-passwords.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 19_640)
        let validator = CommonPasswordValidator()
        #expect(validator.passwords == Set(lines))
        let fromFile = try CommonPasswordValidator(contentsOf: PasswordFixtures.directory.appending(component: "common-passwords.txt"))
        #expect(fromFile.passwords == validator.passwords)
    }

    @Test("custom lists, stripped and lowercased like Django's")
    func customCommonList() {
        let validator = CommonPasswordValidator(passwords: ["  acme2024 \r", "letmein"])
        #expect(throws: ValidationError.self) { try validator.validate(" ACME2024\u{3000}", user: nil) }
        #expect(throws: ValidationError.self) { try validator.validate("LetMeIn", user: nil) }
        #expect(throws: Never.self) { try validator.validate("password", user: nil) }
    }

    @Test("similarity with attributes from User, NewUser and custom fields")
    func attributeSources() throws {
        let user = User(id: 1, password: "", username: "jdoe", firstName: "John", lastName: "Doe", email: "john.doe@example.com", dateJoined: Date())
        #expect(throws: ValidationError.self) { try UserAttributeSimilarityValidator().validate("johndoe", user: PasswordUserAttributes(user)) }
        let draft = NewUser(username: "marguerite", password: "", dateJoined: Date())
        #expect(throws: ValidationError.self) { try UserAttributeSimilarityValidator().validate("Marguerite", user: PasswordUserAttributes(draft)) }
        let custom = try UserAttributeSimilarityValidator(userAttributes: ["nickname"], verboseNames: ["nickname": "nickname"])
        let attributes = PasswordUserAttributes(username: "x", additional: ["nickname": "sparkles"])
        #expect(throws: ValidationError(code: "password_too_similar", message: "The password is too similar to the nickname.")) {
            try custom.validate("sparkles!", user: attributes)
        }
        #expect(throws: Never.self) { try UserAttributeSimilarityValidator().validate("jdoe", user: nil) }
    }
}
