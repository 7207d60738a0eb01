// Times Gatehouse's password hashers at Django 6.1's default costs against OpenSSL (Python's
// hashlib.pbkdf2_hmac and hashlib.scrypt) in the same run, alternating the two so that machine noise
// hits both alike. Run with scripts/bench/passwords.sh.
import Foundation
import Gatehouse

let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "") ?? 7
let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "/usr/bin/python3"
let password = "correct horse battery staple"
let salt = "abcdefghijklmnopqrstuv"

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Runs one OpenSSL measurement in Python and returns the seconds it reported (interpreter start-up
/// excluded: Python times only the hashing call).
func openSSL(_ call: String) throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [
        "-c",
        "import hashlib, time\npw=\(password.debugDescription).encode(); salt=\(salt.debugDescription).encode()\nt=time.perf_counter(); \(call); print(time.perf_counter()-t)",
    ]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
        let value = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    else { throw CocoaError(.featureUnsupported) }
    return value
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

struct Row {
    let name: String
    let gatehouse: [Double]
    let openssl: [Double]?
}

var rows: [Row] = []

do {
    let pbkdf2 = PBKDF2PasswordHasher()
    var ours: [Double] = []
    var theirs: [Double] = []
    for _ in 0..<rounds {
        ours.append(try seconds { _ = try pbkdf2.encode(password: password, salt: salt) })
        theirs.append(try openSSL("hashlib.pbkdf2_hmac('sha256', pw, salt, \(PBKDF2PasswordHasher.defaultIterations))"))
    }
    rows.append(Row(name: "pbkdf2_sha256, \(PBKDF2PasswordHasher.defaultIterations) iterations", gatehouse: ours, openssl: theirs))

    let scrypt = ScryptPasswordHasher()
    ours = []
    theirs = []
    for _ in 0..<rounds {
        ours.append(try seconds { _ = try scrypt.encode(password: password, salt: salt) })
        theirs.append(try openSSL("hashlib.scrypt(pw, salt=salt, n=16384, r=8, p=5, maxmem=0, dklen=64)"))
    }
    rows.append(Row(name: "scrypt, N=16384 r=8 p=5", gatehouse: ours, openssl: theirs))

    for hasher in [BCryptSHA256PasswordHasher() as any PasswordHasher, BCryptPasswordHasher()] {
        ours = []
        for _ in 0..<rounds {
            ours.append(try seconds { _ = try hasher.encode(password: password, salt: hasher.makeSalt()) })
        }
        rows.append(Row(name: "\(hasher.algorithm), cost 12", gatehouse: ours, openssl: nil))
    }
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}

print("| hasher | Gatehouse (median of \(rounds)) | OpenSSL via Python hashlib (median of \(rounds)) | ratio |")
print("| --- | --- | --- | --- |")
for row in rows {
    let ours = median(row.gatehouse)
    if let openssl = row.openssl {
        let theirs = median(openssl)
        print(String(format: "| %@ | %.1f ms | %.1f ms | %.3fx |", row.name, ours * 1000, theirs * 1000, ours / theirs))
    } else {
        print(String(format: "| %@ | %.1f ms | n/a | |", row.name, ours * 1000))
    }
}
