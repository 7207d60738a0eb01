import GatehouseHummingbird
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// The single-cookie lookup gives Hummingbird's answers for every value without `=` or emptiness,
/// and Django's reading for those.
@Suite("Request.cookieValue")
struct CookieValueTests {
    static func request(_ cookieHeaders: [String]) -> Request {
        var fields = HTTPFields()
        for header in cookieHeaders { fields.append(HTTPField(name: .cookie, value: header)) }
        let head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/", headerFields: fields)
        return Request(head: head, body: .init(buffer: ByteBuffer()))
    }

    @Test func agreesWithHummingbirdsCookies() {
        let fixed: [[String]] = [
            ["sessionid=abc; csrftoken=def"], ["csrftoken=def;sessionid=abc"], ["  sessionid=abc"], ["sessionid="],
            ["sessionid"], ["sessionidx=1; sessionid=2"], ["sessionid=1; sessionid=2"], ["a=1", "sessionid=x=y"],
            ["\tsessionid=t"], [""], [";;;"], ["sessionid=ünï; x=1"], [],
        ]
        var generator = SystemRandomNumberGenerator()
        let pieces = ["sessionid", "csrftoken", "=", ";", " ", "\t", "a", "b", "1", "==", "session", "id", "ü"]
        var random: [[String]] = []
        for _ in 0..<2_000 {
            let count = Int.random(in: 1...2, using: &generator)
            random.append((0..<count).map { _ in
                (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            })
        }
        #expect(Self.request(["sessionid===x"]).cookieValue("sessionid") == "==x", "Django: split once on =")
        #expect(Self.request(["sessionid="]).cookieValue("sessionid") == "")
        #expect(Self.request(["sessionid"]).cookieValue("sessionid") == nil)
        for headers in fixed + random {
            let request = Self.request(headers)
            for name in ["sessionid", "csrftoken", "a"] {
                let ours = request.cookieValue(name)
                if let ours, ours.isEmpty || ours.contains("=") { continue }  // the documented difference
                #expect(ours == request.cookies[name]?.value, "\(headers) \(name)")
            }
        }
    }
}
