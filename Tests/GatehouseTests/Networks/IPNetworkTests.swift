@testable import Gatehouse
import Testing

@Suite("IP addresses and CIDR ranges")
struct IPNetworkTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"), ("::1", "0:0:0:0:0:0:0:1"),
        ("::", "0:0:0:0:0:0:0:0"), ("FD00::AB", "fd00:0:0:0:0:0:0:ab"), ("2001:db8::8:800:200c:417a", "2001:db8:0:0:8:800:200c:417a"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("::ffff:10.0.0.7", "10.0.0.7"), ("::FFFF:0a00:0007", "10.0.0.7"),
        ("64:ff9b::192.0.2.33", "64:ff9b:0:0:0:0:c000:221"), ("1::", "1:0:0:0:0:0:0:0"), ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
    ])
    func addressesParse(_ text: String, _ expected: String) throws {
        #expect(try #require(IPAddress(text)).description == expected)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4/8", "a.b.c.d", "1..2.3",
        ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::", "::1%eth0", "fe80::1%25eth0", "[::1]",
        "1:2:3:4:5:6:7:8::", "::1.2.3", "1.2.3.4::", "::1.2.3.4:5", "+1.2.3.4", "0x7f.0.0.1", "١٢٣.1.1.1", "::+1",
        String(repeating: "1", count: 10_000),
    ])
    func hostileAddressesDoNot(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func rangesContainWhatTheirPrefixCovers() throws {
        let tens = try IPNetwork("10.0.0.0/8")
        #expect(tens.contains(IPAddress("10.255.0.1")!) && tens.contains(IPAddress("::ffff:10.1.2.3")!))
        #expect(!tens.contains(IPAddress("11.0.0.0")!) && !tens.contains(IPAddress("::a00:1")!), "IPv4-compatible is not IPv4-mapped")
        let ula = try IPNetwork("fd00::/8")
        #expect(ula.contains(IPAddress("fdff:1::2")!) && !ula.contains(IPAddress("fc00::1")!) && !ula.contains(IPAddress("10.0.0.1")!))
        let one = try IPNetwork("192.0.2.7")
        #expect(one.prefixLength == 32 && one.contains(IPAddress("192.0.2.7")!) && !one.contains(IPAddress("192.0.2.8")!))
        #expect(try IPNetwork("0.0.0.0/0").contains(IPAddress("203.0.113.9")!))
        #expect(try IPNetwork("::/0").contains(IPAddress("2001:db8::1")!) && !(try IPNetwork("::/0").contains(IPAddress("1.2.3.4")!)))
        let mapped = try IPNetwork("::ffff:10.0.0.0/104")
        #expect(mapped.description == "10.0.0.0/8" && mapped.contains(IPAddress("10.9.9.9")!))
        #expect(try IPNetwork("172.16.0.0/12").contains(IPAddress("172.31.255.255")!) && !(try IPNetwork("172.16.0.0/12").contains(IPAddress("172.32.0.0")!)))
    }

    @Test(arguments: [
        ("10.0.0.1/8", "did you mean 10.0.0.0/8?"), ("10.0.0.0/33", "outside 0...32"), ("fd00::/129", "outside 0...128"),
        ("10.0.0.0/", "outside"), ("10.0.0.0/-1", "outside"), ("10.0.0.0/+8", "outside"), ("10.0.0.0/08x", "outside"),
        ("10.0.0.0/8/8", "outside"), ("example.com/8", "not an IPv4 or IPv6 address"), ("::ffff:10.0.0.0/8", "outside 96...128"),
        ("fd00::1/8", "did you mean fd00:0:0:0:0:0:0:0/8?"),
    ])
    func badRangesSayWhatIsWrong(_ text: String, _ message: String) {
        do {
            let network = try IPNetwork(text)
            Issue.record("\(text) parsed as \(network)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
