import Foundation

/// The fuzz targets by name: scripts/fuzz.sh passes one in `GATEHOUSE_FUZZ_TARGET`. Each takes the
/// input bytes and traps (a crash for libFuzzer) when Gatehouse does, or when one of its checks fails.
let targets: [String: @Sendable ([UInt8]) -> Void] = [
    "cookie": CookieTarget.run,
    "signing": SigningTarget.run,
    "password": PasswordTarget.run,
    "redirect": RedirectTarget.run,
    "path": PathTarget.run,
    "forward-auth": ForwardAuthTarget.run,
    "form": FormTarget.run,
]

let selected: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["GATEHOUSE_FUZZ_TARGET"] ?? ""
    guard let run = targets[name] else {
        FileHandle.standardError.write(Data("set GATEHOUSE_FUZZ_TARGET to one of: \(targets.keys.sorted().joined(separator: " "))\n".utf8))
        exit(2)
    }
    return run
}()

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = selected
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// SwiftPM links an executable with `main` defined as `<module>_main`: this is that function, and it
/// runs libFuzzer's driver (so the libFuzzer archive's own `main` is not linked in).
@_cdecl("GatehouseFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
