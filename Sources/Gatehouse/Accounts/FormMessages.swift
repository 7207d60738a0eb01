/// The messages of Django's account forms, with their codes (Django 6.1's English text).
enum FormMessages {
    static let required = ValidationError(code: "required", message: "This field is required.")
    static let passwordMismatch = ValidationError(code: "password_mismatch", message: "The two password fields didn\u{2019}t match.")
    static let passwordIncorrect = ValidationError(
        code: "password_incorrect", message: "Your old password was entered incorrectly. Please enter it again."
    )
}
