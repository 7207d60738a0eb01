// Times Gatehouse's Argon2 (Sources/Gatehouse/Passwords/Argon2, compiled into this tool by
// scripts/bench/argon2.sh with -O) at Django's parameters. Prints the tag, then
// `gatehouse <cpu seconds per hash> <wall seconds per hash>`.
import Foundation

func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 10 : 10
let parameters = Argon2.Parameters(variant: .id, timeCost: 2, memoryCost: 102_400, parallelism: 8, tagLength: 32)
let password = Array("correct horse battery staple".utf8)
let salt = Array("GatehouseBenchSalt0123".utf8)
func once() -> [UInt8] { Argon2.hash(password: password, salt: salt, parameters: parameters)! }

print("tag", once().map { String(format: "%02x", $0) }.joined())  // also the warm-up
let cpu = cpuSeconds()
let wall = Date()
for _ in 0..<count { _ = once() }
print(String(format: "gatehouse %.4f %.4f", (cpuSeconds() - cpu) / Double(count), Date().timeIntervalSince(wall) / Double(count)))
