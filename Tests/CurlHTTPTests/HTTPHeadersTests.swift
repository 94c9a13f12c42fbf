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
}
