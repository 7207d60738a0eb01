import Gatehouse
import GatehouseTesting
import Logging
import Testing

@Suite("Email to the console and to a test outbox")
struct ConsoleEmailSenderTests {
    static let message = EmailMessage(
        from: "webmaster@localhost", to: ["alice@example.com", "bob@example.com"], subject: "Password reset on example.com",
        body: "Go to http://example.com/accounts/reset/MQ/token/ to choose a new password.\n"
    )

    @Test func theConsoleSenderLogsTheWholeMessageAtInfo() async throws {
        let logs = LogCapture()
        try await ConsoleEmailSender(logger: logs.logger("gatehouse.email")).send(Self.message)
        let line = try #require(logs.all.first)
        #expect(logs.all.count == 1)
        #expect(line.level == .info)
        #expect(line.message.contains("http://example.com/accounts/reset/MQ/token/"))
        #expect(line.metadata["to"] == "alice@example.com, bob@example.com")
        #expect(line.metadata["from"] == "webmaster@localhost")
        #expect(line.metadata["subject"] == "Password reset on example.com")
    }

    @Test func theOutboxKeepsMessagesInOrderUntilEmptied() async throws {
        let outbox = EmailOutbox()
        var second = Self.message
        second.subject = "Second"
        try await outbox.send(Self.message)
        try await outbox.send(second)
        #expect(outbox.messages == [Self.message, second])
        outbox.removeAll()
        #expect(outbox.messages.isEmpty)
    }
}
