#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Where log lines go: standard error, whole lines, in the order they were logged.
///
/// Lines at `warning` and above are written before the call returns, with everything logged
/// before them. Lines below (`serve`'s access line, one per request) are gathered for at most
/// ``flushInterval`` by a thread of its own and written together, as nginx's `access_log ...
/// buffer=` and Envoy's access logs do: a `write(2)` per request was a third of the access line's
/// cost. They are written on a `warning` line, when ``flushLimit`` bytes wait, and at exit; a
/// process killed with SIGKILL loses at most the last ``flushInterval`` of them.
final class LogLineWriter: @unchecked Sendable {
    /// Standard error's writer.
    static let standardError = LogLineWriter(descriptor: 2)
    /// The longest a line below `warning` waits.
    static let flushInterval: TimeInterval = 0.005
    /// Waiting bytes that are written at once.
    static let flushLimit = 64 * 1024

    private let descriptor: Int32
    /// Guards `pending` and `flusherStarted`; the flusher waits on it.
    private let condition = NSCondition()
    private var pending: [UInt8] = []
    private var flusherStarted = false
    /// Held while lines are taken from `pending` and written, so batches reach the file in order.
    private let writing = Mutex(())

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes `line` (which ends with a newline) now, or within ``flushInterval`` when `soon`.
    func write(_ line: [UInt8], soon: Bool) {
        guard soon else {
            writing.withLock { _ in
                var batch = take()
                batch.append(contentsOf: line)
                writeWhole(batch, to: descriptor)
            }
            return
        }
        condition.lock()
        let wasEmpty = pending.isEmpty
        pending.append(contentsOf: line)
        let full = pending.count >= Self.flushLimit
        if !flusherStarted {
            flusherStarted = true
            startFlusher()
        }
        if wasEmpty || full { condition.signal() }
        condition.unlock()
    }

    /// Writes every waiting line.
    func flush() {
        writing.withLock { _ in writeWhole(take(), to: descriptor) }
    }

    private func take() -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        var batch: [UInt8] = []
        swap(&batch, &pending)
        return batch
    }

    private func startFlusher() {
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while pending.isEmpty { condition.wait() }
                if pending.count < Self.flushLimit {
                    _ = condition.wait(until: Date(timeIntervalSinceNow: Self.flushInterval))
                }
                condition.unlock()
                flush()
            }
        }
        thread.name = "gatehouse log writer"
        thread.start()
        if self === LogLineWriter.standardError { atexit { LogLineWriter.standardError.flush() } }
    }
}

/// Writes `bytes` to `descriptor` whole, retrying short writes and interruptions; gives up when the
/// descriptor is gone (a log line is not worth more). Log lines and the audit file write this way.
func writeWhole(_ bytes: [UInt8], to descriptor: Int32) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
