import AsyncHTTPClient
import Foundation
import Synchronization

// Steady load for the fault tests: logins (each a new browser) and authorized requests (forward auth
// on sessions made beforehand) in loops, every answer recorded with when it started and how long it
// took, until told to stop.
final class LoadRecorder: Sendable {
    struct Record: Sendable {
        enum Kind: Sendable { case login, authorized }
        let kind: Kind
        let username: String
        let status: Int  // 0: no answer (the client gave up or the connection failed)
        let body: String
        let started: ContinuousClock.Instant
        let seconds: Double
        let sessionKey: String?
        let wallClockStart: Date
    }

    private let records = Mutex<[Record]>([])
    private let running = Atomic<Bool>(true)

    var all: [Record] { records.withLock { $0 } }

    func stop() { running.store(false, ordering: .relaxed) }

    var isRunning: Bool { running.load(ordering: .relaxed) }

    func add(_ record: Record) { records.withLock { $0.append(record) } }

    /// Runs the loops until ``stop()``: `loginLoops` logging in users in turn, and one loop of
    /// authorized requests per session in `sessions` (asking for `uri`).
    func run(
        client: HTTPClient, base: String, users: [String], password: String, loginLoops: Int, sessions: [(String, WebSession)], uri: String
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for loop in 0..<loginLoops {
                group.addTask {
                    var turn = loop
                    while self.isRunning {
                        let username = users[turn % users.count]
                        turn += loginLoops
                        let browser = WebSession(client: client)
                        let wall = Date()
                        let started = ContinuousClock.now
                        do {
                            let answer = try await browser.logIn(base, username: username, password: password)
                            self.add(Record(kind: .login, username: username, status: answer.status, body: String(answer.body.prefix(300)),
                                            started: answer.started, seconds: answer.seconds,
                                            sessionKey: answer.status == 302 ? browser.sessionKey : nil, wallClockStart: wall))
                        } catch {
                            self.add(Record(kind: .login, username: username, status: 0, body: "\(error)", started: started,
                                            seconds: Self.seconds(since: started), sessionKey: nil, wallClockStart: wall))
                        }
                    }
                }
            }
            for (username, session) in sessions {
                group.addTask {
                    while self.isRunning {
                        let wall = Date()
                        let started = ContinuousClock.now
                        do {
                            let answer = try await session.authorize(base, uri: uri)
                            self.add(Record(kind: .authorized, username: username, status: answer.status, body: String(answer.body.prefix(300)),
                                            started: answer.started, seconds: answer.seconds,
                                            sessionKey: nil, wallClockStart: wall))
                            // A steady load, not a flood: the machine is shared with the server under test.
                            try? await Task.sleep(for: .milliseconds(answer.status == 200 ? 20 : 50))
                        } catch {
                            self.add(Record(kind: .authorized, username: username, status: 0, body: "\(error)", started: started,
                                            seconds: Self.seconds(since: started), sessionKey: nil, wallClockStart: wall))
                        }
                    }
                }
            }
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Counts of each status, for messages: "200×120 503×14".
    static func summary(_ records: [Record]) -> String {
        Dictionary(grouping: records, by: \.status).sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value.count)" }.joined(separator: " ")
    }
}
