import CurlHTTP
import Testing

@Suite("HTTPHeaders")
struct HTTPHeadersTests {
    @Test("lookup ignores ASCII case and returns the first value")
    func lookupIgnoresCase() {
        let headers: HTTPHeaders = ["Retry-After": "7", "retry-after": "9"]
        #expect(headers["RETRY-after"] == "7")
        #expect(headers.values(for: "Retry-After") == ["7", "9"])
        #expect(headers.contains("retry-AFTER"))
        #expect(headers["Retry-Afte"] == nil)
    }

    @Test("replaceOrAdd leaves one field; remove drops every spelling")
    func replaceAndRemove() {
        var headers: HTTPHeaders = ["Accept": "a", "ACCEPT": "b", "X-Other": "c"]
        headers.replaceOrAdd(name: "accept", value: "json")
        #expect(headers.values(for: "Accept") == ["json"])
        headers.remove("x-other")
        #expect(headers.count == 1)
    }

    @Test(
        "Retry-After in seconds becomes the delay: spaces ignored, fractions kept, negative as 0, dates and absence nil",
        arguments: [
            ("7", Duration?.some(.seconds(7))), (" 2 ", .some(.seconds(2))), ("1.5", .some(.milliseconds(1_500))),
            ("-3", .some(.zero)), ("Wed, 21 Oct 2015 07:28:00 GMT", nil), (nil, nil),
        ] as [(String?, Duration?)]
    )
    func retryAfterSeconds(header: String?, delay: Duration?) {
        let headers: HTTPHeaders = header.map { ["Retry-After": $0] } ?? [:]
        #expect(HTTPResponse(status: 429, headers: headers, body: [], httpVersion: "1.1").retryAfter == delay)
    }
}
